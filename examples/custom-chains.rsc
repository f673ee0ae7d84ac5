# custom-chains.rsc
#
# Source:  /work/shared/reference/002_afa695b8a62f818d.txt "Firewall filter >
#          Custom chain" (same text as 003_acfc149187026ea8.txt "Filter
#          Chains"): the "mychain" jump example.
#          /work/shared/reference/001_8e464e240e13042f.txt "Firewall Filter
#          Rules", section "Custom Chains" (new-conn-policy, jump and return).
#          Brute-force and port-scan stages: built from the properties that
#          002 documents (action=jump/return, add-src-to-address-list,
#          address-list, address-list-timeout, src-address-list, psd) and 001
#          "Related Topics" ("Brute Force Prevention - Address list
#          blocking"); the manuals name the technique but print no ruleset
#          for it.
#
# Notes on faithfulness:
#   - 002/003 write the mychain rule as
#     "/ip firewall filter add src-address=1.1.1.2/32 jump-target="mychain"",
#     without chain= and action=; RouterOS needs both (action defaults to
#     accept), so the rule is completed with chain=forward (the manual talks
#     about the forward chain) and action=jump. The manual only says "rules
#     that perform matching against separate ports can be added to mychain";
#     the two port rules and the return below are examples of that.
#   - 001's new-conn-policy chain is kept in the manual's order, so its
#     final "return" rule comes after the chain's drop rule and is never
#     reached; it is kept to show the return action as the manual does.
#   - Rules of a custom chain may sit anywhere in the list; only their order
#     within the chain matters.

/ip firewall filter

# --- 002/003 "Custom chain": one jump per source address, ports matched in mychain ---
add chain=forward src-address=1.1.1.2/32 action=jump jump-target=mychain \
    comment="traffic from 1.1.1.2 is checked in mychain"
add chain=mychain protocol=tcp dst-port=80 action=accept comment="mychain: allow HTTP"
add chain=mychain protocol=tcp dst-port=443 action=accept comment="mychain: allow HTTPS"
add chain=mychain action=return comment="mychain: everything else back to forward"

# --- 001 "Custom Chains" ---
# Jump to a custom chain
add chain=forward connection-state=new \
    action=jump jump-target=new-conn-policy comment="new connections go to new-conn-policy"

# Rules in the custom chain
add chain=new-conn-policy src-address=10.0.0.0/8 \
    action=accept comment="new-conn-policy: accept from 10.0.0.0/8"

add chain=new-conn-policy action=drop comment="new-conn-policy: drop the rest"

# Use 'return' to exit back to the calling chain without a match
add chain=new-conn-policy protocol=tcp dst-port=443 \
    action=return comment="new-conn-policy: return HTTPS to forward (after the drop, as in 001)"

# --- Port-scan detection (psd) in its own chain ---
# Known scanners are dropped before anything else looks at them
add chain=input src-address-list=port-scanners action=drop comment="drop sources listed as port scanners"
add chain=input protocol=tcp action=jump jump-target=detect-port-scan \
    comment="TCP to the router goes through port-scan detection"
# psd=WeightThreshold,DelayThreshold,LowPortWeight,HighPortWeight
add chain=detect-port-scan protocol=tcp psd=21,3s,3,1 \
    action=add-src-to-address-list address-list=port-scanners address-list-timeout=2w \
    comment="port scan detected: list source for 2 weeks"
add chain=detect-port-scan action=return comment="no scan seen: back to input"

# --- SSH brute-force detection in stages ---
# Each new SSH connection moves its source one stage on; stages expire after
# one minute, so the fourth connection within a minute per stage lands the
# source on ssh_blacklist for 10 days.
add chain=input protocol=tcp dst-port=22 connection-state=new \
    action=jump jump-target=ssh-bruteforce comment="new SSH connections go to brute-force detection"
add chain=ssh-bruteforce src-address-list=ssh_blacklist action=drop \
    comment="drop SSH brute forcers"
add chain=ssh-bruteforce src-address-list=ssh_stage3 \
    action=add-src-to-address-list address-list=ssh_blacklist address-list-timeout=10d \
    comment="stage 3 -> blacklist for 10 days"
add chain=ssh-bruteforce src-address-list=ssh_stage2 \
    action=add-src-to-address-list address-list=ssh_stage3 address-list-timeout=1m \
    comment="stage 2 -> stage 3"
add chain=ssh-bruteforce src-address-list=ssh_stage1 \
    action=add-src-to-address-list address-list=ssh_stage2 address-list-timeout=1m \
    comment="stage 1 -> stage 2"
add chain=ssh-bruteforce \
    action=add-src-to-address-list address-list=ssh_stage1 address-list-timeout=1m \
    comment="first new SSH connection -> stage 1"
add chain=ssh-bruteforce action=return comment="not (yet) a brute forcer: back to input"
