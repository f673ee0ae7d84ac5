#!/bin/bash
# runtime/rosfwd.service under a real systemd (this machine's PID 1 is not
# systemd): boot Debian 12's kernel under qemu from an initramfs whose init
# loads the netfilter modules and hands over to this machine's systemd,
# which starts a test unit that drives rosfwd.service with systemctl:
#   - start: ExecStartPre applies /etc/rosfw/firewall.rsc, rosfwd runs with
#     the unit's hardening (capability bounding set, ProtectSystem=strict,
#     PrivateTmp) and StateDirectory makes /var/lib/rosfw (mode 0700);
#   - a poll saves a run-time entry and a none-static rule entry;
#   - reload (SIGHUP) re-applies in the daemon; stop (SIGTERM) saves, and
#     systemd records a clean exit;
#   - after a flush, a start puts the saved entries back.
# The unit file is installed unchanged; a drop-in only sends rosfwd's
# stderr to a file, as there is no journald in the initramfs.
# Not part of make check (it downloads the kernel package and boots under
# software emulation, about a minute). Run: tests/vm/systemd.sh (as root)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$ROOT/build}" && pwd)
. "$ROOT/tests/vm/kernel.sh"
[ -x /lib/systemd/systemd ] || { echo "vm: needs systemd installed (not running)" >&2; exit 2; }

fs=initramfs-systemd
vm_tree "$fs"
mkdir -p "$fs"/etc/{rosfw,systemd/system/rosfwd.service.d} "$fs"/lib/systemd/system
vm_copy "$fs" "$build/rosfw" /usr/local/bin/rosfw
vm_copy "$fs" "$build/rosfwd" /usr/local/bin/rosfwd
vm_copy "$fs" "$(command -v nft)"
vm_copy "$fs" /lib/systemd/systemd /lib/systemd/systemd
vm_copy "$fs" "$(command -v systemctl)"
printf 'root:x:0:0:root:/root:/bin/sh\n' > "$fs"/etc/passwd
printf 'root:x:0:\n' > "$fs"/etc/group
printf 'ID=debian\nNAME=rosfw-vm\n' > "$fs"/etc/os-release
# Just the targets the units name, without the .wants of a full system.
for t in sysinit basic network-pre multi-user shutdown sockets timers paths slices local-fs; do
	printf '[Unit]\nDescription=%s\n' "$t" > "$fs/lib/systemd/system/$t.target"
done
printf '[Unit]\nDescription=rosfw test\nRequires=basic.target\nWants=rosfw-test.service\n' \
	> "$fs"/lib/systemd/system/rosfw-test.target
printf '[Unit]\nDescription=rosfw test run\n[Service]\nType=oneshot\nExecStart=/test/run.sh\nStandardOutput=tty\nStandardError=tty\nTTYPath=/dev/ttyS0\n' \
	> "$fs"/lib/systemd/system/rosfw-test.service
cp "$ROOT/runtime/rosfwd.service" "$fs"/etc/systemd/system/rosfwd.service
printf '[Service]\nStandardError=file:/run/rosfwd.log\n' > "$fs"/etc/systemd/system/rosfwd.service.d/log.conf

cat > "$fs"/etc/rosfw/firewall.rsc <<'RSC'
/ip firewall address-list
add list=blocked address=192.0.2.0/24
/ip firewall filter
add chain=input protocol=udp dst-port=12 action=add-src-to-address-list address-list=forever address-list-timeout=none-static
add chain=input src-address-list=blocked action=drop
RSC

cat > "$fs"/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/usr/local/bin:/usr/bin:/bin
ln -s /bin/busybox /sbin/modprobe
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
depmod
for m in nf_tables nf_conntrack nft_ct nft_nat nft_chain_nat nf_conntrack_netlink nft_counter nft_fib_inet \
	nft_fib_ipv4 nft_fib_ipv6 nft_reject_inet nft_limit nft_log nft_masq nft_redir nft_connlimit nft_numgen \
	nft_quota nft_hash nft_socket nft_tproxy nft_osf nft_synproxy nf_conntrack_ftp nf_conntrack_tftp \
	nf_conntrack_irc nf_conntrack_h323 nf_conntrack_sip nf_conntrack_pptp nf_nat_ftp nf_nat_tftp nf_nat_irc \
	nf_nat_h323 nf_nat_sip nf_nat_pptp; do modprobe $m 2>/dev/null; done
