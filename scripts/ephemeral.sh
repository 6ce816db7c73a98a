#!/usr/bin/env bash
# Builds Anvil's ephemeral environment (ephemeral/build.sh) or reuses the cached build, and
# optionally installs it where a rack serves boot images.
#
# Usage: scripts/ephemeral.sh [--boot-resources DIR]
#   The build is cached in ${ANVIL_EPHEMERAL_CACHE:-/var/cache/anvil/ephemeral}/<hash>/ (boot-kernel,
#   boot-initrd, manifest.txt), <hash> covering every file under ephemeral/ and the versions of
#   the kernel and tool packages apt would download now. Prints that directory on stdout.
#   --boot-resources DIR  also installs kernel and initrd as DIR/anvil/amd64/generic/ephemeral/stable/
#                         boot-kernel and boot-initrd, the path the region names for enlistment,
#                         commissioning, testing and rescue (src/Anvil.Region/RackLink/BootConfigService.cs).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${ANVIL_EPHEMERAL_CACHE:-/var/cache/anvil/ephemeral}
BOOT_RESOURCES=""
while [ $# -gt 0 ]; do
  case "$1" in
    --boot-resources) BOOT_RESOURCES=$2; shift 2 ;;
    *) echo "usage: scripts/ephemeral.sh [--boot-resources DIR]" >&2; exit 64 ;;
  esac
done

mapfile -t packages < <("$ROOT/ephemeral/build.sh" --packages)
hash=$( {
  (cd "$ROOT/ephemeral" && find . -type f | LC_ALL=C sort | xargs sha256sum)
  apt-cache show --no-all-versions "${packages[@]}" 2>/dev/null | grep -E '^(Package|Version):'
} | sha256sum | cut -c1-16)
DIR="$CACHE/$hash"

mkdir -p "$CACHE"
exec 9> "$CACHE/.lock"
flock 9
if [ ! -s "$DIR/boot-kernel" ] || [ ! -s "$DIR/boot-initrd" ]; then
  started=$(date +%s)
  tmp=$(mktemp -d "$CACHE/.build.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  "$ROOT/ephemeral/build.sh" "$tmp/out" "$tmp/work" >&2
  rm -rf "$DIR"
  mv "$tmp/out" "$DIR"
  echo "ephemeral: built $DIR in $(($(date +%s) - started)) s" >&2
else
  echo "ephemeral: reusing $DIR" >&2
fi

if [ -n "$BOOT_RESOURCES" ]; then
  dest="$BOOT_RESOURCES/anvil/amd64/generic/ephemeral/stable"
  mkdir -p "$dest"
  for f in boot-kernel boot-initrd; do
    # A hard link when the cache is on the same file system, a copy otherwise; renamed into place
    # so a rack never serves half a file. (The rack refuses symbolic links that leave its directory.)
    ln -f "$DIR/$f" "$dest/.$f.new" 2>/dev/null || cp "$DIR/$f" "$dest/.$f.new"
    mv -f "$dest/.$f.new" "$dest/$f"
  done
  echo "ephemeral: installed into $dest" >&2
fi
echo "$DIR"
