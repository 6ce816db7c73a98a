#!/bin/sh
# Anvil's script runner (busybox sh + curl + jq), the flow of MAAS's maas-run-remote-scripts
# (maas-api.md §7.7):
#   1. read the preseed named by cloud-config-url; without credentials, enlist: is_registered for
#      each MAC, anonymous machine create, then the new node's preseed (now with credentials);
#   2. fetch <metadata_url>2012-03-01/maas-scripts (tar + index.json) and run the commissioning
#      scripts with their timeouts and parallelism, signalling WORKING at each start and the
#      result (exit_status, runtime, .out/.err/.yaml and combined output) or TIMEDOUT at the end,
#      with a WORKING heartbeat every 120 s meanwhile;
#   3. fetch again and run commissioning scripts that became eligible (for_hardware), then signal
#      TESTING and run the testing scripts;
#   4. signal OK, or FAILED with how many scripts failed. /init powers the machine off after,
#      unless the preseed has no power_state (rescue mode): then SSH (dropbear) lets in the keys
#      of meta-data/public-keys and /init keeps the machine up.
#
# Settings (environment; /init sets none of them, run-on-host.sh sets some for debugging):
#   ANVIL_CLOUD_CONFIG_URL  instead of cloud-config-url= from /proc/cmdline
#   ANVIL_MACS              the MACs to enlist with (space separated), instead of this machine's NICs
#   ANVIL_ARCHITECTURE      instead of <debian arch from uname -m>/generic
#   ANVIL_WORK              scratch directory (default /run/anvil)
#   ANVIL_DRY_RUN=1         enlist and fetch, but neither run scripts nor signal
#   ANVIL_HEARTBEAT         seconds between heartbeats (default 120)
# Each script runs in its own process group (a timeout ends all it started) with arguments from
# its parameters (storage: --storage={path} by default, /dev/<name> when id_path is absent here)
# and MAAS's environment: OUTPUT_COMBINED_PATH, OUTPUT_STDOUT_PATH, OUTPUT_STDERR_PATH,
# RESULT_PATH (uploaded as <name>.yaml), DOWNLOAD_PATH (its working directory), RUNTIME (the
# timeout), HAS_STARTED, and BMC_CONFIG_PATH: a BMC configuration script writes
# {"power_type": …, "power_parameters": {…}} there (JSON) and its result signal carries both.
# Exit status: 0 all scripts passed (or nothing to run), 1 scripts failed, 2 could not proceed.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib/oauth.sh"
. "$HERE/lib/http.sh"
. "$HERE/lib/preseed.sh"

log() { echo "anvil-runner: $*" >&2; }
uptime_seconds() { cut -d' ' -f1 /proc/uptime; }

WORK=${ANVIL_WORK:-/run/anvil}
mkdir -p "$WORK"
CONSUMER_KEY="" TOKEN_KEY="" TOKEN_SECRET="" MD_URL="" METADATA_URL="" API_URL=""
HEARTBEAT_PID=""
HOLD=""

cloud_config_url() {
  if [ -n "${ANVIL_CLOUD_CONFIG_URL:-}" ]; then
    echo "$ANVIL_CLOUD_CONFIG_URL"
    return
  fi
  for arg in $(cat /proc/cmdline); do
    case "$arg" in cloud-config-url=*) echo "${arg#cloud-config-url=}" ;; esac
  done
}

debian_architecture() {
  case "$(uname -m)" in
    x86_64) echo amd64 ;; aarch64) echo arm64 ;; i?86) echo i386 ;; ppc64le) echo ppc64el ;;
    s390x) echo s390x ;; armv7l) echo armhf ;; *) uname -m ;;
  esac
}

