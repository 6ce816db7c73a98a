# OAuth 1.0a PLAINTEXT, as MAAS nodes sign their metadata requests (maas-api.md §1.2, §7.7):
# the signature is "<consumer secret>&<token secret>", percent-encoded; node tokens have an empty
# consumer secret. Sourced by runner.sh (busybox sh).

# Seconds to add to the local clock; set from a server's Date header after a 401 (see http.sh).
OAUTH_CLOCK_SKEW=${OAUTH_CLOCK_SKEW:-0}

# oauth_header CONSUMER_KEY TOKEN_KEY TOKEN_SECRET -> the Authorization header value on stdout.
oauth_header() {
  _nonce=$(tr -d '-' < /proc/sys/kernel/random/uuid)
  _timestamp=$(($(date +%s) + OAUTH_CLOCK_SKEW))
  printf 'OAuth realm="", oauth_consumer_key="%s", oauth_token="%s", oauth_signature_method="PLAINTEXT", oauth_signature="%%26%s", oauth_nonce="%s", oauth_timestamp="%s", oauth_version="1.0"' \
    "$(oauth_encode "$1")" "$(oauth_encode "$2")" "$(oauth_encode "$3")" "$_nonce" "$_timestamp"
}

# oauth_encode TEXT -> RFC 3986 percent-encoding (unreserved characters kept).
oauth_encode() {
  case "$1" in
    *[!A-Za-z0-9._~-]*) ;;
    *) printf '%s' "$1"; return 0 ;;
  esac
  printf '%s' "$1" | od -An -tx1 -v | tr -s ' ' '\n' | while read -r _hex; do
    case "$_hex" in
      '') ;;
      2d | 2e | 5f | 7e | 3[0-9] | 4[1-9a-f] | 5[0-9a] | 6[1-9a-f] | 7[0-9a]) printf "\\$(printf %o "0x$_hex")" ;;
      *) printf '%%%s' "$(echo "$_hex" | tr a-f A-F)" ;;
    esac
  done
}
