#!/usr/bin/env bash
# The README's first command: the whole pipeline on this machine, no Azure account needed. Starts Azurite (installed
# from npm into .tools/ if missing; a running one is reused) for the ledger, then runs every sample payload in samples/
# through the CLI against the local Graph sandbox on samples/tenant.json, printing each outcome and then the ledger rows.
#
#   REVOKE_CLI_DLL=<path/to/revoke.dll>  run that build instead of 'dotnet run' (the tests use their own build)
#   Ledger__TableName=<name>             the ledger table (default: a new one per run, so earlier runs never replay)
#   Guards__StormGuard__TableName=<name> the storm guard's table (default: a new one per run)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# shellcheck source=eng/azurite.sh
source "$root/eng/azurite.sh"
if ! azurite_listening && ! command -v npm >/dev/null; then
  echo "The ledger needs Azurite (the Azure Storage emulator), installed from npm: install Node.js 20 with npm, or start" >&2
  echo "Azurite yourself on 127.0.0.1:10000-10002 (docker run -p 10000-10002:10000-10002 mcr.microsoft.com/azure-storage/azurite), then rerun." >&2
  exit 1
fi
azurite_start

run_id="$(date -u +%Y%m%d%H%M%S)$RANDOM"
export Ledger__connectionString="UseDevelopmentStorage=true"
export Ledger__TableName="${Ledger__TableName:-demo$run_id}"
# The storm guard keeps its counts beside the ledger; a table of its own keeps earlier runs from counting.
export Guards__StormGuard__TableName="${Guards__StormGuard__TableName:-demostorm$run_id}"
# Nothing here may reach a real tenant or namespace, whatever the caller's environment says.
unset ServiceBus__fullyQualifiedNamespace Graph__BaseUrl

samples=()
for sample in samples/*.json; do
  [ "$sample" = "samples/tenant.json" ] || samples+=("$sample")
done

if [ -n "${REVOKE_CLI_DLL:-}" ]; then
  cli=(dotnet "$REVOKE_CLI_DLL")
else
  echo "Building the CLI (Release; the first build takes about half a minute)..."
  cli=(dotnet run --project src/RevokeFunctions.Cli -c Release --)
fi

echo "Running ${#samples[@]} sample payloads against the Graph sandbox (samples/tenant.json), ledger on Azurite:"
echo
status=0
"${cli[@]}" demo --sandbox samples/tenant.json "${samples[@]}" || status=$?
echo
if [ "$status" -eq 0 ]; then
  echo "Done: every sample's users were revoked, or scheduled when not yet due (the rescinded leaver cancelled). Run one yourself:"
  echo "  dotnet run --project src/RevokeFunctions.Cli -c Release -- run samples/plain-request.json --sandbox samples/tenant.json --output json"
else
  echo "Some sample's users were not revoked (exit code $status): see the rows above." >&2
fi
exit "$status"
