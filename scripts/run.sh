#!/usr/bin/env bash
# Starts Anvil (region+rack) in the foreground with its own private PostgreSQL cluster in
# /var/lib/anvil, and prints the URL and the admin API key. Extra arguments go to anvild,
# e.g. `scripts/run.sh --listen http://0.0.0.0:5240 --data-dir /srv/anvil`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh postgresql util-linux
dotnet build src/Anvil.Server -c Release -o .anvil/bin/anvild --nologo -v quiet
dotnet build src/Anvil.Cli -c Release -o .anvil/bin/anvil --nologo -v quiet
echo "CLI: $(pwd)/.anvil/bin/anvil/anvil"
exec .anvil/bin/anvild/anvild run "$@"
