#!/bin/bash
# DHCPv4 load: perfdhcp against Anvil's DHCP server (Anvil.Benchmarks dhcp-server) and against
# kea-dhcp4 (memfile, persist true), same pool, same machine, same run, interleaved per rate.
# Two namespaces joined by one veth: server side <srv-ns>/<srv-if> 10.124.0.1/14, perfdhcp side
# 10.124.0.2/14; the pool is 10.124.1.0-10.127.255.250 (about 261k addresses, so no run runs dry).
# Fresh lease database for every run. Needs root, perfdhcp (kea-admin) and kea-dhcp4-server.
#
# Usage: bench/dhcp/run.sh [seconds per run, default 10] [rates, default "1000 2000 4000 6000 8000 max"]
# Output: one Markdown table on stdout; raw perfdhcp output in $OUT (printed at the end).
set -euo pipefail
cd "$(dirname "$0")/../.."

SECONDS_PER_RUN=${1:-10}
RATES=${2:-"1000 2000 4000 6000 8000 max"}
TAG=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
SRV_NS=anvbs$TAG
CLI_NS=anvbc$TAG
SRV_IF=dbs$TAG
CLI_IF=dbc$TAG
OUT=$(mktemp -d /tmp/anvil-dhcp-bench.XXXXXX)
SERVER_PID=

cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  ip netns del "$SRV_NS" 2>/dev/null || true
  ip netns del "$CLI_NS" 2>/dev/null || true
}
trap cleanup EXIT

scripts/deps.sh iproute2 kea-admin kea-dhcp4-server
echo "building Anvil.Benchmarks (Release)" >&2
dotnet build bench/Anvil.Benchmarks -c Release --nologo -v quiet >&2
BENCH=bench/Anvil.Benchmarks/bin/Release/net10.0/Anvil.Benchmarks.dll

ip netns add "$SRV_NS"
ip netns add "$CLI_NS"
ip -n "$SRV_NS" link set lo up
ip -n "$CLI_NS" link set lo up
ip -n "$SRV_NS" link add "$SRV_IF" type veth peer name "$CLI_IF" netns "$CLI_NS"
ip netns exec "$SRV_NS" sysctl -qw "net.ipv6.conf.$SRV_IF.disable_ipv6=1"
ip netns exec "$CLI_NS" sysctl -qw "net.ipv6.conf.$CLI_IF.disable_ipv6=1"
ip -n "$SRV_NS" addr add 10.124.0.1/14 dev "$SRV_IF"
ip -n "$CLI_NS" addr add 10.124.0.2/14 dev "$CLI_IF"
ip -n "$SRV_NS" link set "$SRV_IF" up
ip -n "$CLI_NS" link set "$CLI_IF" up

cat > "$OUT/kea.json" <<JSON
{
  "Dhcp4": {
    "interfaces-config": { "interfaces": [ "$SRV_IF" ], "dhcp-socket-type": "raw" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$OUT/kea-leases4.csv", "lfc-interval": 0 },
    "valid-lifetime": 3600,
    "authoritative": true,
    "subnet4": [ { "id": 1, "subnet": "10.124.0.0/14",
                   "pools": [ { "pool": "10.124.1.0 - 10.127.255.250" } ],
                   "option-data": [ { "name": "routers", "data": "10.124.0.1" }, { "name": "domain-name-servers", "data": "10.124.0.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "WARN", "output_options": [ { "output": "$OUT/kea-dhcp4.log" } ] } ]
  }
}
JSON

start_server() { # $1 = anvil | kea
  rm -rf "$OUT/anvil-data" "$OUT/kea-leases4.csv"*
  if [ "$1" = anvil ]; then
    ip netns exec "$SRV_NS" dotnet "$BENCH" dhcp-server --interface "$SRV_IF" --subnet 10.124.0.0/14 --server 10.124.0.1 \
      --range 10.124.1.0-10.127.255.250 --data "$OUT/anvil-data" --lease 3600 > "$OUT/anvil-server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do grep -q "dhcp-server ready" "$OUT/anvil-server.log" && break; sleep 0.1; done
    grep -q "dhcp-server ready" "$OUT/anvil-server.log" || { cat "$OUT/anvil-server.log" >&2; exit 1; }
  else
    KEA_PIDFILE_DIR=$OUT KEA_LOCKFILE_DIR=$OUT ip netns exec "$SRV_NS" kea-dhcp4 -c "$OUT/kea.json" > "$OUT/kea-server.log" 2>&1 &
    SERVER_PID=$!
    sleep 1
  fi
}

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

# prints: DORA/s, DISCOVER sent, OFFER received, REQUEST sent, ACK received
summarise() {
  awk '
    /^Rate:/ { rate = $2 }
    /Statistics for: DISCOVER-OFFER/ { section = "do" }
    /Statistics for: REQUEST-ACK/ { section = "ra" }
    /sent packets:/ { sent[section] = $3 }
    /received packets:/ { recv[section] = $3 }
    /avg delay:/ { avg[section] = $3 }
    END { printf "%s %s %s %s %s %s %s\n", rate, sent["do"], recv["do"], sent["ra"], recv["ra"], avg["do"], avg["ra"] }' "$1"
}

echo "| Server | Target /s | DORA/s | DISCOVER sent / OFFER | DISCOVER drops | REQUEST sent / ACK | REQUEST drops | avg delay D-O / R-A (ms) |"
echo "|---|---|---|---|---|---|---|---|"
for rate in $RATES; do
  for server in kea anvil; do
    start_server "$server"
    log="$OUT/perf-$server-$rate.txt"
    args=(-4 -l "$CLI_IF" -R 200000 -p "$SECONDS_PER_RUN" -W 500000)
    [ "$rate" != max ] && args+=(-r "$rate")
    ip netns exec "$CLI_NS" perfdhcp "${args[@]}" > "$log" 2>&1 || true
    stop_server
    read -r dora dsent drecv rsent rrecv davg ravg < <(summarise "$log")
    ddrop=$(awk -v s="$dsent" -v r="$drecv" 'BEGIN { if (s > 0) printf "%.2f %%", 100 * (s - r) / s; else print "-" }')
    rdrop=$(awk -v s="$rsent" -v r="$rrecv" 'BEGIN { if (s > 0) printf "%.2f %%", 100 * (s - r) / s; else print "-" }')
    name=$([ "$server" = anvil ] && echo "Anvil (C#)" || echo "kea-dhcp4 2.2 (memfile, persist)")
    echo "| $name | $rate | $dora | $dsent / $drecv | $ddrop | $rsent / $rrecv | $rdrop | $davg / $ravg |"
  done
done
echo
echo "perfdhcp: -4 -l <if> -R 200000 -p $SECONDS_PER_RUN -W 500000 [-r rate]; raw output in $OUT" >&2
