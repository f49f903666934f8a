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
# Prerequisites, checked first: the Azure CLI, signed in to the tenant the app was deployed to. Granting Graph
# application permissions needs the Entra role Privileged Role Administrator or Global Administrator (Application
# Administrator cannot grant Graph app roles). An operator without it still finishes `azd up`: the hook writes the
# grants still missing into one script for an administrator (.azure/<env>/grant-graph-permissions.admin.ps1), prints
# the command that runs it, and exits 0; until it has run, the app answers graph-forbidden naming the permission.
#
# Idempotent: permissions already granted are skipped; running it again changes nothing. The same steps as
# grant-graph-permissions.sh, which the infra tests run against a fake az.
#
# Input (azd exports its environment to hooks; outside azd, `azd env get-value` is asked):
#   AZURE_MANAGED_IDENTITY_PRINCIPAL_ID  output of infra/main.bicep (required)
#   AZURE_TENANT_ID                      output of infra/main.bicep; az must be signed in to this tenant
#   API_APP_CLIENT_ID                    optional; when set, configure-api-app.ps1 is run too (app roles)
#   WRITEBACK_DEFENDER_COMMENTS, NOTIFY_MANAGER_EMAIL_SENDER, MANAGER_EMAIL_ACCESS   optional, see above
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$Permissions = @('User.RevokeSessions.All', 'User.Read.All', 'GroupMember.Read.All')
$GraphAppId = '00000003-0000-0000-c000-000000000000'
# Directory role templates that may grant application permissions (the same IDs in every tenant).
$GrantingRoles = @('62e90394-69f5-4237-9190-012177145e10', 'e8611ab8-c189-46e8-94e1-60213ab1f814')
$Attempts = if ($env:GRANT_ATTEMPTS) { [int]$env:GRANT_ATTEMPTS } else { 5 }
$RetrySeconds = if ($null -ne $env:GRANT_RETRY_SECONDS) { [int]$env:GRANT_RETRY_SECONDS } else { 20 }

function Get-EnvValue([string] $Name) {
    $value = [Environment]::GetEnvironmentVariable($Name)
    if (-not $value -and (Get-Command azd -ErrorAction SilentlyContinue)) {
        $value = azd env get-value $Name 2>$null
        if ($LASTEXITCODE -ne 0) { $value = '' }
    }
    return "$value".Trim()
}

function Stop-Hook([string] $Message) {
    [Console]::Error.WriteLine("grant-graph-permissions: $Message")
    exit 1
}

# Runs az and returns its output; a failed read is retried (a just-created identity takes a while to appear in the
# directory, and Graph has brief faults), so one transient error does not stop `azd up`.
function Read-Az([string] $What) {
    for ($attempt = 1; ; $attempt++) {
        $output = & az @args
        if ($LASTEXITCODE -eq 0) { return $output }
        if ($attempt -ge $Attempts) { Stop-Hook "cannot read $What" }
        Start-Sleep -Seconds $RetrySeconds
    }
}

$principalId = Get-EnvValue 'AZURE_MANAGED_IDENTITY_PRINCIPAL_ID'
if (-not $principalId) {
    Stop-Hook "AZURE_MANAGED_IDENTITY_PRINCIPAL_ID is not set; run 'azd provision' first."
}

# --- Prerequisites: the Azure CLI, signed in to the app's tenant. ---------------------------------------------------
$tenantId = Get-EnvValue 'AZURE_TENANT_ID'
$login = if ($tenantId) { "az login --tenant $tenantId" } else { 'az login' }
if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    Stop-Hook "the Azure CLI (az) is not installed. Install it (https://aka.ms/installazurecli), run '$login', then 'azd hooks run postprovision'."
}
$signedInTenant = az account show --query tenantId --output tsv 2>$null
if ($LASTEXITCODE -ne 0) {
    Stop-Hook "the Azure CLI is not signed in. Run '$login', then 'azd hooks run postprovision'."
}
if ($tenantId -and $signedInTenant -ne $tenantId) {
    Stop-Hook "the Azure CLI is signed in to tenant $signedInTenant, but the app is in tenant $tenantId. Run 'az login --tenant $tenantId', then 'azd hooks run postprovision'."
}

