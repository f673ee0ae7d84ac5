#!/bin/bash
# tls-host, layer7-protocol and content through rosfw-inspect on a kernel
# that has nft_queue (this machine's does not): boot Debian 12's own kernel
# under qemu, as tests/vm/flowtable.sh does, with rosfw, rosfw-inspect,
# nft, ip, conntrack and openssl in the initramfs, and check there, for
# traffic forwarded between two namespaces:
#   - apply warns while rosfw-inspect is not running, and not once it is;
#   - a TLS handshake (openssl s_client/s_server) with SNI
#     www.blocked.example is dropped, www.allowed.example completes, over
#     IPv4 and over IPv6;
#   - content=BitTorrent drops a connection that sends it, not another;
#   - the corpus's youtube layer7 pattern drops an HTTP request for
#     youtube.com, not one for example.org;
#   - a decided connection no longer reaches the queue: a 2 MB transfer
#     queues a handful of packets, forwards hundreds;
#   - with rosfw-inspect stopped, the blocked SNI goes through (bypass);
# and prints (no assertion) new connections a second and a 2 MB transfer's
# time through the helper against a ruleset that inspects nothing.
# Not part of make check (a kernel download, a minute or two under
# software emulation). Run: tests/vm/inspect.sh [build/rosfw]   (as root)
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
rosfw=$(cd "$(dirname "${1:-$ROOT/build/rosfw}")" && pwd)/$(basename "${1:-build/rosfw}")
helper=$(dirname "$rosfw")/rosfw-inspect
[ -x "$helper" ] || { echo "vm: $helper not built (make)" >&2; exit 2; }
command -v openssl >/dev/null || { echo "vm: needs openssl" >&2; exit 2; }
. "$ROOT/tests/vm/kernel.sh"
ir=initramfs-inspect

vm_tree "$ir"
for prog in "$rosfw" "$helper" "$(command -v nft)" "$(command -v ip)" "$(command -v conntrack)" \
	"$(command -v openssl)"; do
	vm_copy "$ir" "$prog"
done
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=test \
	-keyout "$ir/test/key.pem" -out "$ir/test/cert.pem" 2>/dev/null || exit 1

cat > "$ir/test/inspect.rsc" <<'RSC'
/ip firewall layer7-protocol
add name=youtube regexp="^.+(youtube.com).*\$"
/ip firewall filter
add chain=forward action=drop tls-host=*.blocked.example comment="block by SNI"
add chain=forward action=drop content=BitTorrent comment="block by content"
add chain=forward action=drop protocol=tcp layer7-protocol=youtube comment="block by layer7"
/ipv6 firewall filter
add chain=forward action=drop tls-host=*.blocked.example comment="block by SNI"
RSC

printf '/ip firewall filter\nadd chain=forward action=drop protocol=tcp dst-port=1\n' > "$ir/test/plain.rsc"

cat > "$ir/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/usr/bin:/bin
ln -s /bin/busybox /sbin/modprobe
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs tmp /run
mkdir -p /run/netns
depmod
for m in nf_tables nf_conntrack nft_ct nft_counter nft_reject nft_reject_inet nft_queue nfnetlink_queue \
	nf_conntrack_netlink veth; do modprobe $m 2>/dev/null; done
cd /test
r=0
ok() { echo "VM PASS $*"; }
no() { echo "VM FAIL $*"; r=1; }
ns() { n=$1; shift; /usr/bin/ip netns exec "$n" "$@"; }
/usr/bin/ip link add ether1 type veth peer name wan0
/usr/bin/ip link add ether2 type veth peer name lan0
/usr/bin/ip link set ether1 up; /usr/bin/ip link set ether2 up
echo 1 > /proc/sys/net/ipv4/ip_forward
/usr/bin/ip netns add lan; /usr/bin/ip netns add wan
/usr/bin/ip link set lan0 netns lan; /usr/bin/ip link set wan0 netns wan
/usr/bin/ip addr add 192.168.88.1/24 dev ether2; /usr/bin/ip addr add 203.0.113.1/24 dev ether1
/usr/bin/ip -n lan addr add 192.168.88.2/24 dev lan0; /usr/bin/ip -n lan link set lan0 up; /usr/bin/ip -n lan link set lo up
/usr/bin/ip -n lan route add default via 192.168.88.1
/usr/bin/ip -n wan addr add 203.0.113.2/24 dev wan0; /usr/bin/ip -n wan link set wan0 up; /usr/bin/ip -n wan link set lo up
/usr/bin/ip -n wan route add default via 203.0.113.1
echo 1 > /proc/sys/net/ipv6/conf/all/forwarding
/usr/bin/ip -6 addr add 2001:db8:1::1/64 dev ether2 nodad; /usr/bin/ip -6 addr add 2001:db8:2::1/64 dev ether1 nodad
/usr/bin/ip -n lan -6 addr add 2001:db8:1::2/64 dev lan0 nodad; /usr/bin/ip -n lan -6 route add default via 2001:db8:1::1
/usr/bin/ip -n wan -6 addr add 2001:db8:2::2/64 dev wan0 nodad; /usr/bin/ip -n wan -6 route add default via 2001:db8:2::1

