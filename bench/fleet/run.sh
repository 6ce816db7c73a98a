#!/usr/bin/env bash
# The simulated fleet against a real anvild (issue 9): N machines PXE-enlist, are commissioned and
# deployed at the same time (anvil-lab fleet, docs/architecture/lab.md), per fleet size in turn.
#
# One anvild (region+rack, its own PostgreSQL cluster) in the root namespace serves DHCP and HTTP
# boot on one end of a veth; anvil-lab fleet runs in a namespace of its own on the other end,
# with a BMC per machine that the rack drives over IPMI. Stand-in ephemeral kernel and initrd
# (sizes below) are put where the region names them; the deploy image is the fleet's own few-KiB
# custom boot resource, uploaded through the API. Fresh anvild and database for every size.
#
# Usage: bench/fleet/run.sh [sizes, default "100 1000"] [kernel+initrd KiB, default 1000]
# Env:   FLEET_ARGS   extra anvil-lab fleet options (e.g. "--firmware-seconds 20 --until commission")
#        KEEP=1       keep the work directory (logs, fleet JSON) instead of deleting it
#        PG_PROFILE=1 load pg_stat_statements into anvild's cluster (restarted once before the fleet)
#                     and print the statements that took the most time
#        PG_SQL="..." SQL run in anvild's database before the fleet starts (e.g. to try an index)
# Output: a summary table per size on stdout (the fleet's own summary plus load, region CPU, peak
# RSS and threads, PostgreSQL CPU); progress on stderr; the JSON and logs under $WORK.
# Needs root (namespaces, veth, the rack's DHCP), PostgreSQL as anvild needs it.
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${1:-"100 1000"}
BOOT_KIB=${2:-1000}
FLEET_ARGS=${FLEET_ARGS:-}

TAG=$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')
NS=anvfl$TAG
RACK_IF=flr$TAG
FLEET_IF=flf$TAG
# A /20 of 10.<200-249>: 4094 hosts, 1,792 dynamic (one lease per machine) and the rest for AUTO
# addresses on deploy, so up to about 1,700 machines.
OCTET=$((200 + 0x${TAG:0:2} % 50))
NET=10.$OCTET
WORK=$(mktemp -d /tmp/anvil-fleet-bench.XXXXXX)
chmod o+x "$WORK" # anvild's PostgreSQL runs as postgres under it
ANVILD_PID=
SAMPLER_PID=
DATA=

