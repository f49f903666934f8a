#!/usr/bin/env bash
# Installs Azurite (the Azure Storage emulator, from npm) into .tools/ and starts it on the default local ports,
# in memory, unless something already listens there. Sourced by eng/test.sh and eng/run-local.sh.
AZURITE_VERSION="3.35.0"

azurite_listening() { (exec 3<>/dev/tcp/127.0.0.1/10002) 2>/dev/null; }

azurite_start() {
  if azurite_listening; then
    echo "Azurite: already listening on 127.0.0.1:10002; using it."
    return 0
  fi
  local root tools bin
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  tools="$root/.tools/azurite"
  bin="$tools/node_modules/.bin/azurite"
  if [ ! -x "$bin" ] || ! grep -q "\"version\": \"$AZURITE_VERSION\"" "$tools/node_modules/azurite/package.json" 2>/dev/null; then
    echo "Azurite: installing azurite@$AZURITE_VERSION from npm into .tools/azurite"
    mkdir -p "$tools"
    npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "azurite@$AZURITE_VERSION" >/dev/null
  fi
  "$bin" --silent --inMemoryPersistence --disableTelemetry --skipApiVersionCheck \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    >"$root/.tools/azurite.log" 2>&1 &
  AZURITE_PID=$!
  trap 'kill "$AZURITE_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do
    if azurite_listening; then echo "Azurite: started (pid $AZURITE_PID)"; return 0; fi
    sleep 0.2
  done
  echo "Azurite did not start; see .tools/azurite.log" >&2
  return 1
}
