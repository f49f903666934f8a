#!/usr/bin/env pwsh
# Lets one caller use the HTTP API: assigns it an app role of the API app registration (API_APP_CLIENT_ID).
#
#   pwsh infra/scripts/assign-caller-role.ps1 <caller> [Revocations.Submit|Revocations.Protected]
#
# <caller> is the object ID of the caller's service principal (a Logic App's or playbook's managed identity: its
# "Object (principal) ID") or a person's user principal name. Without a role, Revocations.Submit is assigned. Safe to
# run again. The same steps as assign-caller-role.sh (tested against a fake az); see that file for who may run it.
param(
    [Parameter(Mandatory = $true, Position = 0)][string] $Caller,
    [Parameter(Position = 1)][string] $Role = 'Revocations.Submit'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$clientId = [Environment]::GetEnvironmentVariable('API_APP_CLIENT_ID')
if (-not $clientId -and (Get-Command azd -ErrorAction SilentlyContinue)) {
    $clientId = azd env get-value API_APP_CLIENT_ID 2>$null
    if ($LASTEXITCODE -ne 0) { $clientId = '' }
}
if (-not $clientId) {
    [Console]::Error.WriteLine('assign-caller-role: API_APP_CLIENT_ID is not set (azd env set API_APP_CLIENT_ID <appId>).')
    exit 1
}
$clientId = "$clientId".Trim()
$roles = Get-Content -Raw (Join-Path $PSScriptRoot '..' 'app-registration' 'app-roles.json') | ConvertFrom-Json
$match = $roles | Where-Object { $_.value -ceq $Role } | Select-Object -First 1
if (-not $match) {
    [Console]::Error.WriteLine("assign-caller-role: $Role is not an app role of this API (Revocations.Submit or Revocations.Protected).")
    exit 64
}
$roleId = $match.id

function Invoke-Az {
    $output = & az @args
    if ($LASTEXITCODE -ne 0) { throw "az $($args -join ' ') failed with exit code $LASTEXITCODE" }
    return $output
}

$principalId = if ($Caller -like '*@*') { Invoke-Az ad user show --id $Caller --query id --output tsv } else { $Caller }
$apiSpId = Invoke-Az ad sp show --id $clientId --query id --output tsv
$graph = ("$(Invoke-Az cloud show --query endpoints.microsoftGraphResourceId --output tsv)").TrimEnd('/')
$body = New-TemporaryFile
try {
    @{ principalId = $principalId; resourceId = $apiSpId; appRoleId = $roleId } | ConvertTo-Json -Compress |
        Set-Content -Path $body -Encoding utf8NoBOM
    $errorText = & az rest --method POST --url "$graph/v1.0/servicePrincipals/$apiSpId/appRoleAssignedTo" `
        --headers 'Content-Type=application/json' --body "@$body" --output none 2>&1
    if ($LASTEXITCODE -eq 0) {
        Write-Host "assign-caller-role: $Caller now holds $Role on the API $clientId"
    }
    elseif ("$errorText" -match 'already exists') {
        Write-Host "assign-caller-role: $Caller already holds $Role on the API $clientId"
    }
    else {
        [Console]::Error.WriteLine("assign-caller-role: assigning $Role to $Caller failed: $errorText")
        exit 1
    }
}
finally {
    Remove-Item -Path $body -ErrorAction SilentlyContinue
}
