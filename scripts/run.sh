#!/usr/bin/env bash
# Starts Anvil (region+rack) in the foreground with its own private PostgreSQL cluster in
# /var/lib/anvil, and prints the URL and the admin API key. Extra arguments go to anvild,
# e.g. `scripts/run.sh --listen http://0.0.0.0:5240 --data-dir /srv/anvil`.
set -euo pipefail
cd "$(dirname "$0")/.."
had_bind=$(dpkg-query -W -f='${Status}' bind9 2>/dev/null | grep -c "install ok installed" || true)
scripts/deps.sh postgresql util-linux bind9 bind9-dnsutils
# Anvil runs its own named on a private configuration (port 53); the Debian service that apt may
# just have started would hold that port, so a bind9 installed here is not left running as a service.
if [ "$had_bind" = 0 ] && [ -d /run/systemd/system ]; then
  systemctl disable --now named.service >/dev/null 2>&1 || true
fi
dotnet build src/Anvil.Server -c Release -o .anvil/bin/anvild --nologo -v quiet
dotnet build src/Anvil.Cli -c Release -o .anvil/bin/anvil --nologo -v quiet
echo "CLI: $(pwd)/.anvil/bin/anvil/anvil"
exec .anvil/bin/anvild/anvild run "$@"
