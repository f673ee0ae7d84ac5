# Sourced by the VM tests: the work directory (VM_WORK, default
# /tmp/rosfw-vm) as the current one, qemu and busybox checked for, and
# Debian 12's kernel package unpacked there (downloaded once, never
# installed on this machine); $kver names its modules directory.
work=${VM_WORK:-/tmp/rosfw-vm}
mkdir -p "$work"
cd "$work" || exit 1

need() { command -v "$1" >/dev/null || { echo "vm: needs $1 ($2)" >&2; exit 2; }; }
need qemu-system-x86_64 "apt-get install qemu-system-x86"
need busybox "apt-get install busybox-static"

if [ ! -d kernel/boot ]; then
	pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	apt-get download "$pkg" >/dev/null || { echo "vm: cannot download $pkg" >&2; exit 2; }
	dpkg -x "$pkg"_*.deb kernel
fi
kver=$(ls kernel/lib/modules | head -1)
