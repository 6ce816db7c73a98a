# Applies a curtin v1 storage config (maas-api.md §14.2) to this machine's disks and mounts the
# result below TARGET. Sourced by installer.sh (busybox sh + jq, sgdisk, sfdisk, wipefs, mdadm,
# lvm, make-bcache, mkfs.*, blkid).
#
# storage_apply CONFIG_JSON TARGET
#   Entries are applied in order. What later steps need is left in WORK:
#     WORK/storage/dev.<id>    the block device an entry id stands for
#     WORK/storage/fmt.<id>    "<device> <fstype>" of a format entry
#     WORK/fstab               the target's fstab (by UUID)
#     WORK/mounts              mount points below TARGET, in mount order
#     WORK/grub-devices        the disks marked grub_device
#     WORK/mdadm.conf          ARRAY lines of the arrays created
#     WORK/esp                 present when an EFI system partition is mounted at /boot/efi
# storage_unmount TARGET       unmounts what storage_apply mounted, deepest first.
#
# There is no udev in the ephemeral environment: disks are found by serial in sysfs, device
# mapper nodes are made by libdevmapper itself (DM_DISABLE_UDEV) and LVM neither waits for nor
# relies on udev. Every wipe is a signature wipe (wipefs plus the first MiB zeroed), whatever
# the entry's wipe mode.

export DM_DISABLE_UDEV=1
# busybox sh runs its own applets (blkid, mkswap, mkfs.vfat, mkfs.ext2, tar) before anything on
# PATH: the full tools are called by path.
SBIN=/sbin
LVM_CONFIG='activation { udev_sync = 0 udev_rules = 0 } devices { obtain_device_list_from_udev = 0 }'

lvm_() { # SUBCOMMAND ARGS...
  _sub=$1
  shift
  lvm "$_sub" --config "$LVM_CONFIG" "$@"
}

# Runs a command, logging it; on failure the whole install fails with its output.
run() {
  log "+ $*"
  if ! "$@" > "$WORK/cmd.out" 2>&1; then
    cat "$WORK/cmd.out" >&2
    fail "command failed: $* ($(tail -3 "$WORK/cmd.out" | tr '\n' ' '))"
  fi
}

# size_bytes "<n>B" | "<n>" | "<n>K|M|G|T" -> bytes (binary multiples, as curtin reads them).
size_bytes() {
  echo "$1" | awk '{
    s = toupper($0); gsub(/ /, "", s); m = 1
    if (s ~ /B$/) s = substr(s, 1, length(s) - 1)
    u = substr(s, length(s), 1)
    if (u == "K") m = 1024; else if (u == "M") m = 1048576; else if (u == "G") m = 1073741824; else if (u == "T") m = 1099511627776
    if (m > 1) s = substr(s, 1, length(s) - 1)
    printf "%.0f\n", s * m
  }'
}

entry_field() { # JSON FIELD -> the value, empty when absent or null
  printf '%s\n' "$1" | jq -r --arg f "$2" '.[$f] // empty | if type == "array" then join(" ") else tostring end'
}

device_of() { # ID -> device path of an entry already applied
  [ -s "$WORK/storage/dev.$1" ] || fail "storage entry '$1' is used before it was created"
  cat "$WORK/storage/dev.$1"
}

remember() { # ID DEVICE
  echo "$2" > "$WORK/storage/dev.$1"
}

wait_for_device() { # PATH
  _i=0
  while [ ! -b "$1" ] && [ $_i -lt 100 ]; do sleep 0.1; _i=$((_i + 1)); done
  [ -b "$1" ] || fail "$1 did not appear"
}

# The serial a disk reports: virtio-blk and NVMe in sysfs, SCSI/SATA in VPD page 0x80.
disk_serial() { # SYSFS_BLOCK_DIR
  if [ -s "$1/serial" ]; then
    cat "$1/serial"
  elif [ -s "$1/device/serial" ]; then
    cat "$1/device/serial"
  elif [ -s "$1/device/vpd_pg80" ]; then
    tail -c +5 "$1/device/vpd_pg80" | tr -d '\000'
  fi | tr -d ' \n'
}

find_disk() { # ENTRY_JSON -> /dev/<name>
  _serial=$(entry_field "$1" serial | tr -d ' ')
  _path=$(entry_field "$1" path)
  if [ -n "$_serial" ]; then
    for _b in /sys/block/*; do
      [ "$(disk_serial "$_b")" = "$_serial" ] && { echo "/dev/${_b##*/}"; return 0; }
    done
  fi
  if [ -n "$_path" ] && [ -b "$_path" ]; then
    echo "$_path"
    return 0
  fi
  return 1
}

