#!/usr/bin/env pwsh
# Adds infra/app-registration/app-roles.json (app roles Revocations.Submit and Revocations.Protected) to the API app
# registration that App Service Authentication validates tokens for, and makes that registration usable as a token
# audience (api://<clientId>). Run by grant-graph-permissions.ps1 when API_APP_CLIENT_ID is set; safe to run again.
#
# It merges, never overwrites: identifier URIs, app roles, scopes and pre-authorised clients the operator already has
# on the registration are kept; only roles with this project's IDs (or values) are replaced by the file's version.
# For people it exposes the delegated scope user_impersonation (infra/app-registration/api-scope.json; an existing
# scope of that name is reused) and pre-authorises the Azure CLI for it, so that
# `az account get-access-token --resource api://<clientId>` needs no consent prompt. The same steps as
# configure-api-app.sh, which the infra tests run against a fake az.
#
# Creating the registration once (then `azd env set API_APP_CLIENT_ID <appId>` and `azd provision`):
#   az ad app create --display-name revoke-functions-api --sign-in-audience AzureADMyOrg `
#     --app-roles '@infra/app-registration/app-roles.json'
# Whoever runs this must own the registration (or be Application Administrator / Cloud Application Administrator).
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
$scopeFile = Join-Path $PSScriptRoot '..' 'app-registration' 'api-scope.json' | Resolve-Path
$audience = "api://$clientId"
# The Azure CLI's application ID (the same in every tenant): the client people get their tokens with.
$AzureCliAppId = '04b07795-8ddb-461a-bbee-02f9e1bf7b46'
$Attempts = if ($env:GRANT_ATTEMPTS) { [int]$env:GRANT_ATTEMPTS } else { 5 }
$RetrySeconds = if ($null -ne $env:GRANT_RETRY_SECONDS) { [int]$env:GRANT_RETRY_SECONDS } else { 20 }

# JSON goes to Graph in a file (az rest --body @file), never as a command-line argument: az is a .cmd on Windows, and
# cmd.exe strips the quotes of a JSON argument. PATCH leaves the other properties of `api` as they are.
function Set-ApiProperty([string] $Name, [object[]] $Value) {
    $graph = ("$(Invoke-Az cloud show --query endpoints.microsoftGraphResourceId --output tsv)").TrimEnd('/')
    $body = New-TemporaryFile
    try {
        ConvertTo-Json -InputObject @{ api = @{ $Name = @($Value) } } -Depth 6 -Compress | Set-Content -Path $body -Encoding utf8NoBOM
        Invoke-Az rest --method PATCH --url "$graph/v1.0/applications(appId='$clientId')" `
            --headers 'Content-Type=application/json' --body "@$body" --output none
    }
    finally {
        Remove-Item -Path $body -ErrorAction SilentlyContinue
    }
}

function Invoke-Az {
    & az @args
    if ($LASTEXITCODE -ne 0) { throw "az $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

# Reads are retried: a registration created a moment ago may not be readable everywhere yet.
function Read-Az {
    for ($attempt = 1; ; $attempt++) {
        $output = & az @args
        if ($LASTEXITCODE -eq 0) { return $output }
        if ($attempt -ge $Attempts) { throw "configure-api-app: cannot read app registration $clientId" }
        Start-Sleep -Seconds $RetrySeconds
    }
}

# Identifier URIs: keep the registration's own, add api://<clientId> when it is missing.
$uris = @(Read-Az ad app show --id $clientId --query identifierUris --output tsv | Where-Object { $_ })
if ($uris -contains $audience) {
    Write-Host "configure-api-app: identifier URI $audience already set"
}
else {
    Invoke-Az ad app update --id $clientId --identifier-uris @($uris + $audience)
    Write-Host "configure-api-app: identifier URI $audience added"
}

# App roles: the registration's roles other than this project's (matched by ID or by value), then the file's roles.
$ours = @(Get-Content -Raw $rolesFile | ConvertFrom-Json)
$filter = (@($ours | ForEach-Object { "id!='$($_.id)'" }) + @($ours | ForEach-Object { "value!='$($_.value)'" })) -join ' && '
$others = @(Read-Az ad app show --id $clientId --query "appRoles[?$filter]" --output json | Out-String | ConvertFrom-Json)
$merged = New-TemporaryFile
try {
    ConvertTo-Json -InputObject @($others + $ours) -Depth 5 | Set-Content -Path $merged -Encoding utf8NoBOM
    Invoke-Az ad app update --id $clientId --app-roles "@$merged"
}
finally {
    Remove-Item -Path $merged -ErrorAction SilentlyContinue
}
# The delegated scope people's tokens carry: reuse one named like ours, else add ours beside the registration's own.
$scope = Get-Content -Raw $scopeFile | ConvertFrom-Json
$scopeId = Read-Az ad app show --id $clientId --query "api.oauth2PermissionScopes[?value=='$($scope.value)'].id | [0]" --output tsv
if (-not $scopeId) {
    $scopes = @(Read-Az ad app show --id $clientId --query 'api.oauth2PermissionScopes' --output json | Out-String | ConvertFrom-Json | Where-Object { $_ })
    Set-ApiProperty 'oauth2PermissionScopes' @($scopes + $scope)
    $scopeId = $scope.id
    Write-Host "configure-api-app: scope $($scope.value) added"
}

# The Azure CLI pre-authorised for that scope (its other pre-authorised scopes and other clients kept).
$authorized = @(Read-Az ad app show --id $clientId --query "api.preAuthorizedApplications[?appId=='$AzureCliAppId'].delegatedPermissionIds[]" --output tsv | Where-Object { $_ })
if ($authorized -contains $scopeId) {
    Write-Host "configure-api-app: the Azure CLI is already pre-authorised for $($scope.value)"
}
else {
    $clients = @(Read-Az ad app show --id $clientId --query "api.preAuthorizedApplications[?appId!='$AzureCliAppId']" --output json | Out-String | ConvertFrom-Json | Where-Object { $_ })
    $cli = [pscustomobject]@{ appId = $AzureCliAppId; delegatedPermissionIds = @($authorized + $scopeId) }
    Set-ApiProperty 'preAuthorizedApplications' @($clients + $cli)
    Write-Host "configure-api-app: the Azure CLI pre-authorised for $($scope.value)"
}

# v2.0 access tokens, whose issuer matches the openIdIssuer configured in App Service Authentication.
Invoke-Az ad app update --id $clientId --set api.requestedAccessTokenVersion=2
# App roles are assigned on the service principal: create it if the registration has none yet.
& az ad sp show --id $clientId --output none 2>$null
if ($LASTEXITCODE -ne 0) {
    Invoke-Az ad sp create --id $clientId --output none
}
Write-Host "configure-api-app: app roles Revocations.Submit and Revocations.Protected, scope $($scope.value) and the Azure CLI applied to $clientId (the registration's own roles, scopes, clients and URIs kept)"
