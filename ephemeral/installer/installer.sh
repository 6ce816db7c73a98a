#!/bin/sh
# Anvil's installer (busybox sh): carries out an install config (docs/architecture/deployment.md)
# on this machine, MAAS's curtin in the same place of the flow.
#
#   installer.sh CONFIG_JSON                 install; exit 0 when the machine should reboot into it
#   installer.sh --storage-only CONFIG_JSON  apply storage.config and mount it (then unmount),
#                                            nothing else: no image, no reports (host tests)
#
# Order: report cmd-install start; stage-partitioning (storage.sh: wipe, partition, RAID, LVM,
# bcache, mkfs, mount); stage-extract (image.url streamed through sha256sum into tar, or dd'd to
# the grub disk for root-dd*); stage-curthooks (fstab by UUID, cloud-init datasource and network
# config, hostname, mdadm.conf, GRUB for BIOS and/or UEFI from the image, update-grub);
# stage-late (op=netboot_off); cmd-install finish SUCCESS. Each stage reports start and finish to
# reporting_url (the status webhook, origin curtin) signed with the node's token.
# On failure: the stage and cmd-install finish with FAIL and the reason, op=signal FAILED, and the
# power action is poweroff, never a reboot into a half-written disk.
#
# Settings (environment):
#   ANVIL_WORK                 scratch directory (default /run/anvil/installer)
#   ANVIL_TARGET               where the new root is mounted (default /target)
#   ANVIL_POWER_ACTION_FILE    where "reboot" or "poweroff" is written for /init (default /run/anvil-power-action)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
LIB=$HERE/../lib
[ -d "$LIB" ] || LIB=/anvil/lib
. "$LIB/oauth.sh"
. "$LIB/http.sh"
. "$HERE/storage.sh"

log() { echo "anvil-installer: $*" >&2; }

WORK=${ANVIL_WORK:-/run/anvil/installer}
TARGET=${ANVIL_TARGET:-/target}
POWER_ACTION_FILE=${ANVIL_POWER_ACTION_FILE:-/run/anvil-power-action}
STORAGE_ONLY=""
if [ "${1:-}" = --storage-only ]; then
  STORAGE_ONLY=1
  shift
fi
CONFIG=${1:?usage: installer.sh [--storage-only] CONFIG_JSON}
mkdir -p "$WORK"
CONSUMER_KEY="" TOKEN_KEY="" TOKEN_SECRET="" MD_URL="" REPORTING_URL="" STAGE="" CHROOT_MOUNTS=""

field() { jq -r "$1 // empty" "$CONFIG"; }

# report EVENT_TYPE NAME DESCRIPTION [RESULT]: one status webhook event (maas-api.md §7.5).
report() {
  [ -n "$REPORTING_URL" ] || return 0
  local body
  body=$(jq -cn --arg t "$1" --arg n "$2" --arg d "$3" --arg r "${4:-}" --arg ts "$(date +%s)" \
    '{event_type: $t, origin: "curtin", name: $n, description: $d, timestamp: ($ts | tonumber)} + (if $r == "" then {} else {result: $r} end)')
  HTTP_TAG=.report http_call 1 POST "$REPORTING_URL" "$WORK/report.response" -H 'Content-Type: application/json' --data-binary "$body" \
    || log "the report of $1 $2 was refused (HTTP $HTTP_CODE)"
}

stage_start() { # NAME DESCRIPTION
  STAGE=$1
  log "stage $1: $2"
  report start "cmd-install/$1" "$2"
}

stage_finish() { # NAME DESCRIPTION
  report finish "cmd-install/$1" "$2" SUCCESS
  STAGE=""
}

release_chroot() {
  local m
  for m in $CHROOT_MOUNTS; do umount "$m" 2> /dev/null || umount -l "$m" 2> /dev/null; done
  CHROOT_MOUNTS=""
}

