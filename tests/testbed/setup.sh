#!/bin/bash
# Set up the testbed in BUILD_DIR (default build/testbed): install the Debian packages that are
# missing, build the guest programs (static), the initramfs, and the shared disk image.
# Nothing is written to the source tree. Exit 77 when the packages cannot be installed.
#   bash tests/testbed/setup.sh [BUILD_DIR]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mkdir -p "${1:-build/testbed}" && cd "${1:-build/testbed}" && pwd)

bash "$HERE/install_packages.sh" || exit $?

# Guest programs: static, so the initramfs needs no libc.
mkdir -p "$OUT/bin"
for p in writer reader ctl; do
  if [ ! -x "$OUT/bin/$p" ] || [ "$HERE/guest/$p.c" -nt "$OUT/bin/$p" ]; then
    gcc -O2 -static -Wall -o "$OUT/bin/$p" "$HERE/guest/$p.c"
  fi
done

# Kernel: the newest installed Debian kernel.
KVER=$(ls /lib/modules | sort -V | tail -1)
cp "/boot/vmlinuz-$KVER" "$OUT/vmlinuz"

# Initramfs: busybox, the guest programs, and the modules for a virtio disk with ext4, in the order
# modules.dep gives (dependencies first).
ROOT="$OUT/initramfs"
rm -rf "$ROOT"; mkdir -p "$ROOT/bin" "$ROOT/modules" "$ROOT/proc" "$ROOT/sys" "$ROOT/dev" "$ROOT/run" "$ROOT/mnt"
cp /bin/busybox "$ROOT/bin/busybox"
for applet in $("$ROOT/bin/busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$ROOT/bin/$applet"; done
cp "$OUT/bin/writer" "$OUT/bin/reader" "$OUT/bin/ctl" "$ROOT/bin/"
cp "$HERE/guest/init" "$ROOT/init"; chmod +x "$ROOT/init"
DEP="/lib/modules/$KVER/modules.dep"
: > "$ROOT/modules.order"
add_module() { # add_module NAME: its dependencies first, then itself (once)
  local path deps d name
  path=$(grep -E "(^|/)$1\.ko(\.xz|\.zst|\.gz)?:" "$DEP" | head -1 | cut -d: -f1) || true
  [ -n "$path" ] || return 0   # built into the kernel
  deps=$(grep -E "^$path:" "$DEP" | cut -d: -f2)
  for d in $deps; do name=$(basename "$d"); add_module "${name%%.ko*}"; done
  name=$(basename "$path"); name=${name%%.ko*}
  grep -qx "$name" "$ROOT/modules.order" && return 0
  case $path in
    *.xz) xz -dc "/lib/modules/$KVER/$path" > "$ROOT/modules/$name.ko" ;;
    *.zst) zstd -qdc "/lib/modules/$KVER/$path" > "$ROOT/modules/$name.ko" ;;
    *.gz) gzip -dc "/lib/modules/$KVER/$path" > "$ROOT/modules/$name.ko" ;;
    *) cp "/lib/modules/$KVER/$path" "$ROOT/modules/$name.ko" ;;
  esac
  echo "$name" >> "$ROOT/modules.order"
}
for m in virtio virtio_ring virtio_pci virtio_blk crc16 crc32c_generic mbcache jbd2 ext4; do add_module $m; done
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT/initrd.img"
echo "initramfs: $(wc -c < "$OUT/initrd.img") bytes, modules: $(tr '\n' ' ' < "$ROOT/modules.order")"

# Shared disk ("SAN"): ext4 holding data.bin, 256 MiB of random bytes (not zero pages once cached).
if [ ! -s "$OUT/disk.img" ]; then
  rm -rf "$OUT/diskroot"; mkdir -p "$OUT/diskroot"
  head -c $((256 << 20)) /dev/urandom > "$OUT/diskroot/data.bin"
  mke2fs -q -t ext4 -d "$OUT/diskroot" -F "$OUT/disk.img.tmp" 320M
  rm -rf "$OUT/diskroot"
  mv "$OUT/disk.img.tmp" "$OUT/disk.img"
fi
echo "testbed ready in $OUT ($(qemu-system-x86_64 --version | head -1))"
