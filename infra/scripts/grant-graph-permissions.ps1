#!/usr/bin/env pwsh
# azd postprovision hook (windows): grants the app's user-assigned managed identity the Microsoft Graph application
# permissions it needs, and nothing more:
#   User.RevokeSessions.All  POST /users/{id}/revokeSignInSessions
#   User.Read.All            resolve the users named in a request
#   GroupMember.Read.All     check membership of the protected groups
# and, only for the write-backs switched on in the azd environment:
#   SecurityAlert.ReadWrite.All  comment on Defender XDR alerts   WRITEBACK_DEFENDER_COMMENTS=true
#   Mail.Send                    email users' managers            NOTIFY_MANAGER_EMAIL_SENDER=<mailbox>, unless
#                                                                 MANAGER_EMAIL_ACCESS=exchange-rbac (then Exchange
#                                                                 Online grants it, scoped to the mailbox: see README)
#
# Why a hook and not Bicep's Microsoft Graph extension (`extension microsoftGraphV1` with
# Microsoft.Graph/appRoleAssignedTo): the extension is not part of the Bicep CLI, it is fetched from a container
# registry when the template is built. CI here reaches no such registry and `bicep build` must work offline, so
# the template stays plain ARM and the grant is made here with `az rest`, after `azd provision` created the identity.
#
# Idempotent: permissions already granted are skipped; running it again changes nothing. The signed-in az user needs
# a directory role that may grant application permissions (Privileged Role Administrator or Global Administrator).
#
# Input (azd exports its environment to hooks; outside azd, `azd env get-value` is asked):
#   AZURE_MANAGED_IDENTITY_PRINCIPAL_ID  output of infra/main.bicep (required)
#   API_APP_CLIENT_ID                    optional; when set, configure-api-app.ps1 is run too (app roles)
#   WRITEBACK_DEFENDER_COMMENTS, NOTIFY_MANAGER_EMAIL_SENDER, MANAGER_EMAIL_ACCESS   optional, see above
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Permissions = @('User.RevokeSessions.All', 'User.Read.All', 'GroupMember.Read.All')
$GraphAppId = '00000003-0000-0000-c000-000000000000'

function Get-EnvValue([string] $Name) {
    $value = [Environment]::GetEnvironmentVariable($Name)
    if (-not $value -and (Get-Command azd -ErrorAction SilentlyContinue)) {
        $value = azd env get-value $Name 2>$null
        if ($LASTEXITCODE -ne 0) { $value = '' }
    }
    return "$value".Trim()
}

function Invoke-Az {
    $output = & az @args
    if ($LASTEXITCODE -ne 0) { throw "az $($args -join ' ') failed with exit code $LASTEXITCODE" }
    return $output
}

if ((Get-EnvValue 'WRITEBACK_DEFENDER_COMMENTS') -eq 'true') {
    $Permissions += 'SecurityAlert.ReadWrite.All'
}
# Mail.Send in Entra ID reaches every mailbox until Exchange Online narrows it with an application access policy; with
# RBAC for Applications, Exchange grants it (scoped) instead and the Entra grant must not exist at all.
if ((Get-EnvValue 'NOTIFY_MANAGER_EMAIL_SENDER') -and (Get-EnvValue 'MANAGER_EMAIL_ACCESS') -ne 'exchange-rbac') {
    $Permissions += 'Mail.Send'
}

$principalId = Get-EnvValue 'AZURE_MANAGED_IDENTITY_PRINCIPAL_ID'
if (-not $principalId) {
    throw "AZURE_MANAGED_IDENTITY_PRINCIPAL_ID is not set; run 'azd provision' first."
}

# Microsoft Graph of the cloud az is signed in to (https://graph.microsoft.com in the public cloud).
$graph = (Invoke-Az cloud show --query endpoints.microsoftGraphResourceId --output tsv).TrimEnd('/')

$graphSpId = Invoke-Az rest --method GET `
    --url ($graph + "/v1.0/servicePrincipals(appId='$GraphAppId')?`$select=id") `
    --query id --output tsv

$appRoles = Invoke-Az rest --method GET `
    --url ($graph + "/v1.0/servicePrincipals/$graphSpId`?`$select=appRoles") `
    --query "appRoles[?contains(allowedMemberTypes, 'Application')].{value: value, id: id}" --output json |
    Out-String | ConvertFrom-Json

$granted = @(Invoke-Az rest --method GET `
    --url ($graph + "/v1.0/servicePrincipals/$principalId/appRoleAssignments?`$select=appRoleId,resourceId") `
    --query "value[?resourceId=='$graphSpId'].appRoleId" --output json |
    Out-String | ConvertFrom-Json)

foreach ($permission in $Permissions) {
    $role = $appRoles | Where-Object { $_.value -ceq $permission } | Select-Object -First 1
    if (-not $role) { throw "Microsoft Graph has no application permission $permission" }
    if ($granted -contains $role.id) {
        Write-Host "grant-graph-permissions: $permission already granted"
        continue
    }
    $body = New-TemporaryFile
    try {
        @{ principalId = $principalId; resourceId = $graphSpId; appRoleId = $role.id } |
            ConvertTo-Json -Compress | Set-Content -Path $body -Encoding utf8NoBOM
        # A just-created identity can take a little while to appear in the directory: retry a few times.
        for ($attempt = 1; ; $attempt++) {
            & az rest --method POST `
                --url "$graph/v1.0/servicePrincipals/$graphSpId/appRoleAssignedTo" `
                --headers 'Content-Type=application/json' `
                --body "@$body" --output none
            if ($LASTEXITCODE -eq 0) { break }
            if ($attempt -ge 5) { throw "granting $permission failed" }
            Start-Sleep -Seconds 20
        }
    }
    finally {
        Remove-Item -Path $body -ErrorAction SilentlyContinue
    }
    Write-Host "grant-graph-permissions: granted $permission"
}

if (Get-EnvValue 'API_APP_CLIENT_ID') {
    & (Join-Path $PSScriptRoot 'configure-api-app.ps1')
}
