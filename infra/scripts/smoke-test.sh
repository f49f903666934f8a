#!/bin/sh
# azd postdeploy hook (posix): proves the deployment just made works, with `revoke smoke`, when RUN_SMOKE_TEST is set
# (azd env set RUN_SMOKE_TEST true; azd env set SMOKE_TEST_USER <an existing user's UPN>). A failed check fails the
# hook, so `azd deploy` / `azd up` ends non-zero naming what to fix.
#
# `revoke smoke` reads the azd outputs azd exports to hooks (AZURE_FUNCTION_APP_HOSTNAME, API_APP_CLIENT_ID,
# SERVICEBUS_FULLY_QUALIFIED_NAMESPACE, REVOCATION_QUEUE_NAME, AZURE_MANAGED_IDENTITY_PRINCIPAL_ID) and signs in as you
# (az login or azd auth login). It changes nothing: the revocation is a dry run and its test dead letter is removed.
#
#   REVOKE_CLI_DLL=<path/to/revoke.dll>  run that build instead of `dotnet run` (the tests use their own build)
set -eu

case "$(printf '%s' "${RUN_SMOKE_TEST:-}" | tr '[:upper:]' '[:lower:]')" in
  "" | false | 0 | no)
    echo "smoke-test: skipped; azd env set RUN_SMOKE_TEST true (and SMOKE_TEST_USER) to prove every deployment."
    exit 0
    ;;
esac

root="$(cd "$(dirname "$0")/../.." && pwd)"
if [ -n "${REVOKE_CLI_DLL:-}" ]; then
  set -- dotnet "$REVOKE_CLI_DLL"
else
  set -- dotnet run --project "$root/src/RevokeFunctions.Cli" -c Release --
fi
echo "smoke-test: revoke smoke against ${AZURE_FUNCTION_APP_HOSTNAME:-the app} (waits up to 2 minutes for a dead letter)"
exec "$@" smoke
