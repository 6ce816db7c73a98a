#!/usr/bin/env bash
# Builds Anvil's ephemeral environment (what a machine boots for enlistment, commissioning and
# testing) from Debian's packages, without installing any of them on this host:
#   OUT/boot-kernel   the kernel of linux-image-amd64
#   OUT/boot-initrd   busybox-static, the hardware tools the built-in scripts use with exactly the
#                     shared libraries they load, the kernel modules for common NICs, disks and
#                     IPMI, /init and the script runner (ephemeral/runner.sh)
#   OUT/manifest.txt  package versions, modules and files, for the curious
#
#   (the installer, ephemeral/installer/, is in the initrd too, with sgdisk, sfdisk, wipefs,
#   mdadm, lvm, make-bcache, mkfs.ext4/xfs/vfat/btrfs and GNU tar; the md, dm and bcache modules)
#
# Usage: ephemeral/build.sh OUT [WORK]
#        ephemeral/build.sh --packages     (the packages the image is built from, one per line)
#   WORK (default: a temporary directory) holds downloads and the staging tree; pass a directory
#   to keep them for inspection. Needs apt-get, dpkg-deb, cpio, lz4 (xz, zstd for compressed modules); no root needed except for
#   /dev/console in the image (without root, early console output may be lost).
set -euo pipefail

OUT=${1:?usage: ephemeral/build.sh OUT [WORK] | --packages}
HERE=$(cd "$(dirname "$0")" && pwd)
ARCH=amd64

# The tools the built-in scripts call, by package, and the programs taken from each.
TOOLS=(
  "busybox-static:bin/busybox"
  "lshw:usr/bin/lshw"
  "dmidecode:usr/sbin/dmidecode"
  "util-linux:bin/lsblk usr/bin/lscpu"
  "iproute2:bin/ip"
  "smartmontools:usr/sbin/smartctl"
  "stress-ng:usr/bin/stress-ng"
  "fio:usr/bin/fio"
  "memtester:usr/sbin/memtester"
  "ipmitool:usr/bin/ipmitool"
  "curl:usr/bin/curl"
  "jq:usr/bin/jq"
  "pciutils:usr/bin/lspci"
  "usbutils:usr/bin/lsusb"
  # The installer (ephemeral/installer/): partitioning, RAID, LVM, bcache, file systems, the image.
  "util-linux:sbin/wipefs sbin/blkdiscard sbin/blockdev sbin/blkid sbin/mkswap usr/bin/partx"
  "fdisk:sbin/sfdisk"
  "gdisk:sbin/sgdisk"
  "mdadm:sbin/mdadm"
  "lvm2:sbin/lvm"
  "dmsetup:sbin/dmsetup"
  "bcache-tools:usr/sbin/make-bcache"
  "e2fsprogs:sbin/mke2fs sbin/mkfs.ext2 sbin/mkfs.ext3 sbin/mkfs.ext4"
  "xfsprogs:sbin/mkfs.xfs"
  "dosfstools:sbin/mkfs.fat sbin/mkfs.vfat"
  "btrfs-progs:sbin/mkfs.btrfs"
  "tar:bin/tar"
  # Rescue mode: SSH for the machine's owner (keys from the metadata server).
  "dropbear-bin:usr/sbin/dropbear"
)
# Data files worth their size: PCI names for lspci and lshw.
DATA_PACKAGES=(pci.ids)
DATA_FILES=(usr/share/misc/pci.ids etc/mke2fs.conf)

# Kernel modules loaded at boot (dependencies are added): NICs, disks, IPMI, SCSI generic for
# lshw and smartctl, USB host controllers so lsusb and lshw see USB devices.
MODULES=(
  e1000 e1000e igb virtio_net virtio_pci
  virtio_blk virtio_scsi sd_mod sr_mod sg ahci ata_piix nvme
  ipmi_msghandler ipmi_si ipmi_devintf
  xhci_pci ehci_pci usbhid
  md_mod raid0 raid1 raid10 raid456 linear dm_mod bcache
  ext4 xfs btrfs vfat nls_cp437 nls_ascii nls_utf8 efivarfs
  crc32c_generic crc32c_intel xxhash_generic blake2b_generic
)

KPKG=$(apt-cache show --no-all-versions linux-image-$ARCH | sed -n 's/^Depends: \([^ ,]*\).*/\1/p' | head -1)
top=()
for t in "${TOOLS[@]}"; do top+=("${t%%:*}"); done
if [ "$OUT" = --packages ]; then
  printf '%s\n' "$KPKG" "${top[@]}" "${DATA_PACKAGES[@]}"
  exit 0
fi

APT_OPTIONS=(-q)
[ "$(id -u)" = 0 ] && APT_OPTIONS+=(-o APT::Sandbox::User=root)

if [ -n "${2:-}" ]; then WORK=$2; mkdir -p "$WORK"; else WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT; fi
DEBS="$WORK/debs" STAGE="$WORK/stage" ROOT="$WORK/root"
rm -rf "$STAGE" "$ROOT"
mkdir -p "$DEBS" "$STAGE" "$ROOT" "$OUT"
started=$(date +%s)
log() { echo "ephemeral: $*" >&2; }

