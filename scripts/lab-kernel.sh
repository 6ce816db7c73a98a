#!/usr/bin/env bash
# Builds the kernel and tiny initramfs that the lab's QEMU machines network-boot in boot tests
# (lab.md §4): the current Debian kernel, extracted from its package without installing it, and a
# busybox-static initramfs whose /init loads the NIC drivers, runs DHCP, optionally fetches
# lab.url=URL, and powers off (or holds with lab.hold=N|forever).
#
# Usage: scripts/lab-kernel.sh [DEST]
#   DEST defaults to $ANVIL_LAB_KERNEL or /var/cache/anvil/lab-kernel; it receives vmlinuz and
#   initrd.img. Needs busybox-static, cpio, gzip. Re-running with the same kernel package is a no-op.
set -euo pipefail

DEST=${1:-${ANVIL_LAB_KERNEL:-/var/cache/anvil/lab-kernel}}
BUSYBOX=${BUSYBOX:-/bin/busybox}

# The versioned kernel package linux-image-amd64 currently depends on.
KPKG=$(apt-cache show --no-all-versions linux-image-amd64 | sed -n 's/^Depends: \([^ ,]*\).*/\1/p' | head -1)
KVERSION=$(apt-cache policy "$KPKG" | awk '/Candidate:/ { print $2 }')
STAMP="$KPKG $KVERSION $(sha256sum "$BUSYBOX" | cut -d' ' -f1) $(sha256sum "$0" | cut -d' ' -f1)"
mkdir -p "$DEST"
if [ "$(cat "$DEST/.stamp" 2>/dev/null)" = "$STAMP" ] && [ -s "$DEST/vmlinuz" ] && [ -s "$DEST/initrd.img" ]; then
  echo "lab-kernel: $DEST is up to date ($KPKG)"
  exit 0
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
APT_OPTIONS=()
[ "$(id -u)" = 0 ] && APT_OPTIONS=(-o APT::Sandbox::User=root)
(cd "$WORK" && apt-get download -q "${APT_OPTIONS[@]}" "$KPKG" >/dev/null)

# Only what the lab needs: the kernel and the NIC (e1000, virtio-net) and IPMI modules.
mkdir "$WORK/kernel"
dpkg-deb --fsys-tarfile "$WORK"/"$KPKG"_*.deb | tar -x -C "$WORK/kernel" --wildcards './boot/vmlinuz-*' \
  '*/drivers/net/virtio_net.ko' '*/drivers/net/net_failover.ko' '*/net/core/failover.ko' \
  '*/drivers/virtio/virtio*.ko' '*/e1000/e1000.ko' '*/drivers/char/ipmi/ipmi_msghandler.ko' \
  '*/drivers/char/ipmi/ipmi_si.ko' '*/drivers/char/ipmi/ipmi_devintf.ko'
KVER=$(ls "$WORK/kernel/lib/modules" | head -1)
KM="$WORK/kernel/lib/modules/$KVER/kernel"

ROOT="$WORK/initramfs"
mkdir -p "$ROOT"/{bin,dev,proc,sys,lib/modules,tmp}
cp "$BUSYBOX" "$ROOT/bin/busybox"
ln -s busybox "$ROOT/bin/sh"
# No modprobe or modules.dep in here: /init loads these in dependency order.
for m in drivers/net/ethernet/intel/e1000/e1000.ko net/core/failover.ko drivers/net/net_failover.ko \
         drivers/virtio/virtio_ring.ko drivers/virtio/virtio.ko drivers/virtio/virtio_pci_legacy_dev.ko \
         drivers/virtio/virtio_pci_modern_dev.ko drivers/virtio/virtio_pci.ko drivers/net/virtio_net.ko \
         drivers/char/ipmi/ipmi_msghandler.ko drivers/char/ipmi/ipmi_si.ko drivers/char/ipmi/ipmi_devintf.ko; do
  cp "$KM/$m" "$ROOT/lib/modules/"
