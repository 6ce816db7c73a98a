#!/usr/bin/env bash
# TFTP throughput on loopback: one 100 MB file fetched by real clients from Anvil's TFTP server
# (Anvil.Benchmarks tftp-server) and from tftpd-hpa (in.tftpd -L -s), in the same run, same file.
# Clients: tftp-hpa (512-byte blocks; it has no options), busybox tftp -b 1468, curl
# --tftp-blksize 1468. No client here speaks windowsize (RFC 7440), so it is not measured.
# Usage: bench/tftp/run.sh [runs per case, default 3] [size in MiB, default 100]
# Prints a Markdown table (median MB/s, MB = 10^6 bytes) to stdout; progress to stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs="${1:-3}"
size_mib="${2:-100}"
scripts/deps.sh tftp-hpa tftpd-hpa curl busybox-static >&2

work="$(mktemp -d /tmp/anvil-tftp-bench.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -- "-$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_udp_port() {
  python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

echo "building Anvil.Benchmarks (Release)" >&2
dotnet build bench/Anvil.Benchmarks -c Release --nologo -v quiet >&2

mkdir -p "$work/root" "$work/out"
head -c "$((size_mib * 1024 * 1024))" /dev/urandom > "$work/root/big.bin"
bytes=$(stat -c %s "$work/root/big.bin")
want=$(sha256sum "$work/root/big.bin" | cut -d' ' -f1)

anvil_port=$(free_udp_port)
setsid dotnet bench/Anvil.Benchmarks/bin/Release/net10.0/Anvil.Benchmarks.dll tftp-server \
  --listen "127.0.0.1:$anvil_port" --root "$work/root" > "$work/anvil.log" 2>&1 &
pids+=($!)
hpa_port=$(free_udp_port)
setsid in.tftpd -L -s "$work/root" -a "127.0.0.1:$hpa_port" > "$work/tftpd.log" 2>&1 &
pids+=($!)

for _ in $(seq 100); do grep -q "listening on" "$work/anvil.log" && break; sleep 0.1; done
grep -q "listening on" "$work/anvil.log" || { cat "$work/anvil.log" >&2; echo "anvil tftp-server did not start" >&2; exit 1; }

# fetch CLIENT PORT DEST: one download by the named client.
fetch() {
  case "$1" in
    tftp-hpa) tftp 127.0.0.1 "$2" -m binary -c get big.bin "$3" ;;
    busybox-1468) busybox tftp -g -b 1468 -r big.bin -l "$3" 127.0.0.1 "$2" ;;
    curl-1468) curl -s -S --tftp-blksize 1468 -o "$3" "tftp://127.0.0.1:$2/big.bin" ;;
  esac
}

# measure CLIENT PORT: MB/s of each run, space-separated; fails on a wrong download.
measure() {
  local results=() dest="$work/out/got"
  for run in $(seq "$runs"); do
    rm -f "$dest"
    local start end
    start=$(date +%s.%N)
    fetch "$1" "$2" "$dest" > "$work/client.log" 2>&1 || { cat "$work/client.log" >&2; echo "$1 failed" >&2; exit 1; }
    end=$(date +%s.%N)
    [ "$(sha256sum "$dest" | cut -d' ' -f1)" = "$want" ] || { echo "$1 run $run: SHA-256 mismatch" >&2; exit 1; }
    results+=("$(python3 -c "print(f'{$bytes / ($end - $start) / 1e6:.1f}')")")
  done
  echo "${results[*]}"
}

median() { tr ' ' '\n' <<< "$1" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "| client | Anvil MB/s (median) | tftpd-hpa MB/s (median) | Anvil runs | tftpd-hpa runs |"
echo "|---|---|---|---|---|"
for client in tftp-hpa busybox-1468 curl-1468; do
  echo "$client: anvil" >&2
  anvil=$(measure "$client" "$anvil_port")
  echo "$client: tftpd-hpa" >&2
  hpa=$(measure "$client" "$hpa_port")
  echo "| $client | $(median "$anvil") | $(median "$hpa") | $anvil | $hpa |"
done
echo
echo "File: ${size_mib} MiB of random bytes, SHA-256 checked after every run; $runs runs per case; loopback."
echo "Host: $(nproc) CPUs, $(. /etc/os-release && echo "$PRETTY_NAME"), $(dotnet --version | sed 's/^/.NET SDK /'), $(tftp -V | head -1), $(in.tftpd -V 2>&1 | head -1), $(curl --version | head -1 | cut -d' ' -f1-2)"
