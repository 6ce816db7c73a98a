#!/usr/bin/env bash
# Builds the bootloaders a rack hands out over TFTP/HTTP, under the names its DHCP server gives
# (maas-api.md §8.1), from Debian packages: apt-get download + dpkg-deb -x in a temporary
# directory, nothing installed. The result lives in a cache outside the repository (binaries are
# never committed); re-running is cheap when the package versions have not changed.
#
# Usage: scripts/bootloaders.sh [DEST]
#   DEST defaults to $ANVIL_BOOTLOADERS or /var/cache/anvil/bootloaders.
#
# amd64:  lpxelinux.0 + ldlinux.c32 libcom32.c32 libutil.c32 chain.c32 ifcpu64.c32 poweroff.c32
#         (pxelinux, syslinux-common), bootx64.efi (shim-signed shimx64.efi.signed),
#         grubx64.efi (grub-efi-amd64-signed grubnetx64.efi.signed),
#         undionly.kpxe snponly.efi ipxe.efi (ipxe).
# arm64:  bootaa64.efi + grubaa64.efi, only when apt knows the arm64 packages (needs
#         `dpkg --add-architecture arm64 && apt-get update`); otherwise the script says so.
set -euo pipefail

DEST=${1:-${ANVIL_BOOTLOADERS:-/var/cache/anvil/bootloaders}}

# file name handed out  package  path inside the package
AMD64_FILES=(
  "lpxelinux.0    pxelinux               usr/lib/PXELINUX/lpxelinux.0"
  "ldlinux.c32    syslinux-common        usr/lib/syslinux/modules/bios/ldlinux.c32"
  "libcom32.c32   syslinux-common        usr/lib/syslinux/modules/bios/libcom32.c32"
  "libutil.c32    syslinux-common        usr/lib/syslinux/modules/bios/libutil.c32"
  "chain.c32      syslinux-common        usr/lib/syslinux/modules/bios/chain.c32"
  "ifcpu64.c32    syslinux-common        usr/lib/syslinux/modules/bios/ifcpu64.c32"
  "poweroff.c32   syslinux-common        usr/lib/syslinux/modules/bios/poweroff.c32"
  "bootx64.efi    shim-signed            usr/lib/shim/shimx64.efi.signed"
  "grubx64.efi    grub-efi-amd64-signed  usr/lib/grub/x86_64-efi-signed/grubnetx64.efi.signed"
  "undionly.kpxe  ipxe                   usr/lib/ipxe/undionly.kpxe"
  "snponly.efi    ipxe                   usr/lib/ipxe/snponly.efi"
  "ipxe.efi       ipxe                   boot/ipxe.efi"
)
ARM64_FILES=(
  "bootaa64.efi   shim-signed:arm64            usr/lib/shim/shimaa64.efi.signed"
  "grubaa64.efi   grub-efi-arm64-signed:arm64  usr/lib/grub/arm64-efi-signed/grubnetaa64.efi.signed"
)

candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ { print $2 }'; }

FILES=("${AMD64_FILES[@]}")
if [ -n "$(candidate grub-efi-arm64-signed:arm64)" ] && [ "$(candidate grub-efi-arm64-signed:arm64)" != "(none)" ]; then
  FILES+=("${ARM64_FILES[@]}")
else
  echo "bootloaders: arm64 (bootaa64.efi, grubaa64.efi) not available: apt has no arm64 packages" \
       "(enable with: dpkg --add-architecture arm64 && apt-get update)" >&2
fi

packages() { for line in "${FILES[@]}"; do read -r _ pkg _ <<<"$line"; echo "$pkg"; done | sort -u; }

# The stamp names every package version the cache was built from; same versions, same files.
wanted_stamp() {
  for pkg in $(packages); do
    version=$(candidate "$pkg")
    if [ -z "$version" ] || [ "$version" = "(none)" ]; then
      echo "bootloaders: package $pkg has no installable version (apt-get update?)" >&2
      exit 1
    fi
    echo "$pkg $version"
  done
}

mkdir -p "$DEST"
STAMP=$(wanted_stamp)
up_to_date=1
[ "$(cat "$DEST/.packages" 2>/dev/null)" = "$STAMP" ] || up_to_date=0
for line in "${FILES[@]}"; do
  read -r name _ _ <<<"$line"
  [ -s "$DEST/$name" ] || up_to_date=0
done
if [ "$up_to_date" = 1 ]; then
  echo "bootloaders: $DEST is up to date"
  exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# apt drops privileges to _apt for downloads, which cannot write to a private temporary directory.
APT_OPTIONS=()
[ "$(id -u)" = 0 ] && APT_OPTIONS=(-o APT::Sandbox::User=root)
(cd "$WORK" && apt-get download -q "${APT_OPTIONS[@]}" $(packages) >/dev/null)

for deb in "$WORK"/*.deb; do
  pkg=$(dpkg-deb -f "$deb" Package)
  arch=$(dpkg-deb -f "$deb" Architecture)
  dir="$WORK/root/$pkg"
  [ "$arch" = arm64 ] && dir="$WORK/root/$pkg:arm64"
  mkdir -p "$dir"
  dpkg-deb -x "$deb" "$dir"
done

mkdir -p "$WORK/out"
for line in "${FILES[@]}"; do
  read -r name pkg path <<<"$line"
  pkg_dir="$WORK/root/${pkg%:amd64}"
  src="$pkg_dir/$path"
  if [ ! -f "$src" ] || [ -L "$src" ]; then
    echo "bootloaders: $path not found in package $pkg" >&2
    exit 1
  fi
  cp "$src" "$WORK/out/$name"
done

# Replace file by file with a rename, so a running rack never serves a half-written bootloader.
for file in "$WORK"/out/*; do
  name=$(basename "$file")
  cp "$file" "$DEST/.$name.new"
  chmod 644 "$DEST/.$name.new"
  mv -f "$DEST/.$name.new" "$DEST/$name"
done
(cd "$DEST" && sha256sum $(for line in "${FILES[@]}"; do read -r name _ _ <<<"$line"; echo "$name"; done) > SHA256SUMS)
echo "$STAMP" > "$DEST/.packages"
echo "bootloaders: built in $DEST"
ls -l "$DEST"
