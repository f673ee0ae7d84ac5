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

# vm_tree DIR: an initramfs tree with busybox, the kernel's netfilter,
# crypto and lib modules and veth, and the files nft reads names from.
vm_tree() {
	rm -rf "$1" && mkdir -p "$1"/{bin,sbin,lib,lib64,proc,sys,dev,run,tmp,etc,test,usr/bin,usr/local/bin,var/lib}
	cp "$(command -v busybox)" "$1/bin/busybox"
	mkdir -p "$1/lib/modules/$kver/kernel/drivers/net"
	cp -a "kernel/lib/modules/$kver/kernel/net" "kernel/lib/modules/$kver/kernel/lib" \
		"kernel/lib/modules/$kver/kernel/crypto" "$1/lib/modules/$kver/kernel/"
	cp "kernel/lib/modules/$kver/kernel/drivers/net/veth.ko" "$1/lib/modules/$kver/kernel/drivers/net/"
	cp "kernel/lib/modules/$kver/"modules.builtin* "kernel/lib/modules/$kver/modules.order" "$1/lib/modules/$kver/"
	cp /etc/protocols /etc/services "$1/etc/" 2>/dev/null
}

# vm_copy DIR PROGRAM [PATH]: the program (at PATH, default
# /usr/bin/NAME, ahead of busybox's applets) and every library it loads.
vm_copy() {
	local at=${3:-/usr/bin/$(basename "$2")} lib
	mkdir -p "$1$(dirname "$at")"
	cp "$2" "$1$at"
	ldd "$2" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' | while read -r lib; do
		mkdir -p "$1$(dirname "$lib")"
		cp -L "$lib" "$1$lib"
	done
}

# vm_boot DIR SECONDS LOG: pack DIR (its /init runs the test) and boot it
# under software emulation (KVM nested in this sandbox stalls).
vm_boot() {
	(cd "$1" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) > "$1.gz"
	timeout "$2" qemu-system-x86_64 -accel tcg -m 1024 -smp 2 -nographic -no-reboot \
		-kernel "kernel/boot/vmlinuz-$kver" -initrd "$1.gz" \
		-append "console=ttyS0 quiet panic=-1" > "$3" 2>&1
}
