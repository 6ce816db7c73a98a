#!/usr/bin/env bash
# Builds Anvil's default deployable OS: Debian 12 (bookworm) from Debian's packages with
# debootstrap (variant minbase) plus a kernel, GRUB for BIOS and UEFI, cloud-init (whose MAAS
# datasource fetches user-data signed with the node's token), OpenSSH and ifupdown (what
# cloud-init renders network config for on Debian), LVM, mdadm and bcache tools so roots on those
# boot. No documentation, manual pages or translations. The installer (ephemeral/installer/)
# unpacks it and installs GRUB from it.
#
# Usage: scripts/debian-image.sh
#   Builds or reuses ${ANVIL_IMAGE_CACHE:-/var/cache/anvil/images}/<hash>/ and prints that directory:
#     root-tgz        the root file system as a gzip tarball (MAAS file type root-tgz)
#     manifest.json   {"filetype", "sha256", "size", "kernel", "packages": {name: version}}
#   <hash> covers this script and the versions apt would install now of the packages named below.
#   Needs root, debootstrap and network access to ${ANVIL_DEBIAN_MIRROR:-http://deb.debian.org/debian}.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${ANVIL_IMAGE_CACHE:-/var/cache/anvil/images}
MIRROR=${ANVIL_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=bookworm

PACKAGES=(
  systemd-sysv udev kmod linux-image-amd64 initramfs-tools zstd
  grub-pc-bin grub-efi-amd64-bin grub2-common
  cloud-init openssh-server ifupdown isc-dhcp-client iproute2 netbase curl
  e2fsprogs dosfstools lvm2 mdadm bcache-tools
)

hash=$( {
  sha256sum "$HERE/debian-image.sh"
  echo "$SUITE $MIRROR"
  apt-cache show --no-all-versions "${PACKAGES[@]}" 2>/dev/null | grep -E '^(Package|Version):'
} | sha256sum | cut -c1-16)
DIR="$CACHE/$hash"
log() { echo "debian-image: $*" >&2; }

mkdir -p "$CACHE"
exec 9> "$CACHE/.lock"
flock 9
if [ -s "$DIR/root-tgz" ] && [ -s "$DIR/manifest.json" ]; then
  log "reusing $DIR"
  echo "$DIR"
  exit 0
fi

started=$(date +%s)
tmp=$(mktemp -d "$CACHE/.build.XXXXXX")
ROOT="$tmp/root"
mounted=()
cleanup() {
  local m
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount -l "${mounted[$i]}" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

# Stage 1: the minimal base. Stage 2 installs the rest inside it once dpkg is told to skip
# documentation and no service may start.
log "debootstrap $SUITE (minbase) from $MIRROR"
debootstrap --variant=minbase --arch=amd64 "$SUITE" "$ROOT" "$MIRROR" > "$tmp/debootstrap.log" 2>&1 \
  || { tail -30 "$tmp/debootstrap.log" >&2; exit 1; }

cat > "$ROOT/etc/dpkg/dpkg.cfg.d/01-anvil-nodoc" <<'EOF'
# Anvil's image carries no documentation or translations.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
find "$ROOT/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
rm -rf "$ROOT/usr/share/man" "$ROOT/usr/share/info" "$ROOT/usr/share/locale"/*/
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' > "$ROOT/etc/apt/apt.conf.d/01-anvil-norecommends"
echo "deb $MIRROR $SUITE main" > "$ROOT/etc/apt/sources.list"

for m in proc sys dev; do
  case $m in
    proc) mount -t proc proc "$ROOT/proc" ;;
    sys) mount -t sysfs sys "$ROOT/sys" ;;
    dev) mount --bind /dev "$ROOT/dev" ;;
  esac
  mounted+=("$ROOT/$m")
done

# The initramfs must find roots on any disk controller, LVM, RAID and bcache: build it generic.
mkdir -p "$ROOT/etc/initramfs-tools/conf.d"
echo "MODULES=most" > "$ROOT/etc/initramfs-tools/conf.d/anvil"

log "installing ${#PACKAGES[@]} packages"
chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -q update > "$tmp/apt.log" 2>&1 \
  && chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get -q -y install "${PACKAGES[@]}" >> "$tmp/apt.log" 2>&1 \
  || { tail -40 "$tmp/apt.log" >&2; exit 1; }
# Kernel modules for hardware a server does not have (sound, cameras and TV cards, wireless,
# Bluetooth, desktop GPUs, industrial sensors, staging drivers): about a third of the image.
for kdir in "$ROOT"/lib/modules/*/kernel; do
  rm -rf "$kdir"/sound "$kdir"/drivers/media "$kdir"/drivers/net/wireless "$kdir"/net/wireless \
    "$kdir"/net/mac80211 "$kdir"/net/bluetooth "$kdir"/drivers/bluetooth "$kdir"/drivers/iio \
    "$kdir"/drivers/staging "$kdir"/drivers/isdn "$kdir"/drivers/input/joystick "$kdir"/drivers/input/touchscreen \
    "$kdir"/drivers/input/tablet "$kdir"/drivers/gpu/drm/amd "$kdir"/drivers/gpu/drm/nouveau \
    "$kdir"/drivers/gpu/drm/i915 "$kdir"/drivers/gpu/drm/radeon "$kdir"/drivers/gpu/drm/xe
  kver=$(basename "$(dirname "$kdir")")
  chroot "$ROOT" depmod -a "$kver"
done
chroot "$ROOT" env LC_ALL=C update-initramfs -u -k all >> "$tmp/apt.log" 2>&1 || { tail -20 "$tmp/apt.log" >&2; exit 1; }

# --- what every deployed machine must not share, and cloud-init's defaults ---------------------
rm -f "$ROOT"/etc/ssh/ssh_host_*
: > "$ROOT/etc/machine-id"
rm -f "$ROOT/var/lib/dbus/machine-id"
rm -f "$ROOT/usr/sbin/policy-rc.d"
echo "debian" > "$ROOT/etc/hostname"
chroot "$ROOT" apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/log/*.log "$ROOT"/tmp/* "$ROOT"/root/.bash_history
cat > "$ROOT/etc/cloud/cloud.cfg.d/10-anvil-image.cfg" <<'EOF'
# Anvil's Debian image: there are no locales to generate, and network config comes from the
# installer (50-anvil-networking.cfg) or DHCP on the first NIC.
locale: C.UTF-8
EOF
printf 'LANG=C.UTF-8\n' > "$ROOT/etc/default/locale"
# Without a network config from the installer, the NIC that answers DHCP still comes up.
cat > "$ROOT/etc/network/interfaces" <<'EOF'
source /etc/network/interfaces.d/*
auto lo
iface lo inet loopback
EOF

for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do umount "${mounted[$i]}"; done
mounted=()

kernel=$(ls "$ROOT/boot" | sed -n 's/^vmlinuz-//p' | head -1)
packages_json=$(chroot "$ROOT" dpkg-query -W -f '${Package}\t${Version}\n' | jq -R -s 'split("\n") | map(select(length > 0) | split("\t") | {(.[0]): .[1]}) | add')
log "packing $(du -sk "$ROOT" | cut -f1) KiB"
out="$tmp/out"
mkdir -p "$out"
# Numeric owners: the target's names, not this host's. Extended attributes (capabilities) kept.
(cd "$ROOT" && tar --numeric-owner --xattrs --xattrs-include='*' -cf - .) | gzip -6 > "$out/root-tgz"
sha=$(sha256sum "$out/root-tgz" | cut -d' ' -f1)
size=$(stat -c %s "$out/root-tgz")
jq -n --arg sha "$sha" --argjson size "$size" --arg kernel "$kernel" --arg suite "$SUITE" --argjson packages "$packages_json" \
  '{filetype: "root-tgz", osystem: "debian", distro_series: $suite, sha256: $sha, size: $size, kernel: $kernel, packages: $packages}' > "$out/manifest.json"
rm -rf "$DIR"
mv "$out" "$DIR"
log "built $DIR in $(($(date +%s) - started)) s: root-tgz $size bytes, $(jq '.packages | length' "$DIR/manifest.json") packages, kernel $kernel"
echo "$DIR"