done

cat > "$ROOT/init" <<'INIT'
#!/bin/sh
# Kernel command line options understood:
#   lab.url=URL     HTTP GET this URL once the NIC has a DHCP lease (uptime appended)
#   lab.hold=N      sleep N seconds before powering off (lab.hold=forever: never)
#   lab.ipmi=1      load the IPMI drivers and report whether a BMC (KCS) is seen
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
up() { cut -d' ' -f1 /proc/uptime; }
echo "LAB: init start uptime=$(up)"

URL=""; HOLD=0; IPMI=0
for arg in $(cat /proc/cmdline); do
  case "$arg" in
    lab.url=*)  URL="${arg#lab.url=}" ;;
    lab.hold=*) HOLD="${arg#lab.hold=}" ;;
    lab.ipmi=*) IPMI="${arg#lab.ipmi=}" ;;
  esac
done

for m in e1000 failover net_failover virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_net; do
  insmod /lib/modules/$m.ko 2>/dev/null
done

if [ "$IPMI" = "1" ]; then
  for m in ipmi_msghandler ipmi_si ipmi_devintf; do insmod /lib/modules/$m.ko 2>/dev/null; done
  sleep 1
  dmesg | grep -i ipmi | sed 's/^/LAB: /'
  ls -l /dev/ipmi* 2>/dev/null | sed 's/^/LAB: /'
fi

i=0
while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
ip link set lo up
ip link set eth0 up
echo "LAB: eth0 up uptime=$(up) mac=$(cat /sys/class/net/eth0/address)"
if udhcpc -i eth0 -s /udhcpc.sh -n -q -t 20 -T 1 >/dev/null 2>&1; then
  echo "LAB: dhcp ok uptime=$(up) addr=$(ip -4 -o addr show eth0 | awk '{print $4}')"
else
  echo "LAB: dhcp FAILED uptime=$(up)"
fi

if [ -n "$URL" ]; then
  SEP='?'; case "$URL" in *\?*) SEP='&';; esac
  # busybox 1.35 "wget -T N" segfaults; the timeout applet bounds it instead
  if R=$(timeout 10 wget -q -O - "${URL}${SEP}uptime=$(up)" 2>&1); then
    echo "LAB: http ok uptime=$(up) response=$R"
  else
    echo "LAB: http FAILED uptime=$(up) $R"
  fi
fi

if [ "$HOLD" = "forever" ]; then
  echo "LAB: holding forever"; while true; do sleep 3600; done
fi
[ "$HOLD" != "0" ] && { echo "LAB: holding ${HOLD}s"; sleep "$HOLD"; }
echo "LAB: poweroff uptime=$(up)"
poweroff -f
INIT

cat > "$ROOT/udhcpc.sh" <<'UDHCPC'
#!/bin/sh
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route add default via ${router%% *} dev "$interface" 2>/dev/null
    : ;;
esac
exit 0
UDHCPC
chmod +x "$ROOT/init" "$ROOT/udhcpc.sh"

# /dev/console must exist before devtmpfs is mounted, or init has no console (needs root).
if [ "$(id -u)" = 0 ]; then
  mknod -m 600 "$ROOT/dev/console" c 5 1
else
  echo "lab-kernel: not root, so no /dev/console in the initramfs; early output may be lost" >&2
fi

(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -9) > "$DEST/.initrd.img.new"
cp "$WORK/kernel/boot/vmlinuz-$KVER" "$DEST/.vmlinuz.new"
mv -f "$DEST/.initrd.img.new" "$DEST/initrd.img"
mv -f "$DEST/.vmlinuz.new" "$DEST/vmlinuz"
echo "$STAMP" > "$DEST/.stamp"
echo "lab-kernel: built in $DEST from $KPKG ($KVER)"
ls -l "$DEST/vmlinuz" "$DEST/initrd.img"