# 1. apply without the helper: the warning, and the queue rules load.
rosfw apply inspect.rsc 2> apply1.err; echo "apply rc=$?" >> apply1.err
if grep -q 'rosfw-inspect is not running' apply1.err && nft list ruleset | grep -q 'queue'; then
	ok "apply warns that rosfw-inspect is not running; the queue rules are loaded"
else
	no "apply without the helper: $(cat apply1.err)"
fi
cat apply1.err
if grep -q 'tls-host' /run/rosfw/inspect.conf; then ok "apply wrote /run/rosfw/inspect.conf"; else no "inspect.conf: $(cat /run/rosfw/inspect.conf)"; fi
rosfw-inspect 2> helper.log &
hpid=$!
sleep 1
rosfw apply inspect.rsc 2> apply2.err
if ! grep -q 'not running' apply2.err; then ok "apply with the helper running: no warning"; else no "apply warned: $(cat apply2.err)"; fi

# 2. TLS: the server answers every handshake; the client says whether
# one completed.
ns wan openssl s_server -accept 443 -cert cert.pem -key key.pem -www -quiet > /dev/null 2>&1 &
sleep 2
tls() { echo | ns lan timeout 10 openssl s_client -connect 203.0.113.2:443 -servername "$1" -brief 2>&1; }
tls www.allowed.example > allowed.txt
if grep -q 'CONNECTION ESTABLISHED' allowed.txt; then ok "TLS to www.allowed.example completes"; else no "allowed: $(cat allowed.txt)"; fi
tls www.blocked.example > blocked.txt
if ! grep -q 'CONNECTION ESTABLISHED' blocked.txt; then ok "TLS to www.blocked.example is dropped"; else no "blocked got through: $(cat blocked.txt)"; fi
# The same over IPv6 (ip6 rosfw's own inspect chains, the same queue).
ns wan openssl s_server -6 -accept 8443 -cert cert.pem -key key.pem -www -quiet > /dev/null 2>&1 &
sleep 2
tls6() { echo | ns lan timeout 10 openssl s_client -connect '[2001:db8:2::2]:8443' -servername "$1" -brief 2>&1; }
tls6 www.allowed.example > allowed6.txt
tls6 www.blocked.example > blocked6.txt
if grep -q 'CONNECTION ESTABLISHED' allowed6.txt && ! grep -q 'CONNECTION ESTABLISHED' blocked6.txt; then
	ok "IPv6: TLS to www.allowed.example completes, to www.blocked.example is dropped"
else
	no "IPv6: allowed: $(head -3 allowed6.txt); blocked: $(head -3 blocked6.txt)"
fi

# 3. content and layer7: what each server received.
serve() { ns wan nc -l -p "$1" > "got$1.txt" & }
send() { printf "$2" | ns lan timeout 5 nc 203.0.113.2 "$1"; }
serve 8080; serve 8090; serve 8081; serve 8091
sleep 1
send 8080 'hello BitTorrent protocol\n'
send 8090 'hello world\n'
send 8081 'GET /watch HTTP/1.1\r\nHost: www.youtube.com\r\n\r\n'
send 8091 'GET / HTTP/1.1\r\nHost: example.org\r\n\r\n'
sleep 1
if ! grep -q BitTorrent got8080.txt && grep -q 'hello world' got8090.txt; then
	ok "content=BitTorrent drops the connection that sends it, not another"
else
	no "content: 8080 got '$(cat got8080.txt)', 8090 got '$(cat got8090.txt)'"
fi
if ! grep -q youtube got8081.txt && grep -q example.org got8091.txt; then
	ok "layer7 youtube pattern drops the request for youtube.com, not example.org"