partition_path() { # DISK NUMBER
  case "$1" in
    *[0-9]) echo "${1}p$2" ;;
    *) echo "$1$2" ;;
  esac
}

# Stops whatever sits on top of a block device (LVM, RAID, bcache), deepest first.
release_holders() { # SYSFS_NAME
  local _h
  for _h in /sys/class/block/"$1"/holders/*; do
    [ -e "$_h" ] || continue
    release_one "${_h##*/}"
  done
}

release_one() { # SYSFS_NAME of a holder
  local name=$1
  release_holders "$name"
  case "$name" in
    dm-*)
      log "removing device-mapper $(cat "/sys/class/block/$name/dm/name")"
      dmsetup remove --retry "$(cat "/sys/class/block/$name/dm/name")" || fail "cannot remove /dev/$name"
      ;;
    md*)
      log "stopping /dev/$name"
      mdadm --stop "/dev/$name" >&2 || fail "cannot stop /dev/$name"
      ;;
    bcache*)
      log "stopping /dev/$name"
      echo 1 > "/sys/class/block/$name/bcache/stop"
      ;;
  esac
}

wipe_device() { # DEVICE
  wipefs -a -f "$1" > /dev/null 2>&1 || wipefs -a "$1" > /dev/null 2>&1 || true
  dd if=/dev/zero of="$1" bs=1M count=1 conv=fsync 2> /dev/null || true
}

# Everything on a disk goes: holders released, signatures of its partitions and itself wiped,
# partition table zapped.
clear_disk() { # DEVICE
  local name=${1##*/} part
  for part in /sys/class/block/"$name"/"$name"*; do
    [ -e "$part" ] || continue
    release_holders "${part##*/}"
  done
  release_holders "$name"
  # bcache cache sets on a partition are unregistered through the set.
  for part in /sys/class/block/"$name"/"$name"* /sys/class/block/"$name"; do
    [ -e "$part/bcache/set/unregister" ] && echo 1 > "$part/bcache/set/unregister"
  done
  for part in /sys/class/block/"$name"/"$name"*; do
    [ -e "$part" ] || continue
    wipe_device "/dev/${part##*/}"
  done
  sgdisk --zap-all "$1" > /dev/null 2>&1 || true
  wipe_device "$1"
  reread_partitions "$1"
}

reread_partitions() { # DISK
  sync
  # partx adds and removes partitions one by one where the kernel cannot re-read a busy disk
  # (or has no partition table parsers at all).
  blockdev --rereadpt "$1" 2> /dev/null
  partx -u "$1" 2> /dev/null || true
}

apply_disk() { # ENTRY
  local id dev ptable
  id=$(entry_field "$1" id)
  if ! dev=$(find_disk "$1"); then
    fail "disk '$id' (serial '$(entry_field "$1" serial)', path '$(entry_field "$1" path)') is not on this machine"
  fi
  log "disk $id is $dev"
  remember "$id" "$dev"
  clear_disk "$dev"
  ptable=$(entry_field "$1" ptable)
  case "$ptable" in
    gpt) run sgdisk --clear "$dev" ;;
    msdos | dos) echo 'label: dos' > "$WORK/sfdisk.in" && run sfdisk --quiet "$dev" < "$WORK/sfdisk.in" ;;
    "" | vtoc) ;;
    *) fail "disk $id: partition table '$ptable' is not supported" ;;
  esac
  [ -n "$ptable" ] && echo "$ptable" > "$WORK/storage/ptable.$id" && echo "$ptable" > "$WORK/storage/ptable-of.${dev##*/}"
  # The next free byte: partitions without an offset follow the previous one.
  echo 1048576 > "$WORK/storage/next.$id"
  [ "$(entry_field "$1" grub_device)" = true ] && echo "$dev" >> "$WORK/grub-devices"
  reread_partitions "$dev"
}

gpt_type() { # FLAG
  case "$1" in
    bios_grub) echo EF02 ;; boot | esp) echo EF00 ;; prep) echo 4100 ;; lvm) echo 8E00 ;;
    raid) echo FD00 ;; swap) echo 8200 ;; home) echo 8302 ;; msftres) echo 0C01 ;; *) echo 8300 ;;
  esac
}

