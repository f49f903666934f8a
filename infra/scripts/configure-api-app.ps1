#!/usr/bin/env pwsh
# Applies infra/app-registration/app-roles.json (app roles Revocations.Submit and Revocations.Protected) to the API
# app registration that App Service Authentication validates tokens for, and makes that registration usable as a
# token audience. Run by grant-graph-permissions.ps1 when API_APP_CLIENT_ID is set; safe to run again (the same
# role IDs are written each time).
#
# Creating the registration once (then `azd env set API_APP_CLIENT_ID <appId>` and `azd provision`):
#   az ad app create --display-name revoke-functions-api --sign-in-audience AzureADMyOrg `
#     --app-roles '@infra/app-registration/app-roles.json'
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$clientId = [Environment]::GetEnvironmentVariable('API_APP_CLIENT_ID')
if (-not $clientId -and (Get-Command azd -ErrorAction SilentlyContinue)) {
    $clientId = azd env get-value API_APP_CLIENT_ID 2>$null
    if ($LASTEXITCODE -ne 0) { $clientId = '' }
}
if (-not $clientId) {
    Write-Host 'configure-api-app: API_APP_CLIENT_ID is not set; nothing to do.'
    exit 0
}
$clientId = "$clientId".Trim()
$rolesFile = Join-Path $PSScriptRoot '..' 'app-registration' 'app-roles.json' | Resolve-Path

function Invoke-Az {
    & az @args
    if ($LASTEXITCODE -ne 0) { throw "az $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

# Audience api://<clientId> (the authsettingsV2 allowedAudiences) and the app roles callers are assigned.
Invoke-Az ad app update --id $clientId --identifier-uris "api://$clientId" --app-roles "@$rolesFile"
# v2.0 access tokens, whose issuer matches the openIdIssuer configured in App Service Authentication.
Invoke-Az ad app update --id $clientId --set api.requestedAccessTokenVersion=2
# App roles are assigned on the service principal: create it if the registration has none yet.
& az ad sp show --id $clientId --output none 2>$null
if ($LASTEXITCODE -ne 0) {
    Invoke-Az ad sp create --id $clientId --output none
}
Write-Host "configure-api-app: app roles and identifier URI applied to $clientId"
