# azd postdeploy hook (Windows): proves the deployment just made works, with `revoke smoke`, when RUN_SMOKE_TEST is set
# (azd env set RUN_SMOKE_TEST true; azd env set SMOKE_TEST_USER <an existing user's UPN>). A failed check fails the
# hook. See smoke-test.sh beside it for what `revoke smoke` reads; it changes nothing.
$ErrorActionPreference = 'Stop'

if (-not $env:RUN_SMOKE_TEST -or $env:RUN_SMOKE_TEST.ToLowerInvariant() -in @('false', '0', 'no')) {
    Write-Output "smoke-test: skipped; azd env set RUN_SMOKE_TEST true (and SMOKE_TEST_USER) to prove every deployment."
    exit 0
}

$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
Write-Output "smoke-test: revoke smoke against $($env:AZURE_FUNCTION_APP_HOSTNAME) (waits up to 2 minutes for a dead letter)"
if ($env:REVOKE_CLI_DLL) {
    & dotnet $env:REVOKE_CLI_DLL smoke
} else {
    & dotnet run --project (Join-Path $root 'src/RevokeFunctions.Cli') -c Release -- smoke
}
exit $LASTEXITCODE