stop_anvild() {
  [ -n "$SAMPLER_PID" ] && { kill "$SAMPLER_PID" 2>/dev/null || true; wait "$SAMPLER_PID" 2>/dev/null || true; SAMPLER_PID=; }
  if [ -n "$ANVILD_PID" ]; then
    kill -TERM "$ANVILD_PID" 2>/dev/null || true
    for _ in $(seq 300); do kill -0 "$ANVILD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$ANVILD_PID" 2>/dev/null || true
    wait "$ANVILD_PID" 2>/dev/null || true
    ANVILD_PID=
  fi
  # A cluster or named that outlived anvild: stop them by their paths under this run's data dir.
  if [ -n "$DATA" ] && [ -f "$DATA/postgres/postmaster.pid" ]; then
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$(ls /usr/lib/postgresql/*/bin/pg_ctl | head -1)" stop -D "$DATA/postgres" -m immediate >/dev/null 2>&1 || true
  fi
  if [ -n "$DATA" ]; then
    for pid in $(pgrep -f -- "$DATA/bind" || true); do kill "$pid" 2>/dev/null || true; done
  fi
}

cleanup() {
  trap - EXIT INT TERM
  stop_anvild
  ip netns del "$NS" 2>/dev/null || true
  ip link del "$RACK_IF" 2>/dev/null || true
  if [ -z "${KEEP:-}" ]; then rm -rf "$WORK"; else echo "kept $WORK" >&2; fi
}
trap cleanup EXIT INT TERM

free_port() { /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# api METHOD PATH [curl args...]: the admin API with the key's OAuth PLAINTEXT signature.
api() {
  local method=$1 path=$2
  shift 2
  local consumer token secret
  IFS=: read -r consumer token secret <<< "$KEY"
  curl -fsS -X "$method" "$API$path" "$@" -H "Authorization: OAuth oauth_version=\"1.0\", oauth_signature_method=\"PLAINTEXT\", oauth_consumer_key=\"$consumer\", oauth_token=\"$token\", oauth_signature=\"&$secret\", oauth_nonce=\"$RANDOM$RANDOM\", oauth_timestamp=\"$(date +%s)\""
}

# utime+stime of a process and its reaped children, in clock ticks.
ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# PostgreSQL CPU: the postmaster with its reaped backends, plus backends still running.
PGBIN=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | head -1)")
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"; }
psql_anvil() { as_postgres "$PGBIN/psql" -h "$DATA/run" -U postgres -d anvil -X -q "$@"; }

pg_ticks() {
  local master total=0 pid
  master=$(head -1 "$DATA/postgres/postmaster.pid" 2>/dev/null || true)
  [ -n "$master" ] || { echo 0; return; }
  total=$(ticks "$master")
  for pid in $(pgrep -P "$master" || true); do
    total=$((total + $(awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

echo "building anvild and anvil-lab (Release)" >&2
dotnet build src/Anvil.Server -c Release --nologo -v quiet >&2
dotnet build src/Anvil.Lab -c Release --nologo -v quiet >&2
ANVILD=src/Anvil.Server/bin/Release/net10.0/anvild.dll
LAB=src/Anvil.Lab/bin/Release/net10.0/anvil-lab.dll

ip netns add "$NS"
ip -n "$NS" link set lo up
ip link add "$RACK_IF" type veth peer name "$FLEET_IF" netns "$NS"
sysctl -qw "net.ipv6.conf.$RACK_IF.disable_ipv6=1"
ip netns exec "$NS" sysctl -qw "net.ipv6.conf.$FLEET_IF.disable_ipv6=1"
ip addr add "$NET.0.1/20" dev "$RACK_IF"
ip -n "$NS" addr add "$NET.0.2/20" dev "$FLEET_IF"
ip link set "$RACK_IF" up
ip -n "$NS" link set "$FLEET_IF" up

for N in $SIZES; do
  DATA=$WORK/anvild-$N
  PORT=$(free_port)
  API=http://127.0.0.1:$PORT/MAAS/api/2.0/
  echo "== $N machines: starting anvild ($DATA)" >&2
  : > "$WORK/anvild-$N.log"
  setsid dotnet "$ANVILD" run --data-dir "$DATA" --listen "http://127.0.0.1:$PORT" --maas-url "http://127.0.0.1:$PORT/MAAS" \
    --rack-http-listen "http://$NET.0.1:5248" --rack-interfaces "$RACK_IF" --tftp-listen "127.0.0.1:$(free_port)" \
    --dns-listen "127.0.0.1:$(free_port)" --dns-control-port "$(free_port)" --role region+rack > "$WORK/anvild-$N.log" 2>&1 &
  ANVILD_PID=$!
  KEY=
  for _ in $(seq 1200); do
    KEY=$(sed -n 's/.*Admin API key: *//p' "$WORK/anvild-$N.log" | head -1)
    [ -n "$KEY" ] && break
    kill -0 "$ANVILD_PID" 2>/dev/null || { tail -50 "$WORK/anvild-$N.log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$KEY" ] || { echo "anvild printed no admin key" >&2; tail -50 "$WORK/anvild-$N.log" >&2; exit 1; }
  for _ in $(seq 1200); do [ -s "$DATA/rack/system_id" ] && break; sleep 0.1; done
  RACK=$(cat "$DATA/rack/system_id")

  # The rack's subnet, a dynamic range over half of the /20, DHCP on with this rack as primary.
  SUBNET_JSON=
  for _ in $(seq 600); do
    SUBNET_JSON=$(api GET subnets/ | jq -c --arg cidr "$NET.0.0/20" '.[] | select(.cidr == $cidr)')
    [ -n "$SUBNET_JSON" ] && break
    sleep 0.1
  done
  [ -n "$SUBNET_JSON" ] || { echo "the rack's subnet $NET.0.0/20 did not appear" >&2; exit 1; }
  # Dynamic .1.0-.7.255 for the boots; .8.0 up is left for the deployed machines' AUTO addresses.
  api POST ipranges/ -d type=dynamic -d "subnet=$(jq -r .id <<< "$SUBNET_JSON")" -d "start_ip=$NET.1.0" -d "end_ip=$NET.7.255" > /dev/null
  api PUT "fabrics/$(jq -r .vlan.fabric_id <<< "$SUBNET_JSON")/vlans/$(jq -r .vlan.vid <<< "$SUBNET_JSON")/" -d dhcp_on=true -d "primary_rack=$RACK" > /dev/null
  for _ in $(seq 600); do grep -q "DHCP listening on $RACK_IF" "$WORK/anvild-$N.log" && break; sleep 0.1; done

  # Stand-ins for the ephemeral kernel and initrd where the region names them.
  EPH=$DATA/boot-resources/anvil/amd64/generic/ephemeral/stable
  mkdir -p "$EPH"
  head -c $((BOOT_KIB * 1024 * 3 / 10)) /dev/zero > "$EPH/boot-kernel"
  head -c $((BOOT_KIB * 1024 * 7 / 10)) /dev/zero > "$EPH/boot-initrd"

  if [ -n "${PG_PROFILE:-}" ]; then
    printf "shared_preload_libraries = 'pg_stat_statements'\npg_stat_statements.track = 'all'\n" >> "$DATA/postgres/postgresql.auto.conf"
    as_postgres "$PGBIN/pg_ctl" restart -D "$DATA/postgres" -m fast -w > /dev/null
    psql_anvil -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements' -c 'SELECT pg_stat_statements_reset()' > /dev/null
    sleep 5 # anvild's pool reconnects
  fi

  [ -z "${PG_SQL:-}" ] || psql_anvil -c "$PG_SQL" >&2

  # Threads and RSS of anvild, sampled every second while the fleet runs.
  ( max=0; while kill -0 "$ANVILD_PID" 2>/dev/null; do
      t=$(awk '/^Threads:/ { print $2 }' "/proc/$ANVILD_PID/status" 2>/dev/null || echo 0)
      [ "${t:-0}" -gt "$max" ] && { max=$t; echo "$max" > "$WORK/threads-$N"; }
      sleep 1
    done ) &
  SAMPLER_PID=$!

  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
  PG_BEFORE=$(pg_ticks)
  echo "== $N machines: fleet running (load $LOAD_BEFORE)" >&2
  set +e
  # shellcheck disable=SC2086 # FLEET_ARGS is a list of options
  ip netns exec "$NS" dotnet "$LAB" fleet --region "http://$NET.0.1:5248/MAAS" --api-key "$KEY" --machines "$N" \
    --interface "$FLEET_IF" --region-pid "$ANVILD_PID" --json "$WORK/fleet-$N.json" $FLEET_ARGS > "$WORK/summary-$N.txt" 2> "$WORK/fleet-$N.log"
  RC=$?
  set -e
  PG_AFTER=$(pg_ticks)
  LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

  echo "### anvil-lab fleet: $N machines (exit $RC)"
  echo '```'
  cat "$WORK/summary-$N.txt"
  printf '  postgres: %.1f CPU s   anvild threads (max sampled): %s\n' "$(echo "($PG_AFTER - $PG_BEFORE) / 100" | bc -l)" "$(cat "$WORK/threads-$N" 2>/dev/null || echo ?)"
  echo "  load average: before $LOAD_BEFORE, after $LOAD_AFTER; $(nproc) cores"
  echo '```'
  if [ -n "${PG_PROFILE:-}" ]; then
    echo "top statements by total time ($N machines):"
    psql_anvil -P pager=off -c "SELECT calls, round(total_exec_time::numeric / 1000, 1) AS total_s, round(mean_exec_time::numeric, 2) AS mean_ms,
        rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25" | tee "$WORK/pg-top-$N.txt"
  fi
  [ "$RC" = 0 ] || tail -20 "$WORK/fleet-$N.log" >&2
  stop_anvild
done
