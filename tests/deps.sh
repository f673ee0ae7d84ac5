#!/bin/sh
# Install what building and testing rosfw needs, when it is missing.
# Debian 12; run as root (CI and the README's commands are).
set -e
pkgs="build-essential flex bison pkg-config libnftnl-dev libmnl-dev libnetfilter-conntrack-dev
      libcmocka-dev libnetfilter-queue-dev clang libclang-rt-14-dev nftables iproute2 conntrack"
missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "rosfw: missing packages:$missing; run as root or: apt-get install$missing" >&2
	exit 1
fi
echo "rosfw: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