mbr_type() { # FLAG
  case "$1" in
    extended) echo 5 ;; prep) echo 41 ;; lvm) echo 8e ;; raid) echo fd ;; swap) echo 82 ;; *) echo 83 ;;
  esac
}

apply_partition() { # ENTRY
  local id parent disk number size offset flag ptable ss start sectors end last dev mib=1048576
  id=$(entry_field "$1" id)
  parent=$(entry_field "$1" device)
  disk=$(device_of "$parent")
  number=$(entry_field "$1" number)
  size=$(size_bytes "$(entry_field "$1" size)")
  offset=$(entry_field "$1" offset)
  flag=$(entry_field "$1" flag)
  ptable=$(cat "$WORK/storage/ptable.$parent" 2> /dev/null || echo gpt)
  ss=$(blockdev --getss "$disk")
  if [ -z "$number" ]; then
    number=$(($(ls "$WORK/storage/" | grep -c "^partnum\.$parent\.") + 1))
  fi
  : > "$WORK/storage/partnum.$parent.$number"
  if [ -n "$offset" ]; then
    start=$(size_bytes "$offset")
  else
    start=$(cat "$WORK/storage/next.$parent")
    # Logical partitions need room for their extended boot record.
    [ "$flag" = logical ] && start=$((start + mib))
  fi
  start=$(((start + mib - 1) / mib * mib))
  [ "$flag" = extended ] && echo "$start" > "$WORK/storage/next.$parent" || echo $((start + size)) > "$WORK/storage/next.$parent"
  sectors=$((size / ss))
  end=$((start / ss + sectors - 1))
  # The backup GPT (33 sectors) and rounding may leave less than asked at the end of the disk.
  last=$(($(blockdev --getsz "$disk") * 512 / ss - 34))
  [ "$end" -gt "$last" ] && end=$last
  log "partition $id: $disk #$number at $start bytes, $(((end - start / ss + 1) * ss)) bytes, flag ${flag:-none}"
  if [ "$ptable" = gpt ]; then
    run sgdisk --new="$number:$((start / ss)):$end" --typecode="$number:$(gpt_type "$flag")" "$disk"
  else
    printf '%s\n' "$(partition_path "$disk" "$number") : start=$((start / ss)), size=$((end - start / ss + 1)), type=$(mbr_type "$flag")$([ "$flag" = boot ] && echo ', bootable')" > "$WORK/sfdisk.in"
    run sfdisk --quiet --no-reread --no-tell-kernel --append "$disk" < "$WORK/sfdisk.in"
  fi
  reread_partitions "$disk"
  dev=$(partition_path "$disk" "$number")
  wait_for_device "$dev"
  [ "$flag" = extended ] || wipe_device "$dev"
  remember "$id" "$dev"
}

apply_raid() { # ENTRY
  local id name level devices spares n md count spare_count
  id=$(entry_field "$1" id)
  name=$(entry_field "$1" name)
  level=$(entry_field "$1" raidlevel)
  devices="" spares=""
  for n in $(entry_field "$1" devices); do devices="$devices $(device_of "$n")"; done
  for n in $(entry_field "$1" spare_devices); do spares="$spares $(device_of "$n")"; done
  count=$(echo $devices | wc -w)
  spare_count=$(echo $spares | wc -w)
  n=0
  while [ -e "/sys/block/md$n" ]; do n=$((n + 1)); done
  md=/dev/md$n
  log "raid $id: $md ${name:+($name) }level $level of$devices${spares:+ spares$spares}"
  # A new array has nothing worth resynchronising.
  # shellcheck disable=SC2086 # device lists
  run mdadm --create "$md" --run --assume-clean --metadata=1.2 --homehost=any ${name:+--name="$name"} \
    --level="$level" --raid-devices="$count" $devices $([ "$spare_count" -gt 0 ] && echo "--spare-devices=$spare_count$spares")
  wait_for_device "$md"
  mdadm --detail --brief "$md" >> "$WORK/mdadm.conf" 2> /dev/null
  remember "$id" "$md"
  local ptable
  ptable=$(entry_field "$1" ptable)
  if [ -n "$ptable" ]; then
    echo "$ptable" > "$WORK/storage/ptable.$id"
    echo 1048576 > "$WORK/storage/next.$id"
    case "$ptable" in
      gpt) run sgdisk --clear "$md" ;;
      *) echo 'label: dos' > "$WORK/sfdisk.in" && run sfdisk --quiet "$md" < "$WORK/sfdisk.in" ;;
    esac
  fi
}

