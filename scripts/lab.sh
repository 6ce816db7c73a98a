#!/usr/bin/env bash
# The VM lab by hand: installs the Debian packages the lab needs, builds anvild and anvil-lab and
# runs `anvil-lab up|status|down` (docs/architecture/lab.md, "The VM lab").
#
#   scripts/lab.sh up [--machines N] [--uefi K] [--state-dir DIR] [--commission true] ...
#   scripts/lab.sh status [--state-dir DIR]
#   scripts/lab.sh down [--state-dir DIR]
#
# The state directory defaults to /var/lib/anvil-lab. `up` also builds (or reuses the cached)
# ephemeral environment with scripts/ephemeral.sh and gives it to the lab's rack, so the machines
# can be commissioned; LAB_IMAGE=0 skips that.
set -euo pipefail
cd "$(dirname "$0")/.."
command=${1:-}
case "$command" in
  up|status|down) shift ;;
  *) echo "usage: scripts/lab.sh up|status|down [options]" >&2; exit 64 ;;
esac
extra=()
if [ "$command" = up ]; then
  scripts/deps.sh iproute2 qemu-system-x86 qemu-utils ipxe-qemu ovmf openipmi ipmitool postgresql util-linux bind9 bind9-dnsutils
  dotnet build src/Anvil.Server -c Release -o .anvil/bin/anvild --nologo -v quiet
  extra+=(--anvild "$(pwd)/.anvil/bin/anvild/anvild")
  if [ "${LAB_IMAGE:-1}" != 0 ]; then
    extra+=(--ephemeral "$(scripts/ephemeral.sh | tail -n 1)")
  fi
fi
if [ "$command" = up ] || [ ! -x .anvil/bin/anvil-lab/anvil-lab ]; then
  dotnet build src/Anvil.Lab -c Release -o .anvil/bin/anvil-lab --nologo -v quiet
fi
exec .anvil/bin/anvil-lab/anvil-lab "$command" "${extra[@]}" "$@"
