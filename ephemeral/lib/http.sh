# HTTP to the region (through the rack) with curl: anonymous or OAuth-signed requests, retries,
# clock-skew correction, and the metadata server's multipart op=signal (maas-api.md §7.3).
# Sourced by runner.sh after oauth.sh; uses WORK, CONSUMER_KEY, TOKEN_KEY, TOKEN_SECRET, MD_URL.

HTTP_TRIES=${HTTP_TRIES:-6}
HTTP_CODE=""
# Distinguishes the scratch files of scripts that run in parallel (subshells share $$).
HTTP_TAG=${HTTP_TAG:-}

# http_call AUTH METHOD URL OUTFILE [curl arguments...]
# AUTH 1 signs the request with the node's token. Sets HTTP_CODE (000: no answer); returns 0 on 2xx.
# Connection failures and 5xx are retried with growing pauses; a 401 is retried once with the
# clock corrected from the server's Date header, as MAAS's helper does for skewed node clocks.
http_call() {
  local _auth=$1 _method=$2 _url=$3 _out=$4 _try=0 _skewed=""
  shift 4
  while :; do
    _try=$((_try + 1))
    : > "$WORK/http$HTTP_TAG.headers"
    if [ "$_auth" = 1 ]; then
      HTTP_CODE=$(curl -sS -X "$_method" -o "$_out" -D "$WORK/http$HTTP_TAG.headers" -w '%{http_code}' --connect-timeout 10 --max-time 900 \
        -H "Authorization: $(oauth_header "$CONSUMER_KEY" "$TOKEN_KEY" "$TOKEN_SECRET")" "$@" "$_url" 2>"$WORK/http$HTTP_TAG.err") || HTTP_CODE=000
    else
      HTTP_CODE=$(curl -sS -X "$_method" -o "$_out" -D "$WORK/http$HTTP_TAG.headers" -w '%{http_code}' --connect-timeout 10 --max-time 900 \
        "$@" "$_url" 2>"$WORK/http$HTTP_TAG.err") || HTTP_CODE=000
    fi
    case "$HTTP_CODE" in
      2??) return 0 ;;
      401)
        if [ "$_auth" = 1 ] && [ -z "$_skewed" ] && http_correct_clock; then
          _skewed=1
          continue
        fi
        ;;
      000 | 5??)
        if [ "$_try" -lt "$HTTP_TRIES" ]; then
          sleep $((_try * 2))
          continue
        fi
        ;;
    esac
    log "$_method $_url: HTTP $HTTP_CODE $(head -c 300 "$_out" 2>/dev/null) $(cat "$WORK/http$HTTP_TAG.err" 2>/dev/null)"
    return 1
  done
}

# Sets OAUTH_CLOCK_SKEW from the last response's Date header; fails when there is none.
http_correct_clock() {
  _date=$(sed -n 's/^[Dd]ate: *\(.*\) GMT.*/\1/p' "$WORK/http$HTTP_TAG.headers" | head -1)
  [ -n "$_date" ] || return 1
  _server=$(date -u -D '%a, %d %b %Y %H:%M:%S' -d "$_date" +%s 2>/dev/null) || return 1
  OAUTH_CLOCK_SKEW=$((_server - $(date +%s)))
  log "clock corrected by ${OAUTH_CLOCK_SKEW}s from the server's Date header"
}

# md_signal STATUS MESSAGE [curl -F/--form-string arguments...]
# POST <metadata>/2012-03-01/ op=signal, multipart; MESSAGE (may be empty) goes in "error".
md_signal() {
  local _status=$1 _message=$2
  shift 2
  if [ -n "${ANVIL_DRY_RUN:-}" ]; then
    log "dry run: would signal $_status${_message:+ ($_message)}"
    return 0
  fi
  http_call 1 POST "${MD_URL}?op=signal" "$WORK/signal$HTTP_TAG.response" \
    --form-string op=signal --form-string "status=$_status" ${_message:+--form-string "error=$_message"} "$@"
}