fail() {
  log "FAILED: $*"
  if [ -z "$STORAGE_ONLY" ]; then
    [ -n "$STAGE" ] && report finish "cmd-install/$STAGE" "$*" FAIL
    report finish cmd-install "Installation failed: $*" FAIL
    md_signal FAILED "Installation failed: $*" || log "the FAILED signal was refused (HTTP $HTTP_CODE)"
    echo poweroff > "$POWER_ACTION_FILE"
  fi
  release_chroot
  storage_unmount "$TARGET"
  exit 1
}

# --- the image -------------------------------------------------------------------------------
# Streams image.url through a fifo into sha256sum while writing it out, so nothing the size of
# the image is held in memory; the digest is compared once the stream ends.
fetch_image() { # SINK_COMMAND...
  local url sha got
  url=$(field .image.url)
  sha=$(field .image.sha256)
  [ -n "$url" ] || fail "the install config names no image"
  rm -f "$WORK/image.fifo" "$WORK/image.sha256" "$WORK/image.curl-failed"
  mkfifo "$WORK/image.fifo"
  sha256sum < "$WORK/image.fifo" > "$WORK/image.sha256" &
  local hasher=$!
  log "downloading $url"
  { curl -fsS --retry 5 --retry-connrefused --connect-timeout 10 "$url" 2> "$WORK/image.curl-err" || : > "$WORK/image.curl-failed"; } \
    | tee "$WORK/image.fifo" | "$@" 2> "$WORK/image.sink-err"
  local sink=$?
  wait "$hasher"
  # A writer that gives up makes curl fail too: its reason comes first.
  [ "$sink" = 0 ] || fail "writing the image failed: $(tail -3 "$WORK/image.sink-err" | tr '\n' ' ')"
  [ -e "$WORK/image.curl-failed" ] && fail "downloading $url failed: $(cat "$WORK/image.curl-err")"
  got=$(cut -d' ' -f1 "$WORK/image.sha256")
  if [ -n "$sha" ] && [ "$got" != "$sha" ]; then
    fail "the image's sha256 is $got, the install config says $sha"
  fi
  log "image written (sha256 $got)"
}

unpack_root() { # FILETYPE
  local flag
  case "$1" in
    root-tgz) flag=z ;; root-tbz) flag=j ;; root-txz) flag=J ;; root-tar) flag="" ;;
  esac
  # Existing directories (mount points such as /boot/efi on FAT) keep their own attributes.
  fetch_image /bin/tar -x${flag}p --numeric-owner --xattrs --xattrs-include='*' --no-overwrite-dir -f - -C "$TARGET"
}

write_disk_image() { # FILETYPE DISK
  local decompress=cat
  case "$1" in
    *.xz) decompress="xz -dc" ;; *.gz) decompress="gzip -dc" ;; *.bz2) decompress="bzip2 -dc" ;;
  esac
  # shellcheck disable=SC2086 # the decompressor and its options
  fetch_image sh -c "$decompress | dd of='$2' bs=4M conv=fsync 2>/dev/null"
  reread_partitions "$2"
}

# --- the target's configuration --------------------------------------------------------------
write_cloud_init() {
  mkdir -p "$TARGET/etc/cloud/cloud.cfg.d"
  # datasource_list on a line of its own: cloud-init's ds-identify (which decides at boot whether
  # cloud-init runs at all) reads it with a line parser. The rest is JSON, which is YAML.
  {
    echo "# Written by Anvil's installer: the region is this machine's datasource."
    echo "datasource_list: [ MAAS ]"
    printf 'datasource: '
    jq -c '{MAAS: {metadata_url: .datasource.metadata_url, consumer_key: .datasource.consumer_key,
                   token_key: .datasource.token_key, token_secret: .datasource.token_secret}}' "$CONFIG"
    if [ -n "$REPORTING_URL" ]; then
      printf 'reporting: '
      jq -c '{maas: {type: "webhook", endpoint: .reporting_url, consumer_key: .datasource.consumer_key,
                     token_key: .datasource.token_key, token_secret: .datasource.token_secret}}' "$CONFIG"
    fi
  } > "$TARGET/etc/cloud/cloud.cfg.d/90-anvil-datasource.cfg" || fail "cannot write the datasource config"
  chmod 600 "$TARGET/etc/cloud/cloud.cfg.d/90-anvil-datasource.cfg"
  if jq -e '.network' "$CONFIG" > /dev/null; then
    jq -c '{network: .network}' "$CONFIG" > "$TARGET/etc/cloud/cloud.cfg.d/50-anvil-networking.cfg" || fail "cannot write the network config"
  fi
}

