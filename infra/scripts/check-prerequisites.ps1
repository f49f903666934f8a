#!/usr/bin/env pwsh
# azd preprovision hook (windows): checks, before anything is created, what `azd provision` and the postprovision hook
# need from the operator, and stops with what to do when something is missing:
#   - the Azure CLI, signed in (the postprovision hook grants Graph permissions with it) to the tenant of the
#     subscription azd deploys to;
#   - the right to create role assignments on that subscription (Owner, or User Access Administrator / Role Based
#     Access Control Administrator beside Contributor): main.bicep creates the resource group rg-<env> and gives the
#     app's identity its roles on Storage, Service Bus and Application Insights in it.
# The Entra role for Graph permissions is not required here: without it the postprovision hook hands the grant to an
# administrator and the deployment still finishes. The same steps as check-prerequisites.sh (tested against a fake az).
#
# Input (azd exports its environment to hooks): AZURE_SUBSCRIPTION_ID.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Stop-Hook([string] $Message) {
    [Console]::Error.WriteLine("check-prerequisites: $Message")
    exit 1
}

$subscription = [Environment]::GetEnvironmentVariable('AZURE_SUBSCRIPTION_ID')
if (-not $subscription -and (Get-Command azd -ErrorAction SilentlyContinue)) {
    $subscription = azd env get-value AZURE_SUBSCRIPTION_ID 2>$null
    if ($LASTEXITCODE -ne 0) { $subscription = '' }
}

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    Stop-Hook "the Azure CLI (az) is not installed; the postprovision hook needs it. Install it (https://aka.ms/installazurecli), run 'az login', then 'azd up' again."
}
$signedInTenant = az account show --query tenantId --output tsv 2>$null
if ($LASTEXITCODE -ne 0) {
    Stop-Hook "the Azure CLI is not signed in. Run 'az login' (the same account as 'azd auth login'), then 'azd up' again."
}
if (-not $subscription) {
    Write-Host 'check-prerequisites: AZURE_SUBSCRIPTION_ID is not known yet; the subscription checks are left to azd.'
    exit 0
}
$subscriptionTenant = az account show --subscription $subscription --query tenantId --output tsv 2>$null
if ($LASTEXITCODE -ne 0) {
    Stop-Hook "the Azure CLI's account cannot see subscription $subscription. Run 'az login' with the account azd uses, then 'azd up' again."
}
if ($subscriptionTenant -ne $signedInTenant) {
    Stop-Hook "the Azure CLI is signed in to tenant $signedInTenant, but subscription $subscription is in tenant $subscriptionTenant. Run 'az login --tenant $subscriptionTenant', then 'azd up' again."
}

# The caller's effective permissions on the subscription (every role, group and custom role included).
$arm = ("$(az cloud show --query endpoints.resourceManager --output tsv)").TrimEnd('/')
$permissions = az rest --method GET `
    --url "$arm/subscriptions/$subscription/providers/Microsoft.Authorization/permissions?api-version=2022-04-01" `
    --query 'value[].{actions: actions, notActions: notActions}' --output json 2>$null
if ($LASTEXITCODE -ne 0) {
    Write-Host "check-prerequisites: WARNING: could not read your permissions on subscription $subscription; if provisioning fails on a role assignment, see the README's Deploy prerequisites."
    exit 0
}
$entries = @($permissions | Out-String | ConvertFrom-Json)

# True when one entry's actions match the operation and none of its notActions does (ARM's wildcards are globs).
function Test-Allowed([string] $Operation) {
    foreach ($entry in $entries) {
        $matched = @($entry.actions | Where-Object { $Operation -like $_ }).Count -gt 0
        $excluded = @($entry.notActions | Where-Object { $Operation -like $_ }).Count -gt 0
        if ($matched -and -not $excluded) { return $true }
    }
    return $false
}

if (-not (Test-Allowed 'Microsoft.Authorization/roleAssignments/write')) {
    $me = az account show --query user.name --output tsv 2>$null
    Stop-Hook @"
you may not create role assignments on subscription $subscription, and the template gives the app's identity its roles. Ask an Owner of the subscription to run:

    az role assignment create --assignee $me --role 'User Access Administrator' --scope /subscriptions/$subscription

(or to make you Owner), then 'azd up' again.
"@
}
if (-not (Test-Allowed 'Microsoft.Resources/subscriptions/resourceGroups/write')) {
    Stop-Hook "you may not create resource groups on subscription $subscription (Contributor or Owner needed), and the template creates rg-<environment>. Ask an Owner of the subscription for Contributor, then 'azd up' again."
}
Write-Host "check-prerequisites: Azure CLI signed in to tenant $signedInTenant; you may create the resource group and its role assignments."
