# Reads the node's preseed: #cloud-config YAML whose datasource.MAAS holds metadata_url,
# consumer_key, token_key and token_secret (maas-api.md §7.6). The keys are unique in the
# document, so each is found by name in block style (key: value), flow style ({key: value}) or
# JSON ("key": "value"), with the value optionally quoted. Sourced by runner.sh.

# preseed_value FILE KEY -> the value, empty when absent.
preseed_value() {
  sed -n "s/.*[\"' {,]$2[\"']\{0,1\} *: *[\"']\{0,1\}\([^\"', }]*\).*/\1/p; s/^$2 *: *[\"']\{0,1\}\([^\"', }]*\).*/\1/p" "$1" | head -1
}

# url_origin URL -> scheme://host[:port] of URL.
url_origin() {
  echo "$1" | sed -n 's|^\([a-z]*://[^/]*\).*|\1|p'
}