write_identity() {
  local hostname fqdn
  hostname=$(field .hostname)
  fqdn=$(field .fqdn)
  [ -n "$hostname" ] || return 0
  echo "$hostname" > "$TARGET/etc/hostname"
  {
    echo "127.0.0.1 localhost"
    echo "127.0.1.1 ${fqdn:+$fqdn }$hostname"
    echo "::1 localhost ip6-localhost ip6-loopback"
  } > "$TARGET/etc/hosts"
}

chroot_mount() { # TYPE SOURCE DIR [OPTIONS]
  mkdir -p "$TARGET$3"
  if [ "$1" = bind ]; then
    mount --bind "$2" "$TARGET$3" || fail "cannot bind $2 into the target"
  else
    mount -t "$1" "$2" "$TARGET$3" || fail "cannot mount $1 in the target"
  fi
  CHROOT_MOUNTS="$TARGET$3 $CHROOT_MOUNTS"
}

in_target() { # COMMAND...
  log "+ (target) $*"
  if ! chroot "$TARGET" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 DM_DISABLE_UDEV=1 HOME=/root "$@" > "$WORK/target.out" 2>&1; then
    cat "$WORK/target.out" >&2
    fail "in the target: $* ($(tail -3 "$WORK/target.out" | tr '\n' ' '))"
  fi
}

# No udev here, so GRUB would find no /dev/disk/by-uuid and name the root by its kernel name.
link_uuids() {
  local dev uuid
  mkdir -p /dev/disk/by-uuid
  for dev in $(cut -d' ' -f1 "$WORK"/storage/fmt.* 2> /dev/null); do
    uuid=$(fs_uuid "$dev")
    [ -n "$uuid" ] && ln -sf "$dev" "/dev/disk/by-uuid/$uuid"
  done
}

