#!/usr/bin/env bash
# The README's test command: installs what the tests need (Azurite from npm), starts it, runs every test project,
# and ends with one line "N passed, N failed" counted from the test results.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

# Bicep: build and lint every template with the real Bicep CLI (from NuGet); any warning fails.
bash "$root/eng/bicep/bicep.sh" lint
bash "$root/eng/bicep/bicep.sh" build

# shellcheck source=eng/azurite.sh
source "$root/eng/azurite.sh"
azurite_start

# The queue trigger's package: the build default is on; where the package sources lack it, this run builds without it.
# shellcheck source=eng/servicebus-trigger.sh
source "$root/eng/servicebus-trigger.sh"
servicebus_trigger_detect

status=0
dotnet test RevokeFunctions.sln -c Release --logger "trx" --results-directory "$results" "$@" || status=$?

passed=0; failed=0; skipped=0
shopt -s nullglob
for trx in "$results"/*.trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  n=$(sed -n 's/.* notExecuted="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed, $skipped skipped"
exit "$status"