umount /proc /sys /dev
exec /lib/systemd/systemd --unit=rosfw-test.target --log-target=console --log-level=warning
INIT
chmod +x "$fs"/init

cat > "$fs"/test/run.sh <<'RUN'
#!/bin/sh
export PATH=/usr/local/bin:/usr/bin:/bin
r=0
ok() { echo "VM PASS $*"; }
no() { echo "VM FAIL $*"; r=1; }
ip link set lo up
show() { systemctl show -p "$1" --value rosfwd; }
wait_for() { i=0; while [ $i -lt 60 ]; do "$@" && return 0; sleep 1; i=$((i + 1)); done; return 1; }
if systemctl start rosfwd && [ "$(show ActiveState)" = active ]; then ok "systemctl start: active"; else
	no "start: $(show ActiveState) $(show Result)"; fi
if nft list set ip rosfw al_blocked 2>/dev/null | grep -q 192.0.2.0/24; then ok "ExecStartPre applied the configuration"; else
	no "no rosfw table after start"; fi
if [ "$(stat -c %a /var/lib/rosfw)" = 700 ]; then ok "StateDirectory /var/lib/rosfw, mode 700"; else
	no "state directory: $(ls -ld /var/lib/rosfw 2>&1)"; fi
grep -q 'CapBnd:	0000000000001000' /proc/"$(show MainPID)"/status && ok "rosfwd runs with CAP_NET_ADMIN alone" ||
	no "capabilities: $(grep Cap /proc/"$(show MainPID)"/status)"
rosfw address-list add list=blocked address=198.51.100.0/24 comment=vm
nft add element ip rosfw al_forever "{ 127.0.0.1 timeout 30000d }"
if wait_for grep -q '^e 4 ar_blocked 198.51.100.0-198.51.100.255 -1 ' /var/lib/rosfw/state &&
	grep -q '^e 4 al_forever 127.0.0.1 -1 ' /var/lib/rosfw/state; then ok "a poll saved the entries"; else
	no "state file: $(cat /var/lib/rosfw/state 2>&1)"; fi
systemctl reload rosfwd
if wait_for grep -q 'SIGHUP: apply done' /run/rosfwd.log; then ok "systemctl reload re-applies"; else
	no "reload: $(cat /run/rosfwd.log)"; fi
systemctl stop rosfwd
if [ "$(show ActiveState)" = inactive ] && [ "$(show Result)" = success ] && [ "$(show ExecMainStatus)" = 0 ] &&
	tail -1 /var/lib/rosfw/state | grep -q '^end '; then ok "systemctl stop: saved, exit 0"; else
	no "stop: $(show ActiveState) $(show Result) $(show ExecMainStatus)"; fi
rosfw flush 2>/dev/null
systemctl start rosfwd
if wait_for sh -c 'nft list set ip rosfw ar_blocked | grep -q 198.51.100.0/24' &&
	nft list set ip rosfw al_forever | grep -q '127.0.0.1 timeout 30000d'; then
	ok "after a flush, start puts the saved entries back"
else
	no "restore: $(cat /run/rosfwd.log)"
fi
systemctl stop rosfwd
echo "--- rosfwd's log"; cat /run/rosfwd.log
echo "VM DONE $r"
poweroff -f
RUN
chmod +x "$fs"/test/run.sh
vm_boot "$fs" 400 console-systemd.log
grep -E '^VM |^rosfwd' console-systemd.log | tr -d '\r'
grep -q '^VM DONE 0' console-systemd.log && ! grep -q 'VM FAIL' console-systemd.log