apply_volgroup() { # ENTRY
  local id name devices n
  id=$(entry_field "$1" id)
  name=$(entry_field "$1" name)
  devices=""
  for n in $(entry_field "$1" devices); do devices="$devices $(device_of "$n")"; done
  log "volume group $name on$devices"
  # shellcheck disable=SC2086 # device list
  run lvm_ pvcreate -ff -y $devices
  # shellcheck disable=SC2086 # device list
  run lvm_ vgcreate -y "$name" $devices
  remember "$id" "$name"
  echo "$name" >> "$WORK/volgroups"
}

apply_logical_volume() { # ENTRY
  local id name vg size dev free
  id=$(entry_field "$1" id)
  name=$(entry_field "$1" name)
  vg=$(device_of "$(entry_field "$1" volgroup)")
  size=$(entry_field "$1" size)
  log "logical volume $vg/$name ${size:-(all free space)}"
  free=$(lvm_ vgs --noheadings --nosuffix --units b -o vg_free "$vg" 2> /dev/null | tr -d ' ')
  if [ -n "$size" ] && [ "$(size_bytes "$size")" -le "${free:-0}" ]; then
    run lvm_ lvcreate -y -Wy -Zy -n "$name" -L "$(size_bytes "$size")b" "$vg"
  else
    # No size, or a size the group's metadata leaves no room for: the rest of the group.
    log "logical volume $vg/$name takes the ${free:-?} bytes left"
    run lvm_ lvcreate -y -Wy -Zy -n "$name" -l 100%FREE "$vg"
  fi
  dev=/dev/mapper/$(echo "$vg" | sed 's/-/--/g')-$(echo "$name" | sed 's/-/--/g')
  wait_for_device "$dev"
  remember "$id" "$dev"
}

apply_bcache() { # ENTRY
  local id backing cache mode name sysname link i
  id=$(entry_field "$1" id)
  backing=$(device_of "$(entry_field "$1" backing_device)")
  cache=$(entry_field "$1" cache_device)
  [ -n "$cache" ] && cache=$(device_of "$cache")
  mode=$(entry_field "$1" cache_mode)
  log "bcache $id: backing $backing${cache:+, cache $cache}${mode:+, $mode}"
  # Created together, the backing device is attached to the new cache set.
  run make-bcache --wipe-bcache -B "$backing" ${cache:+-C "$cache"}
  for dev in "$backing" $cache; do
    echo "$dev" > /sys/fs/bcache/register 2> /dev/null || true
  done
  sysname=${backing##*/}
  i=0
  while [ ! -e "/sys/class/block/$sysname/bcache/dev" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
  link=$(readlink "/sys/class/block/$sysname/bcache/dev") || fail "bcache on $backing did not register"
  name=/dev/${link##*/}
  wait_for_device "$name"
  [ -n "$mode" ] && echo "$mode" > "/sys/block/${link##*/}/bcache/cache_mode"
  remember "$id" "$name"
}

apply_format() { # ENTRY
  local id dev fstype label uuid
  id=$(entry_field "$1" id)
  dev=$(device_of "$(entry_field "$1" volume)")
  fstype=$(entry_field "$1" fstype)
  label=$(entry_field "$1" label)
  uuid=$(entry_field "$1" uuid)
  log "format $dev as $fstype${label:+ label $label}"
  case "$fstype" in
    ext2 | ext3 | ext4) run "$SBIN/mkfs.$fstype" -F -q ${label:+-L "$label"} ${uuid:+-U "$uuid"} "$dev" ;;
    xfs) run "$SBIN/mkfs.xfs" -f -q ${label:+-L "$label"} ${uuid:+-m uuid="$uuid"} "$dev" ;;
    btrfs) run "$SBIN/mkfs.btrfs" -f -q ${label:+-L "$label"} ${uuid:+-U "$uuid"} "$dev" ;;
    fat | vfat | fat32) fstype=vfat; run "$SBIN/mkfs.vfat" -F 32 ${label:+-n "$(echo "$label" | cut -c1-11)"} ${uuid:+-i "$(echo "$uuid" | tr -d '-' | cut -c1-8)"} "$dev" ;;
    fat16) fstype=vfat; run "$SBIN/mkfs.vfat" -F 16 ${label:+-n "$(echo "$label" | cut -c1-11)"} "$dev" ;;
    fat12) fstype=vfat; run "$SBIN/mkfs.vfat" -F 12 ${label:+-n "$(echo "$label" | cut -c1-11)"} "$dev" ;;
    swap) run "$SBIN/mkswap" ${label:+-L "$label"} ${uuid:+-U "$uuid"} "$dev" ;;
    *) fail "format $id: file system '$fstype' is not supported" ;;
  esac
  echo "$dev $fstype" > "$WORK/storage/fmt.$id"
}