install_grub() {
  local kernel_opts disk bios=""
  kernel_opts=$(field .kernel_opts)
  cat > "$TARGET/etc/default/grub" << EOF
# Written by Anvil's installer.
GRUB_DEFAULT=0
GRUB_TIMEOUT=1
GRUB_DISTRIBUTOR=\`( . /etc/os-release && echo \${NAME%% *} ) 2>/dev/null || echo Debian\`
GRUB_CMDLINE_LINUX_DEFAULT=""
GRUB_CMDLINE_LINUX="$kernel_opts"
GRUB_DISABLE_OS_PROBER=true
EOF
  chroot_mount bind /dev /dev
  chroot_mount proc proc /proc
  chroot_mount sysfs sys /sys
  link_uuids
  if [ -s "$WORK/mdadm.conf" ]; then
    mkdir -p "$TARGET/etc/mdadm"
    cat "$WORK/mdadm.conf" >> "$TARGET/etc/mdadm/mdadm.conf"
  fi
  # Arrays and caches must be assembled before the root is mounted: the image's initramfs
  # learns about them here. (LVM is found without help.)
  if [ -s "$WORK/mdadm.conf" ] || ls "$WORK"/storage/dev.* 2> /dev/null | xargs cat 2> /dev/null | grep -q '^/dev/bcache'; then
    in_target update-initramfs -u -k all
  fi
  # BIOS: from the grub disks' MBR, needs a bios_grub partition on GPT.
  for disk in $(cat "$WORK/grub-devices"); do
    if [ "$(cat "$WORK/storage/ptable-of.${disk##*/}" 2> /dev/null)" != gpt ] || sgdisk -p "$disk" 2> /dev/null | grep -qE ' EF02( |$)'; then
      in_target grub-install --target=i386-pc "$disk"
      bios=1
    else
      log "$disk has no bios_grub partition: no BIOS boot loader on it"
    fi
  done
  if [ -e "$WORK/esp" ]; then
    # --removable: the firmware's fallback path, so no NVRAM boot entry is needed.
    in_target grub-install --target=x86_64-efi --efi-directory=/boot/efi --removable --no-nvram
  elif [ -d /sys/firmware/efi ]; then
    fail "this machine booted with UEFI but the storage config mounts no EFI system partition at /boot/efi"
  elif [ -z "$bios" ]; then
    fail "no boot loader could be installed: no grub_device with a bios_grub partition or MBR, no EFI system partition"
  fi
  in_target update-grub
}

# --- the flow --------------------------------------------------------------------------------
storage_only() {
  storage_apply "$CONFIG" "$TARGET"
  log "storage applied; fstab:"
  cat "$WORK/fstab" >&2
  storage_unmount "$TARGET"
  exit 0
}

main() {
  [ -s "$CONFIG" ] || fail "no install config at $CONFIG"
  [ -n "$STORAGE_ONLY" ] && storage_only
  CONSUMER_KEY=$(field .datasource.consumer_key)
  TOKEN_KEY=$(field .datasource.token_key)
  TOKEN_SECRET=$(field .datasource.token_secret)
  local md filetype grub_disk
  md=$(field .datasource.metadata_url)
  case "$md" in */) ;; *) md=$md/ ;; esac
  MD_URL=${md}latest/
  REPORTING_URL=$(field .reporting_url)
  filetype=$(field .image.filetype)
  filetype=${filetype:-root-tgz}
  log "installing $(field .osystem)/$(field .distro_series) ($filetype) on $(field .hostname)"
  report start cmd-install "curtin command install"

  case "$filetype" in
    root-dd*)
      # A whole-disk image: the storage entries do not apply; it goes to the grub disk.
      stage_start stage-partitioning "preparing the boot disk"
      mkdir -p "$WORK/storage"
      : > "$WORK/grub-devices"
      local item
      jq -c '.storage.config // [] | .[] | select(.type == "disk")' "$CONFIG" > "$WORK/storage/disks"
      grub_disk=""
      while read -r item; do
        d=$(find_disk "$item") || continue
        [ -z "$grub_disk" ] || [ "$(entry_field "$item" grub_device)" = true ] && grub_disk=$d
      done < "$WORK/storage/disks"
      [ -n "$grub_disk" ] || fail "no disk of the storage config is on this machine"
      clear_disk "$grub_disk"
      stage_finish stage-partitioning "boot disk $grub_disk"
      stage_start stage-extract "writing the disk image to $grub_disk"
      write_disk_image "$filetype" "$grub_disk"
      stage_finish stage-extract "image written"
      ;;
    root-tgz | root-tbz | root-txz | root-tar)
      stage_start stage-partitioning "configuring storage"
      storage_apply "$CONFIG" "$TARGET"
      stage_finish stage-partitioning "storage configured"
      stage_start stage-extract "writing the root file system"
      unpack_root "$filetype"
      stage_finish stage-extract "root file system written"
      stage_start stage-curthooks "configuring the installed system"
      cp "$WORK/fstab" "$TARGET/etc/fstab"
      write_identity
      write_cloud_init
      install_grub
      release_chroot
      stage_finish stage-curthooks "installed system configured"
      ;;
    *) fail "image file type '$filetype' is not supported" ;;
  esac

  stage_start stage-late "turning network boot off"
  sync
  storage_unmount "$TARGET"
  http_call 1 POST "${MD_URL}?op=netboot_off" "$WORK/netboot_off.response" --data-binary op=netboot_off \
    || fail "the region refused op=netboot_off (HTTP $HTTP_CODE)"
  stage_finish stage-late "network boot off"
  report finish cmd-install "curtin command install" SUCCESS
  echo reboot > "$POWER_ACTION_FILE"
  log "installed; rebooting into it"
  exit 0
}

main