# --- packages ---------------------------------------------------------------------------------
# Shared libraries come from the tools' dependency closure; only library packages are downloaded
# (the closure also names perl, python and the like, which no tool here loads).
mapfile -t closure < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances "${top[@]}" 2>/dev/null | grep -v '^[ <]' | sort -u)
wanted=("${top[@]}" "${DATA_PACKAGES[@]}" "$KPKG")
for p in "${closure[@]}"; do
  case "$p" in
    lib*perl* | libpython* | libpam* | libsemanage* | libdebian-installer*) ;;
    lib* | zlib1g) wanted+=("$p") ;;
  esac
done
mapfile -t wanted < <(printf '%s\n' "${wanted[@]}" | sort -u)
missing=()
for p in "${wanted[@]}"; do
  ls "$DEBS/${p}_"*.deb >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "downloading ${#missing[@]} packages"
  (cd "$DEBS" && apt-get download "${APT_OPTIONS[@]}" "${missing[@]}" >/dev/null)
fi

# --- kernel: vmlinuz and the module trees the wanted modules and their dependencies live in -----
mkdir -p "$STAGE/kernel"
dpkg-deb --fsys-tarfile "$DEBS/${KPKG}"_*.deb | tar -x -C "$STAGE/kernel" --wildcards \
  './boot/vmlinuz-*' './lib/modules/*/modules.builtin' \
  './lib/modules/*/kernel/drivers/net/*' './lib/modules/*/kernel/drivers/virtio/*' \
  './lib/modules/*/kernel/drivers/block/*' './lib/modules/*/kernel/drivers/scsi/*' \
  './lib/modules/*/kernel/drivers/ata/*' './lib/modules/*/kernel/drivers/nvme/*' \
  './lib/modules/*/kernel/drivers/char/ipmi/*' './lib/modules/*/kernel/drivers/usb/*' \
  './lib/modules/*/kernel/drivers/hid/*' './lib/modules/*/kernel/drivers/cdrom/*' \
  './lib/modules/*/kernel/drivers/input/*' './lib/modules/*/kernel/lib/*' \
  './lib/modules/*/kernel/crypto/*' './lib/modules/*/kernel/block/*' './lib/modules/*/kernel/net/*' \
  './lib/modules/*/kernel/fs/*' './lib/modules/*/kernel/drivers/md/*'
KVER=$(ls "$STAGE/kernel/lib/modules" | head -1)
KMOD="$STAGE/kernel/lib/modules/$KVER"

# Module name -> file, with '-' and '_' equivalent as the kernel treats them.
declare -A MODFILE
while IFS= read -r f; do
  n=$(basename "$f"); n=${n%%.ko*}; MODFILE[${n//-/_}]=$f
done < <(find "$KMOD/kernel" -name '*.ko*')
declare -A BUILTIN
while IFS= read -r f; do n=$(basename "$f"); n=${n%%.ko*}; BUILTIN[${n//-/_}]=1; done < "$KMOD/modules.builtin"

module_depends() {
  local f=$1
  case "$f" in
    *.xz) xz -dc "$f" ;; *.zst) zstd -qdc "$f" ;; *) cat "$f" ;;
  esac | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' '\n' | sed '/^$/d; s/-/_/g'
}

# Depth-first so each module is listed after what it needs: /init loads them in this order.
declare -A SEEN
ORDER=()
add_module() {
  local m=${1//-/_}
  [ -n "${SEEN[$m]:-}" ] && return 0
  SEEN[$m]=1
  if [ -n "${BUILTIN[$m]:-}" ]; then return 0; fi
  local f=${MODFILE[$m]:-}
  if [ -z "$f" ]; then
    # Outside the trees extracted above: one more pass over the package for just this module.
    dpkg-deb --fsys-tarfile "$DEBS/${KPKG}"_*.deb | tar -x -C "$STAGE/kernel" --wildcards \
      "./lib/modules/*/$m.ko*" "./lib/modules/*/${m//_/-}.ko*" 2>/dev/null || true
    f=$(find "$KMOD/kernel" -name "$m.ko*" -o -name "${m//_/-}.ko*" | head -1)
    [ -n "$f" ] || { log "module $m is neither built in nor in $KPKG"; exit 1; }
    MODFILE[$m]=$f
  fi
  local d
  for d in $(module_depends "$f"); do add_module "$d"; done
  ORDER+=("$m")
}
for m in "${MODULES[@]}"; do add_module "$m"; done

mkdir -p "$ROOT/lib/modules"
for m in "${ORDER[@]}"; do
  f=${MODFILE[$m]}
  case "$f" in
    *.xz) xz -dc "$f" > "$ROOT/lib/modules/$m.ko" ;;
    *.zst) zstd -qdc "$f" > "$ROOT/lib/modules/$m.ko" ;;
    *) cp "$f" "$ROOT/lib/modules/$m.ko" ;;
  esac
done
printf '%s\n' "${ORDER[@]}" > "$ROOT/lib/modules/load-order"