# Mounts are collected and done at the end, shallowest path first.
collect_mount() { # ENTRY
  printf '%s\n' "$1" >> "$WORK/storage/mounts.json"
}

fs_uuid() { # DEVICE
  "$SBIN/blkid" -s UUID -o value "$1" 2> /dev/null
}

apply_mounts() { # TARGET
  local target=$1 item path device options fstype spec dev uuid pass
  [ -s "$WORK/storage/mounts.json" ] || return 0
  jq -c -s 'sort_by((.path // "none") | if . == "/" then 0 else (split("/") | length) end)[]' "$WORK/storage/mounts.json" > "$WORK/storage/mounts.sorted"
  while read -r item; do
    path=$(entry_field "$item" path)
    device=$(entry_field "$item" device)
    options=$(entry_field "$item" options)
    fstype=$(entry_field "$item" fstype)
    spec=$(entry_field "$item" spec)
    if [ -z "$device" ]; then
      # A special file system (tmpfs and the like): fstab only.
      [ -n "$spec" ] && [ -n "$path" ] && echo "$spec $path ${fstype:-auto} ${options:-defaults} 0 0" >> "$WORK/fstab"
      continue
    fi
    [ -s "$WORK/storage/fmt.$device" ] || fail "mount $(entry_field "$item" id): '$device' is not a formatted volume"
    read -r dev fstype < "$WORK/storage/fmt.$device"
    uuid=$(fs_uuid "$dev")
    [ -n "$uuid" ] || fail "no UUID on $dev"
    if [ "$fstype" = swap ] || [ -z "$path" ] || [ "$path" = none ]; then
      echo "UUID=$uuid none swap ${options:-sw} 0 0" >> "$WORK/fstab"
      continue
    fi
    pass=2
    [ "$path" = / ] && pass=1
    echo "UUID=$uuid $path $fstype ${options:-defaults} 0 $pass" >> "$WORK/fstab"
    mkdir -p "$target$path"
    log "mount $dev on $target$path"
    run mount -t "$fstype" ${options:+-o "$options"} "$dev" "$target$path"
    echo "$target$path" >> "$WORK/mounts"
    [ "$path" = /boot/efi ] && : > "$WORK/esp"
  done < "$WORK/storage/mounts.sorted"
  grep -q " / " "$WORK/fstab" 2> /dev/null || fail "the storage config mounts nothing at /"
}

storage_apply() { # CONFIG TARGET
  local config=$1 target=$2 item type
  mkdir -p "$WORK/storage" "$target"
  : > "$WORK/fstab"
  : > "$WORK/mounts"
  : > "$WORK/grub-devices"
  : > "$WORK/mdadm.conf"
  : > "$WORK/volgroups"
  rm -f "$WORK/esp" "$WORK/storage/mounts.json"
  jq -c '.storage.config // [] | .[]' "$config" > "$WORK/storage/entries" || fail "the install config has no readable storage.config"
  [ -s "$WORK/storage/entries" ] || fail "the install config's storage.config is empty"
  while read -r item; do
    type=$(entry_field "$item" type)
    case "$type" in
      disk) apply_disk "$item" ;;
      partition) apply_partition "$item" ;;
      raid) apply_raid "$item" ;;
      lvm_volgroup) apply_volgroup "$item" ;;
      lvm_partition) apply_logical_volume "$item" ;;
      bcache) apply_bcache "$item" ;;
      format) apply_format "$item" ;;
      mount) collect_mount "$item" ;;
      *) fail "storage entry type '$type' is not supported" ;;
    esac
  done < "$WORK/storage/entries"
  apply_mounts "$target"
}

storage_unmount() { # TARGET
  [ -s "$WORK/mounts" ] || return 0
  sync
  sed '1!G;h;$!d' "$WORK/mounts" | while read -r m; do
    umount "$m" 2> /dev/null || umount -l "$m" 2> /dev/null || log "cannot unmount $m"
  done
  : > "$WORK/mounts"
}
