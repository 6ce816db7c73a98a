#!/bin/sh
# Runs the ephemeral environment's script runner on this host against a region, for debugging
# the enlistment and metadata conversation without booting anything. Needs busybox, curl, jq.
#
#   ephemeral/run-on-host.sh --url PRESEED_URL --mac MAC [--mac MAC...] [--arch amd64/generic] [--run]
#
# PRESEED_URL is what the rack puts in cloud-config-url=, e.g.
#   http://127.0.0.1:5240/MAAS/metadata/latest/enlist-preseed/?op=get_enlist_preseed   (enlistment)
#   http://127.0.0.1:5240/MAAS/metadata/latest/by-id/<system_id>/?op=get_preseed        (known node)
# Without --run nothing is executed and nothing is signalled (ANVIL_DRY_RUN): it enlists, fetches
# the scripts and lists what it would run. --run executes the scripts HERE, as root: only for
# scripts you trust on this machine. The scratch directory is printed at the end and kept.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
URL="" MACS="" ARCH="" RUN=""
while [ $# -gt 0 ]; do
  case "$1" in
    --url) URL=$2; shift 2 ;;
    --mac) MACS="$MACS $2"; shift 2 ;;
    --arch) ARCH=$2; shift 2 ;;
    --run) RUN=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 64 ;;
  esac
done
[ -n "$URL" ] && [ -n "$MACS" ] || { sed -n '2,13p' "$0" >&2; exit 64; }
WORK=$(mktemp -d /tmp/anvil-runner.XXXXXX)
status=0
env ANVIL_CLOUD_CONFIG_URL="$URL" ANVIL_MACS="$MACS" ANVIL_WORK="$WORK" ${ARCH:+ANVIL_ARCHITECTURE="$ARCH"} \
  ${RUN:-ANVIL_DRY_RUN=1} busybox sh "$HERE/runner.sh" || status=$?
echo "runner exited $status; scratch directory $WORK" >&2
exit "$status"
