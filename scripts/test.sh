#!/usr/bin/env bash
# Runs the whole test suite: installs what the tests need (a real PostgreSQL, Go with Debian's
# gomaasapi for the client-compatibility test), checks formatting, builds with warnings as
# errors and runs every test project. Ends with the runner's summary: "Tests: N passed, M failed".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh postgresql util-linux golang-go golang-github-juju-gomaasapi-dev netplan.io \
  iproute2 isc-dhcp-client busybox-static isc-dhcp-relay kea-admin curl tftp-hpa qemu-system-x86 ipxe-qemu \
  openipmi ipmitool bind9 bind9-dnsutils dnsperf jq lz4 cpio xz-utils zstd smartmontools stress-ng memtester \
  fio lshw dmidecode pciutils usbutils lldpd ovmf qemu-utils debootstrap gdisk e2fsprogs xfsprogs btrfs-progs \
  gnupg gpgv openssh-client

dotnet build Anvil.slnx -c Release --nologo -v quiet
dotnet format Anvil.slnx --verify-no-changes --no-restore

log=$(mktemp)
status=0
# Anvil.slnx lists Server.Tests (the VM tests, the longest) first, so it starts at once beside the rest.
dotnet test Anvil.slnx -c Release --no-build --nologo 2>&1 | tee "$log" || status=$?
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "Tests: ${passed} passed, ${failed} failed"
exit "$status"