# The MACs of this machine's Ethernet NICs, boot NIC first.
machine_macs() {
  if [ -n "${ANVIL_MACS:-}" ]; then
    echo "$ANVIL_MACS"
    return
  fi
  {
    [ -n "${ANVIL_BOOT_NIC:-}" ] && cat "/sys/class/net/$ANVIL_BOOT_NIC/address"
    for n in /sys/class/net/*; do
      [ -e "$n/device" ] && [ "$(cat "$n/type")" = 1 ] && cat "$n/address"
    done
  } | awk '!seen[$0]++' | tr '\n' ' '
}

# Reads credentials and metadata_url from a preseed file into the globals.
load_preseed() {
  METADATA_URL=$(preseed_value "$1" metadata_url)
  CONSUMER_KEY=$(preseed_value "$1" consumer_key)
  TOKEN_KEY=$(preseed_value "$1" token_key)
  TOKEN_SECRET=$(preseed_value "$1" token_secret)
}

# Anonymous enlistment; on success the node's own preseed (with credentials) is loaded.
enlist() {
  local macs arch mac body system_id
  macs=$(machine_macs)
  arch=${ANVIL_ARCHITECTURE:-$(debian_architecture)/generic}
  [ -n "$macs" ] || { log "no network interfaces to enlist with"; return 2; }
  for mac in $macs; do
    http_call 0 GET "${API_URL}machines/?op=is_registered&mac_address=$mac" "$WORK/is_registered" || return 2
    if [ "$(cat "$WORK/is_registered")" = true ]; then
      log "$mac already belongs to a machine; not enlisting again"
      return 2
    fi
  done
  set --
  for mac in $macs; do set -- "$@" --form-string "mac_addresses=$mac"; done
  log "enlisting: architecture $arch, MACs $macs"
  http_call 0 POST "${API_URL}machines/" "$WORK/enlisted.json" \
    --form-string "architecture=$arch" --form-string commission=true "$@" || return 2
  system_id=$(jq -r '.system_id // empty' "$WORK/enlisted.json")
  [ -n "$system_id" ] || { log "the enlistment answer has no system_id: $(cat "$WORK/enlisted.json")"; return 2; }
  log "enlisted as $system_id"
  echo "$system_id" > "$WORK/system_id"
  if ! http_call 0 GET "${METADATA_URL}latest/by-id/$system_id/?op=get_preseed" "$WORK/preseed"; then
    log "no preseed for $system_id, so no credentials to commission with"
    return 2
  fi
  load_preseed "$WORK/preseed"
  METADATA_URL=${METADATA_URL:-$(url_origin "$API_URL")/MAAS/metadata/}
  [ -n "$TOKEN_SECRET" ] || { log "the preseed of $system_id has no credentials"; return 2; }
  return 0
}

# A sleep that ends with the (sub)shell running it: a plain sleep would outlive a killed subshell
# and keep its output pipes open.
interruptible_sleep() {
  sleep "$1" &
  _sleeper=$!
  trap 'kill "$_sleeper" 2>/dev/null; exit 0' TERM
  wait "$_sleeper"
}

start_heartbeat() {
  [ -n "${ANVIL_DRY_RUN:-}" ] && return 0
  (
    HTTP_TAG=.heartbeat
    while interruptible_sleep "${ANVIL_HEARTBEAT:-120}"; do md_signal WORKING ""; done
  ) >/dev/null 2>&1 &
  HEARTBEAT_PID=$!
}

stop_heartbeat() {
  [ -n "$HEARTBEAT_PID" ] && kill "$HEARTBEAT_PID" 2>/dev/null
  HEARTBEAT_PID=""
}

# fetch_scripts DIR: maas-scripts extracted into DIR; DIR/index.json is {} when nothing is to run.
fetch_scripts() {
  rm -rf "$1"
  mkdir -p "$1"
  http_call 1 GET "${MD_URL}maas-scripts" "$WORK/maas-scripts.tar" || return 1
  if [ "$HTTP_CODE" = 204 ] || [ ! -s "$WORK/maas-scripts.tar" ]; then
    echo '{}' > "$1/index.json"
    return 0
  fi
  tar -x -C "$1" -f "$WORK/maas-scripts.tar" || { log "maas-scripts is not a tar"; return 1; }
  [ -f "$1/index.json" ] || echo '{}' > "$1/index.json"
}

# The items of one section (commissioning_scripts, testing_scripts, release_scripts) as compact
# JSON lines, minus those already run in this boot (by script_result_id, else name).
section_items() { # DIR SECTION
  jq -c --slurpfile done "$WORK/done.json" \
    '(.["1.0"][$section] // [])[] | select((.has_finished // false) | not)
     | select(((.script_result_id // .name) | tostring) as $k | ($done[0] | any(.[]; . == $k)) | not)' \
    --arg section "$2" "$1/index.json"
}

mark_done() { # KEY
  jq -c --arg k "$1" '. + [$k]' "$WORK/done.json" > "$WORK/done.json.new" && mv "$WORK/done.json.new" "$WORK/done.json"
}

# Builds the script's arguments from its parameters into the positional parameters of the caller
# via the file DIR/args (one per line). Storage devices are named by id_path when it exists here,
# else /dev/<name> (there is no udev, so no /dev/disk/by-id links).
script_arguments() { # ITEM_JSON ARGSFILE
  : > "$2"
  printf '%s\n' "$1" | jq -r '(.parameters // {}) | to_entries[] | .key as $key | .value as $p
    | ($p.type // "string") as $type
    | if $type == "storage" then
        [$type, ($p.argument_format // "--storage={path}"), ($p.value.id_path // ""), ($p.value.name // ""), ($p.value.model // ""), ($p.value.serial // "")]
      elif $type == "interface" then
        [$type, ($p.argument_format // "--interface={name}"), "", ($p.value.name // ""), ($p.value.mac_address // ""), ""]
      else
        [$type, ($p.argument_format // ("--" + $key + "={input}")), "", (($p.value // $p.default // "") | tostring), "", ""]
      end | @tsv' | while IFS="$(printf '\t')" read -r type format id_path name extra serial; do
    value=$format
    case "$type" in
      storage)
        path=/dev/$name
        [ -n "$id_path" ] && [ -e "$id_path" ] && path=$id_path
        value=${value//\{path\}/$path}
        value=${value//\{name\}/$name}
        value=${value//\{model\}/$extra}
        value=${value//\{serial\}/$serial}
        ;;
      interface)
        value=${value//\{name\}/$name}
        value=${value//\{mac\}/$extra}
        ;;
      *)
        [ -n "$name" ] || continue
        value=${value//\{input\}/$name}
        ;;
    esac
    echo "$value" >> "$2"
  done
}

# run_script ITEM_JSON DIR INDEX TOTAL -> runs one script, signals, writes WORK/rc/<key>.
run_script() {
  local item=$1 dir=$2 index=$3 total=$4
  local name id version timeout path key out started ended runtime rc timed_out
  name=$(printf '%s\n' "$item" | jq -r '.name')
  id=$(printf '%s\n' "$item" | jq -r '.script_result_id // empty')
  version=$(printf '%s\n' "$item" | jq -r '.script_version_id // empty')
  timeout=$(printf '%s\n' "$item" | jq -r '.timeout_seconds // 0 | floor')
  path=$(printf '%s\n' "$item" | jq -r '.path // empty')
  key=${id:-$name}
  HTTP_TAG=.$key
  set --
  [ -n "$id" ] && set -- "$@" --form-string "script_result_id=$id"
  [ -n "$version" ] && set -- "$@" --form-string "script_version_id=$version"
  set -- "$@" --form-string "name=$name"

  out=$WORK/out/$name.$key
  mkdir -p "$out" "$WORK/downloads/$name"
  : > "$out/combined"
  : > "$out/stdout"
  : > "$out/stderr"
  md_signal WORKING "Starting $name [$index/$total]" "$@"
  log "starting $name [$index/$total] (timeout ${timeout}s)"
  if [ -n "${ANVIL_DRY_RUN:-}" ]; then
    echo 0 > "$WORK/rc/$key"
    return 0
  fi

  script_arguments "$item" "$out/args"
  chmod +x "$dir/$path" 2>/dev/null
  mkfifo "$out/stdout.pipe" "$out/stderr.pipe"
  # Both streams go to their own file and, interleaved, to the combined output.
  tee "$out/stdout" < "$out/stdout.pipe" >> "$out/combined" &
  local tee_out=$!
  tee "$out/stderr" < "$out/stderr.pipe" >> "$out/combined" &
  local tee_err=$!
  started=$(uptime_seconds)
  # setsid: the script leads its own process group, so a timeout ends everything it started.
  (
    cd "$WORK/downloads/$name" || exit 1
    export OUTPUT_COMBINED_PATH="$out/combined" OUTPUT_STDOUT_PATH="$out/stdout" OUTPUT_STDERR_PATH="$out/stderr"
    export RESULT_PATH="$out/result.yaml" DOWNLOAD_PATH="$WORK/downloads/$name" RUNTIME="$timeout"
    export HAS_STARTED="$(printf '%s\n' "$item" | jq -r '.has_started // false | if . then "True" else "False" end')"
    export BMC_CONFIG_PATH="$out/bmc-config.json"
    IFS='
'
    # shellcheck disable=SC2046 # one argument per line of the args file
    exec setsid "$dir/$path" $(cat "$out/args")
  ) > "$out/stdout.pipe" 2> "$out/stderr.pipe" &
  local pid=$!
  local watchdog=""
  if [ "$timeout" -gt 0 ]; then
    (
      interruptible_sleep "$timeout"
      if kill -0 "$pid" 2>/dev/null; then
        : > "$out/timed-out"
        kill -TERM -"$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
        sleep 5
        kill -KILL -"$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
      fi
    ) >/dev/null 2>&1 &
    watchdog=$!
  fi
  wait "$pid"
  rc=$?
  [ -n "$watchdog" ] && kill "$watchdog" 2>/dev/null
  wait "$tee_out" "$tee_err" 2>/dev/null
  ended=$(uptime_seconds)
  runtime=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.2f", b - a }')
  rm -f "$out/stdout.pipe" "$out/stderr.pipe"

  set -- "$@" --form-string "runtime=$runtime" \
    -F "$name=@$out/combined;filename=$name" -F "$name.out=@$out/stdout;filename=$name.out" -F "$name.err=@$out/stderr;filename=$name.err"
  [ -s "$out/result.yaml" ] && set -- "$@" -F "$name.yaml=@$out/result.yaml;filename=$name.yaml"
  # A BMC configuration script reports the power settings it made (JSON, which is also YAML).
  if [ -s "$out/bmc-config.json" ] && jq -e '.power_type' "$out/bmc-config.json" >/dev/null 2>&1; then
    set -- "$@" --form-string "power_type=$(jq -r '.power_type' "$out/bmc-config.json")" \
      --form-string "power_parameters=$(jq -c '.power_parameters // {}' "$out/bmc-config.json")"
  fi
  if [ -e "$out/timed-out" ]; then
    log "$name timed out after ${timeout}s"
    md_signal TIMEDOUT "Timeout(${timeout}s) expired on $name [$index/$total]" "$@"
    echo 124 > "$WORK/rc/$key"
  else
    log "finished $name [$index/$total]: exit $rc in ${runtime}s"
    md_signal WORKING "Finished $name [$index/$total]: $rc" --form-string "exit_status=$rc" "$@"
    echo "$rc" > "$WORK/rc/$key"
  fi
}

# run_section DIR SECTION -> runs every new item of SECTION; prints how many failed.
# Scripts with parallel 0 run one at a time, those with parallel 1 run alongside the other
# instances of the same script (one per device), those with parallel 2 all together.
run_section() {
  local dir=$1 section=$2 items total index=0 failed=0 item key name names
  items=$WORK/$section.items
  section_items "$dir" "$section" > "$items"
  total=$(wc -l < "$items")
  mkdir -p "$WORK/rc"
  [ "$total" -gt 0 ] || { echo 0; return 0; }
  jq -r '.script_result_id // .name | tostring' "$items" > "$items.keys"
  while read -r key; do mark_done "$key"; done < "$items.keys"

  while read -r item; do
    [ "$(printf '%s\n' "$item" | jq -r '.parallel // 0')" = 0 ] || continue
    index=$((index + 1))
    run_script "$item" "$dir" "$index" "$total" >&2
  done < "$items"

  names=$(jq -r 'select(.parallel == 1) | .name' "$items" | awk '!seen[$0]++')
  for name in $names; do
    while read -r item; do
      [ "$(printf '%s\n' "$item" | jq -r '.parallel == 1 and .name == $n' --arg n "$name")" = true ] || continue
      index=$((index + 1))
      run_script "$item" "$dir" "$index" "$total" >&2 &
    done < "$items"
    wait_scripts
  done

  while read -r item; do
    [ "$(printf '%s\n' "$item" | jq -r '.parallel // 0')" = 2 ] || continue
    index=$((index + 1))
    run_script "$item" "$dir" "$index" "$total" >&2 &
  done < "$items"
  wait_scripts

  while read -r key; do
    [ "$(cat "$WORK/rc/$key" 2>/dev/null || echo 1)" = 0 ] || failed=$((failed + 1))
  done < "$items.keys"
  echo "$failed"
}

# run_section runs in a command substitution, so its children are the scripts only (the heartbeat
# belongs to the main shell).
wait_scripts() {
  wait
}

finish() { # STATUS MESSAGE EXIT
  stop_heartbeat
  log "$2"
  md_signal "$1" "$2" || log "the final $1 signal failed"
  # /init keeps the machine up instead of powering it off.
  [ -n "$HOLD" ] && echo hold > /run/anvil-power-action
  exit "$3"
}

# SSH (dropbear, keys only) for the keys in the node's meta-data; host keys are made on first use.
start_ssh() {
  local keys=$WORK/public-keys
  if ! http_call 1 GET "${MD_URL}meta-data/public-keys" "$keys" || [ ! -s "$keys" ]; then
    log "no SSH keys for this machine's owner: SSH stays off"
    return 0
  fi
  mkdir -p /root/.ssh /etc/dropbear
  chmod 700 /root /root/.ssh
  # The metadata server's list may lack a final newline.
  { cat "$keys"; echo; } | grep . > /root/.ssh/authorized_keys
  chmod 600 /root/.ssh/authorized_keys
  if dropbear -R -s -P /run/dropbear.pid -p 22; then
    log "SSH listening on port 22 for $(grep -c . /root/.ssh/authorized_keys) key(s)"
  else
    log "dropbear did not start"
  fi
}

main() {
  local url failed rounds new
  url=$(cloud_config_url)
  [ -n "$url" ] || { log "no cloud-config-url on the kernel command line"; exit 2; }
  log "preseed $url"
  : > "$WORK/preseed"
  http_call 0 GET "$url" "$WORK/preseed" || log "no preseed (HTTP $HTTP_CODE); continuing as an unknown machine"
  load_preseed "$WORK/preseed"
  # The enlistment preseed may be missing or carry no metadata_url: the preseed URL names the server.
  METADATA_URL=${METADATA_URL:-$(echo "$url" | sed -n 's|^\(.*/MAAS/metadata/\).*|\1|p')}
  METADATA_URL=${METADATA_URL:-$(url_origin "$url")/MAAS/metadata/}
  case "$METADATA_URL" in */) ;; *) METADATA_URL=$METADATA_URL/ ;; esac
  API_URL=$(url_origin "$METADATA_URL")/MAAS/api/2.0/
  echo '[]' > "$WORK/done.json"

  local enlisted=""
  if [ -z "$TOKEN_SECRET" ]; then
    enlist || exit $?
    enlisted=1
  fi
  MD_URL=${METADATA_URL}2012-03-01/
  log "metadata $MD_URL"
  # A machine being deployed gets its install config (docs/architecture/deployment.md): the
  # installer replaces the scripts. 404 (or no answer) means scripts as usual.
  if [ -z "$enlisted" ] && http_call 1 GET "${METADATA_URL}latest/install-config" "$WORK/install-config" 2>/dev/null \
    && [ "$HTTP_CODE" = 200 ]; then
    log "install config received: installing"
    ANVIL_WORK="$WORK/installer" sh "$HERE/installer/installer.sh" "$WORK/install-config"
    exit $?
  fi
  # A preseed without power_state asks that the machine stay up when the runner is done: rescue
  # mode. The owner gets in over SSH with the keys the metadata server lists.
  if [ -z "$enlisted" ] && ! grep -q '^power_state:' "$WORK/preseed"; then
    HOLD=1
    start_ssh
  fi
  start_heartbeat
  trap 'stop_heartbeat' EXIT
  # A machine that enlisted with commission=true starts commissioning; says so if the region waits.
  [ -n "$enlisted" ] && { md_signal COMMISSIONING "" || log "COMMISSIONING signal refused (HTTP $HTTP_CODE)"; }

  fetch_scripts "$WORK/scripts" || finish FAILED "Unable to download the scripts" 2
  if jq -e '.["1.0"] | has("commissioning_scripts")' "$WORK/scripts/index.json" >/dev/null; then
    failed=$(run_section "$WORK/scripts" commissioning_scripts)
    # Commissioning results can make hardware-specific scripts eligible: fetch until none is new.
    rounds=0
    while [ "$failed" = 0 ] && [ "$rounds" -lt 5 ]; do
      rounds=$((rounds + 1))
      fetch_scripts "$WORK/scripts" || break
      new=$(section_items "$WORK/scripts" commissioning_scripts | wc -l)
      [ "$new" -gt 0 ] || break
      failed=$(run_section "$WORK/scripts" commissioning_scripts)
    done
    [ "$failed" = 0 ] || finish FAILED "$failed commissioning scripts failed to run" 1
    # Testing follows unless the region said there is none.
    if ! jq -e '.["1.0"].testing_scripts == []' "$WORK/scripts/index.json" >/dev/null; then
      md_signal TESTING "" || finish FAILED "The region refused the TESTING signal" 2
      fetch_scripts "$WORK/scripts" || finish FAILED "Unable to download the testing scripts" 2
    fi
  fi
  if jq -e '.["1.0"] | has("testing_scripts")' "$WORK/scripts/index.json" >/dev/null; then
    failed=$(run_section "$WORK/scripts" testing_scripts)
    [ "$failed" = 0 ] || finish FAILED "$failed test scripts failed to run" 1
  fi
  if jq -e '.["1.0"] | has("release_scripts")' "$WORK/scripts/index.json" >/dev/null; then
    failed=$(run_section "$WORK/scripts" release_scripts)
    [ "$failed" = 0 ] || finish FAILED "$failed release scripts failed to run" 1
  fi
  finish OK "All scripts successfully ran" 0
}

main "$@"