# Microsoft Graph of the cloud az is signed in to (https://graph.microsoft.com in the public cloud).
$graph = ("$(Read-Az "the Azure CLI's cloud" cloud show --query endpoints.microsoftGraphResourceId --output tsv)").TrimEnd('/')

$graphSpId = Read-Az "Microsoft Graph's service principal" rest --method GET `
    --url ($graph + "/v1.0/servicePrincipals(appId='$GraphAppId')?`$select=id") `
    --query id --output tsv

$appRoles = Read-Az "Microsoft Graph's application permissions" rest --method GET `
    --url ($graph + "/v1.0/servicePrincipals/$graphSpId`?`$select=appRoles") `
    --query "appRoles[?contains(allowedMemberTypes, 'Application')].{value: value, id: id}" --output json |
    Out-String | ConvertFrom-Json

$granted = @(Read-Az "the permissions the managed identity $principalId already has" rest --method GET `
    --url ($graph + "/v1.0/servicePrincipals/$principalId/appRoleAssignments?`$select=appRoleId,resourceId") `
    --query "value[?resourceId=='$graphSpId'].appRoleId" --output json |
    Out-String | ConvertFrom-Json)

if ((Get-EnvValue 'WRITEBACK_DEFENDER_COMMENTS') -eq 'true') {
    $Permissions += 'SecurityAlert.ReadWrite.All'
}
# Mail.Send in Entra ID reaches every mailbox until Exchange Online narrows it with an application access policy; with
# RBAC for Applications, Exchange grants it (scoped) instead and the Entra grant must not exist at all.
if ((Get-EnvValue 'NOTIFY_MANAGER_EMAIL_SENDER') -and (Get-EnvValue 'MANAGER_EMAIL_ACCESS') -ne 'exchange-rbac') {
    $Permissions += 'Mail.Send'
}

$missing = @()
foreach ($permission in $Permissions) {
    $role = $appRoles | Where-Object { $_.value -ceq $permission } | Select-Object -First 1
    if (-not $role) { Stop-Hook "Microsoft Graph has no application permission $permission" }
    if ($granted -contains $role.id) {
        Write-Host "grant-graph-permissions: $permission already granted"
    }
    else {
        $missing += [pscustomobject]@{ Permission = $permission; RoleId = $role.id }
    }
}

function New-Body([string] $RoleId) {
    @{ principalId = $principalId; resourceId = $graphSpId; appRoleId = $RoleId } | ConvertTo-Json -Compress
}

# Writes the grants still missing into one self-contained script an administrator runs (az signed in to the same
# tenant; Azure Cloud Shell will do), and prints how. IDs only: nothing in it is a secret.
function Write-HandOff([string] $Reason, [object[]] $Grants) {
    $envName = Get-EnvValue 'AZURE_ENV_NAME'
    $dir = Join-Path '.azure' ($(if ($envName) { $envName } else { 'default' }))
    New-Item -ItemType Directory -Force -Path $dir | Out-Null
    $script = Join-Path $dir 'grant-graph-permissions.admin.ps1'
    $lines = @(
        "# Grants the RevokeFunctions managed identity ($principalId) the Microsoft Graph application permissions",
        "# it still lacks. Run by a Privileged Role Administrator or Global Administrator of tenant $(if ($tenantId) { $tenantId } else { $signedInTenant }).",
        '$failed = 0',
        'function Grant([string] $Name, [string] $Body) {',
        '    $file = New-TemporaryFile',
        '    Set-Content -Path $file -Value $Body -Encoding utf8NoBOM',
        "    `$out = az rest --method POST --url '$graph/v1.0/servicePrincipals/$graphSpId/appRoleAssignedTo' --headers 'Content-Type=application/json' --body `"@`$file`" --output none 2>&1",
        '    $code = $LASTEXITCODE; Remove-Item $file',
        '    if ($code -eq 0) { Write-Host "granted $Name" }',
        '    elseif ("$out" -match ''already exists'') { Write-Host "$Name was already granted" }',
        '    else { Write-Error "granting $Name failed: $out" -ErrorAction Continue; $script:failed = 1 }',
        '}'
    )
    foreach ($grant in $Grants) {
        $lines += "Grant '$($grant.Permission)' '$(New-Body $grant.RoleId)'"
    }
    $lines += 'exit $failed'
    Set-Content -Path $script -Value $lines -Encoding utf8NoBOM
    [Console]::Error.WriteLine("grant-graph-permissions: WARNING: $Reason")
    [Console]::Error.WriteLine('grant-graph-permissions: the deployment goes on; until an administrator grants them, revocations end graph-forbidden naming the missing permission.')
    [Console]::Error.WriteLine('grant-graph-permissions: hand this to a Privileged Role Administrator or Global Administrator (az signed in to the tenant; Cloud Shell will do):')
    [Console]::Error.WriteLine('')
    [Console]::Error.WriteLine("    pwsh $script")
    [Console]::Error.WriteLine('')
}

if ($missing.Count -gt 0) {
    $names = ($missing | ForEach-Object Permission) -join ', '
    # Only Privileged Role Administrator and Global Administrator may grant Graph application permissions. A signed-in
    # user holding neither (active) hands the grant off without trying; a service principal (no /me) just tries.
    $canGrant = 'unknown'
    $roles = az rest --method GET `
        --url ($graph + '/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=roleTemplateId') `
        --query 'value[].roleTemplateId' --output tsv 2>$null
    if ($LASTEXITCODE -eq 0) {
        $canGrant = if (@($roles | Where-Object { $GrantingRoles -contains $_ }).Count -gt 0) { 'yes' } else { 'no' }
    }

    if ($canGrant -eq 'no') {
        Write-HandOff "you hold neither Privileged Role Administrator nor Global Administrator (active; activate an eligible role in PIM and rerun 'azd hooks run postprovision'), so $names could not be granted." $missing
    }
    else {
        for ($i = 0; $i -lt $missing.Count; $i++) {
            $grant = $missing[$i]
            $body = New-TemporaryFile
            try {
                Set-Content -Path $body -Value (New-Body $grant.RoleId) -Encoding utf8NoBOM
                # A just-created identity can take a little while to appear in the directory: retry a few times, but
                # hand off at once when Graph says the caller is not allowed (retrying cannot help).
                for ($attempt = 1; ; $attempt++) {
                    $errorText = & az rest --method POST `
                        --url "$graph/v1.0/servicePrincipals/$graphSpId/appRoleAssignedTo" `
                        --headers 'Content-Type=application/json' `
                        --body "@$body" --output none 2>&1
                    if ($LASTEXITCODE -eq 0) {
                        Write-Host "grant-graph-permissions: granted $($grant.Permission)"
                        break
                    }
                    if ("$errorText" -match 'Authorization_RequestDenied|Forbidden|Insufficient privileges') {
                        $rest = $missing[$i..($missing.Count - 1)]
                        Write-HandOff "Microsoft Graph refused to let you grant $($grant.Permission) (it needs Privileged Role Administrator or Global Administrator), so $(($rest | ForEach-Object Permission) -join ', ') are not granted." $rest
                        $i = $missing.Count
                        break
                    }
                    if ($attempt -ge $Attempts) { Stop-Hook "granting $($grant.Permission) failed: $errorText" }
                    Start-Sleep -Seconds $RetrySeconds
                }
            }
            finally {
                Remove-Item -Path $body -ErrorAction SilentlyContinue
            }
        }
    }
}

if (Get-EnvValue 'API_APP_CLIENT_ID') {
    & (Join-Path $PSScriptRoot 'configure-api-app.ps1')
    if ($LASTEXITCODE) { exit $LASTEXITCODE }
}
exit 0