else
	no "layer7: 8081 got '$(cat got8081.txt)', 8091 got '$(cat got8091.txt)'"
fi

# 4. Decided connections stay in the kernel: packets queued (the queue's
# id_sequence) against packets forwarded, for a 2 MB transfer.
nft add table ip probe; nft add chain ip probe forwarded '{ type filter hook forward priority 10; }'
nft add rule ip probe forwarded counter
q0=$(awk '$1 == 19 { print $8 }' /proc/net/netfilter/nfnetlink_queue)
# busybox nc stops reading a pipe early: a web server and wget move it.
mkdir -p www && dd if=/dev/zero of=www/big.bin bs=1024 count=2048 2>/dev/null
ns wan httpd -p 8070 -h /test/www
sleep 1
ns lan timeout 60 wget -q -O big.out http://203.0.113.2:8070/big.bin
sleep 1
q1=$(awk '$1 == 19 { print $8 }' /proc/net/netfilter/nfnetlink_queue)
fw=$(nft list chain ip probe forwarded | awk '/counter/ { print $3 }')
echo "queued $((q1 - q0)) packets, forwarded $fw, received $(wc -c < big.out) bytes"
# Undecided, every packet would be queued (queued = forwarded); GSO makes
# the forwarded count vary from run to run (100 to 216 seen), and the
# dropped connections above still retransmit into the queue now and then
# (9 to 19 queued seen).
if [ $((q1 - q0)) -le 40 ] && [ "$fw" -gt $((2 * (q1 - q0))) ] && [ "$(wc -c < big.out)" = 2097152 ]; then
	ok "a decided connection stays in the kernel ($((q1 - q0)) of $fw packets queued)"
else
	no "queued $((q1 - q0)) of $fw forwarded"
fi
nft delete table ip probe

# 5. Measures, printed and not asserted (software emulation: only the
# ratios mean anything): new connections a second (wget of a small file),
# each inspected until decided, and a 2 MB transfer, through rosfw-inspect
# and under a ruleset that inspects nothing.
echo small > www/small.bin
up() { awk '{ print $1 }' /proc/uptime; }
conns() {
	i=0 t0=$(up)
	while [ $i -lt 50 ]; do ns lan wget -q -O /dev/null http://203.0.113.2:8070/small.bin; i=$((i + 1)); done
	awk -v a="$t0" -v b="$(up)" 'BEGIN { printf "%.1f", 50 / (b - a) }'
}
big() {
	t0=$(up)
	ns lan wget -q -O /dev/null http://203.0.113.2:8070/big.bin
	awk -v a="$t0" -v b="$(up)" 'BEGIN { printf "%.2f", b - a }'
}
c1=$(conns) b1=$(big)
rosfw apply plain.rsc 2> /dev/null
c0=$(conns) b0=$(big)
echo "bench: new connections/s: $c1 through rosfw-inspect, $c0 without inspection; 2 MB: $b1 s and $b0 s"
rosfw apply inspect.rsc 2> /dev/null

# 6. The helper stopped: bypass, the blocked name goes through. (A new
# server: s_server serves one connection at a time, and still waits for
# the hello the blocked client never got through.)
kill $hpid; wait $hpid 2>/dev/null
ns wan openssl s_server -accept 4443 -cert cert.pem -key key.pem -www -quiet > /dev/null 2>&1 &
sleep 2
echo | ns lan timeout 10 openssl s_client -connect 203.0.113.2:4443 -servername www.blocked.example -brief > bypass.txt 2>&1
if grep -q 'CONNECTION ESTABLISHED' bypass.txt; then
	ok "rosfw-inspect stopped: www.blocked.example goes through (bypass)"
else
	no "bypass: $(cat bypass.txt)"
fi
cat helper.log
echo "VM DONE $r"
poweroff -f
INIT
chmod +x "$ir/init"
vm_boot "$ir" 600 console-inspect.log
# The console's escape sequences (qemu's terminal setup) off each line.
sed 's/\x1bc//g; s/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\r//g' console-inspect.log > console-inspect.txt
grep -E '^(VM |queued|bench:|rosfw: (warning|error))' console-inspect.txt
echo "$(grep -c '^VM PASS' console-inspect.txt) passed, $(grep -c '^VM FAIL' console-inspect.txt) failed"
grep -q '^VM DONE 0' console-inspect.txt && [ "$(grep -c '^VM PASS' console-inspect.txt)" = 10 ]