# --- tools and the libraries they load ------------------------------------------------------
for p in "${wanted[@]}"; do
  [ "$p" = "$KPKG" ] && continue
  dpkg-deb -x "$DEBS/${p}_"*.deb "$STAGE/pkgs"
done
S="$STAGE/pkgs"
LOADER=lib64/ld-linux-x86-64.so.2
LIBPATH=$(find "$S" -name '*.so*' -printf '%h\n' | sort -u | tr '\n' ':')

copy_into_root() { # path relative to the staging tree, symbolic links kept, targets copied too
  local rel=$1
  while :; do
    mkdir -p "$ROOT/$(dirname "$rel")"
    if [ -L "$S/$rel" ]; then
      local target
      target=$(readlink "$S/$rel")
      [ -e "$ROOT/$rel" ] || [ -L "$ROOT/$rel" ] || ln -s "$target" "$ROOT/$rel"
      case "$target" in /*) rel=${target#/} ;; *) rel=$(dirname "$rel")/$target ;; esac
    else
      [ -e "$ROOT/$rel" ] || cp -p "$S/$rel" "$ROOT/$rel"
      return 0
    fi
  done
}

copy_into_root "$LOADER"
programs=()
for t in "${TOOLS[@]}"; do for b in ${t#*:}; do programs+=("$b"); done; done
for b in "${programs[@]}"; do
  [ -e "$S/$b" ] || { log "$b is not in its package"; exit 1; }
  copy_into_root "$b"
  [ "$b" = bin/busybox ] && continue
  # The staged loader lists what the program loads; every library must come from the staging tree.
  while read -r lib; do
    case "$lib" in
      "$S"/*) copy_into_root "${lib#"$S"/}" ;;
      *) log "$b loads $lib from outside the staged packages (package missing from the closure?)"; exit 1 ;;
    esac
  done < <("$S/$LOADER" --library-path "$LIBPATH" --list "$S/$b" | awk '/=>/ { print $3 } !/=>/ && $1 ~ /^\// { print $1 }' | grep -v "$LOADER\$" | sort -u)
done
for f in "${DATA_FILES[@]}"; do copy_into_root "$f"; done

# busybox applets for everything the full tools do not provide; PATH puts the full tools first.
mkdir -p "$ROOT"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,etc,root,var/log}
for applet in $("$ROOT/bin/busybox" --list); do
  found=
  for d in bin sbin usr/bin usr/sbin; do [ -e "$ROOT/$d/$applet" ] && found=1; done
  [ -n "$found" ] || ln -s busybox "$ROOT/bin/$applet"
done

# --- Anvil's files -------------------------------------------------------------------------
install -m 0755 "$HERE/init" "$ROOT/init"
mkdir -p "$ROOT/anvil/lib"
install -m 0755 "$HERE/runner.sh" "$HERE/udhcpc.sh" "$ROOT/anvil/"
install -m 0644 "$HERE"/lib/*.sh "$ROOT/anvil/lib/"
mkdir -p "$ROOT/anvil/installer"
install -m 0755 "$HERE/installer/installer.sh" "$ROOT/anvil/installer/"
install -m 0644 "$HERE/installer/storage.sh" "$ROOT/anvil/installer/"
echo "root:x:0:0:root:/root:/bin/sh" > "$ROOT/etc/passwd"
echo "root:x:0:" > "$ROOT/etc/group"
printf 'hosts: files dns\n' > "$ROOT/etc/nsswitch.conf"
printf '127.0.0.1 localhost\n' > "$ROOT/etc/hosts"
# /dev/console must exist before devtmpfs is mounted or init starts without a console.
[ "$(id -u)" = 0 ] && mknod -m 600 "$ROOT/dev/console" c 5 1

# lz4 (legacy frame, the one the kernel reads): under TCG the kernel unpacks it in about 2 s
# where zstd takes 4-6 s and gzip longer; the larger download costs iPXE well under a second.
(cd "$ROOT" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | lz4 -l -9 -q) > "$OUT/.boot-initrd.new"
cp "$STAGE/kernel/boot/vmlinuz-$KVER" "$OUT/.boot-kernel.new"
mv -f "$OUT/.boot-initrd.new" "$OUT/boot-initrd"
mv -f "$OUT/.boot-kernel.new" "$OUT/boot-kernel"

{
  echo "kernel $KPKG ($KVER)"
  for p in "${wanted[@]}"; do dpkg-deb -f "$DEBS/${p}_"*.deb Package Version | paste -sd' '; done | sed 's/^/package /'
  printf 'module %s\n' "${ORDER[@]}"
  echo "root $(du -sk "$ROOT" | cut -f1) KiB unpacked"
  (cd "$ROOT" && find . -type f -printf 'file %s %P\n' | sort -k3)
} > "$OUT/manifest.txt"
log "built in $(($(date +%s) - started)) s: kernel $(stat -c %s "$OUT/boot-kernel") bytes, initrd $(stat -c %s "$OUT/boot-initrd") bytes ($(du -sk "$ROOT" | cut -f1) KiB unpacked)"
