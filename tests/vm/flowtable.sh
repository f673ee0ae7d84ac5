#!/bin/bash
# FastTrack on a kernel that has flowtables (this machine's does not): boot
# Debian 12's own kernel (linux-image-amd64, flowtables as modules) under
# qemu, from an initramfs holding busybox, the kernel's netfilter
# modules, rosfw, nft, ip and conntrack, and check there:
#   - rosfw compile's text with its flowtable loads with nft -f, and
#     rosfw apply (--fasttrack=auto) leaves the same ruleset, flowtable and
#     flow add included, with no fallback;
#   - hw-offload=yes on interfaces that cannot offload (veth) falls back to
#     software offload with a warning;
#   - forwarded TCP between two namespaces is offloaded ([OFFLOAD] in the
#     connection table, F in print connection) and print stats shows the
#     dynamic fasttrack counters row.
# Not part of make check: it downloads the kernel package, and boots under
# software emulation (KVM nested in this sandbox stalls), about a minute.
# Run: tests/vm/flowtable.sh [build/rosfw]   (as root)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
rosfw=$(cd "$(dirname "${1:-$ROOT/build/rosfw}")" && pwd)/$(basename "${1:-build/rosfw}")
. "$ROOT/tests/vm/kernel.sh"

vm_tree initramfs
for prog in "$rosfw" "$(command -v nft)" "$(command -v ip)" "$(command -v conntrack)"; do
	vm_copy initramfs "$prog"
done

cat > initramfs/test/ft.rsc <<'RSC'
/interface list add name=LAN
/interface list member add list=LAN interface=ether2
/ip firewall filter
add chain=forward connection-state=established,related action=fasttrack-connection comment="FastTrack"
add chain=forward connection-state=established,related action=accept comment="established, related"
add chain=forward in-interface-list=LAN action=accept comment="LAN out"
add chain=forward action=drop comment="nothing else"
RSC
sed 's/action=fasttrack-connection/action=fasttrack-connection hw-offload=yes/' initramfs/test/ft.rsc > initramfs/test/hw.rsc
"$rosfw" compile --flowtable-devices=ether1,ether2 initramfs/test/ft.rsc -o initramfs/test/ft.nft || exit 1

cat > initramfs/init <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
# busybox's shell runs its own applets (ip among them) before PATH.
export PATH=/usr/bin:/bin
ln -s /bin/busybox /sbin/modprobe
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /run
mkdir -p /run/netns
depmod
for m in nf_tables nf_flow_table nf_flow_table_inet nft_flow_offload nf_conntrack nft_ct nft_nat nft_chain_nat \
	nf_conntrack_netlink nft_counter veth; do modprobe $m 2>/dev/null; done
cd /test
r=0
ok() { echo "VM PASS $*"; }
no() { echo "VM FAIL $*"; r=1; }
/usr/bin/ip link add ether1 type veth peer name wan0
/usr/bin/ip link add ether2 type veth peer name lan0
/usr/bin/ip link set ether1 up; /usr/bin/ip link set ether2 up
echo 1 > /proc/sys/net/ipv4/ip_forward
# 1. The text, flowtable included, loads.
if nft -f ft.nft 2> nft.err; then ok "nft -f of rosfw compile's text with its flowtable"; else no "nft -f: $(cat nft.err)"; fi
nft list ruleset > text.list
nft flush ruleset
# 2. apply asks the kernel, which takes it: no fallback, the same ruleset.
rosfw apply --flowtable-devices=ether1,ether2 ft.rsc 2> apply.err; echo "apply rc=$?" >> apply.err
nft list ruleset > apply.list
if grep -q 'flowtable fasttrack' apply.list && grep -q 'flow add @fasttrack' apply.list && ! grep -q 'counted but not offloaded' apply.err; then
	ok "rosfw apply keeps the flowtable and flow add (no fallback)"
else
	no "rosfw apply: $(cat apply.err)"
fi
if cmp -s text.list apply.list; then ok "apply = nft -f with a flowtable"; else no "apply differs from nft -f"; diff text.list apply.list; fi
# 3. hw-offload on veth: refused by the devices, software offload instead.
rosfw apply --flowtable-devices=ether1,ether2 hw.rsc 2> hw.err
if grep -q 'offloads in software' hw.err && nft list ruleset | grep -q 'flowtable fasttrack' && ! nft list ruleset | grep -q 'flags offload'; then
	ok "hw-offload refused by veth: software offload with a warning"
else
	no "hw-offload fallback: $(cat hw.err); $(nft list flowtables)"
fi
# 4. Traffic: a LAN host talks to a WAN host through this router.
rosfw apply --flowtable-devices=ether1,ether2 ft.rsc 2>/dev/null
/usr/bin/ip netns add lan; /usr/bin/ip netns add wan
/usr/bin/ip link set lan0 netns lan; /usr/bin/ip link set wan0 netns wan
/usr/bin/ip addr add 192.168.88.1/24 dev ether2; /usr/bin/ip addr add 203.0.113.1/24 dev ether1
/usr/bin/ip -n lan addr add 192.168.88.2/24 dev lan0; /usr/bin/ip -n lan link set lan0 up; /usr/bin/ip -n lan link set lo up
/usr/bin/ip -n lan route add default via 192.168.88.1
/usr/bin/ip -n wan addr add 203.0.113.2/24 dev wan0; /usr/bin/ip -n wan link set wan0 up; /usr/bin/ip -n wan link set lo up
/usr/bin/ip -n wan route add default via 203.0.113.1
# The server keeps its side open: nc ends a connection at the end of its stdin.
sleep 20 | /usr/bin/ip netns exec wan nc -l -p 8080 > /dev/null &
sleep 1
# A connection that lives on while it is looked at: a line every 50 ms.
( while :; do echo "some data going through the router"; sleep 0.05; done ) |
	/usr/bin/ip netns exec lan timeout 8 nc 203.0.113.2 8080 &
sleep 3
conntrack -L 2> /dev/null > ct.txt
if grep -q 'OFFLOAD' ct.txt; then ok "the connection is offloaded ([OFFLOAD])"; else no "not offloaded: $(cat ct.txt)"; fi
rosfw print connection where protocol=tcp > pc.txt
if grep -qE '^ +0 [A-Za-z]*F' pc.txt; then ok "print connection flags it F"; else no "print connection: $(cat pc.txt)"; fi
rosfw print stats ft.rsc > stats.txt
if grep -q '^ *D ;;; special dummy rule to show fasttrack counters' stats.txt &&
	awk '/special dummy/ { getline; exit !($NF > 0) }' stats.txt; then
	ok "print stats shows the dynamic fasttrack counters row with packets"
else
	no "print stats: $(cat stats.txt)"
fi
cat stats.txt
wait
echo "VM DONE $r"
poweroff -f
INIT
chmod +x initramfs/init
vm_boot initramfs 300 console.log
grep -E '^(VM |Flags| *#| *D|  )' console.log | tr -d '\r'
grep -q '^VM DONE 0' console.log && grep -q 'VM PASS' console.log
