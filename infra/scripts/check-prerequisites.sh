#!/bin/sh
# azd preprovision hook (posix): checks, before anything is created, what `azd provision` and the postprovision hook
# need from the operator, and stops with what to do when something is missing:
#   - the Azure CLI, signed in (the postprovision hook grants Graph permissions with it) to the tenant of the
#     subscription azd deploys to;
#   - the right to create role assignments on that subscription (Owner, or User Access Administrator / Role Based
#     Access Control Administrator beside Contributor): main.bicep creates the resource group rg-<env> and gives the
#     app's identity its roles on Storage, Service Bus and Application Insights in it.
# The Entra role for Graph permissions (Privileged Role Administrator or Global Administrator) is not required here:
# without it the postprovision hook hands the grant to an administrator and the deployment still finishes.
#
# Input (azd exports its environment to hooks): AZURE_SUBSCRIPTION_ID.
set -eu

say() { echo "check-prerequisites: $*"; }
fail() {
  echo "check-prerequisites: $*" >&2
  exit 1
}

subscription="$(printenv AZURE_SUBSCRIPTION_ID || true)"
if [ -z "$subscription" ] && command -v azd >/dev/null 2>&1; then
  subscription="$(azd env get-value AZURE_SUBSCRIPTION_ID 2>/dev/null || true)"
fi

if ! command -v az >/dev/null 2>&1; then
  fail "the Azure CLI (az) is not installed; the postprovision hook needs it. Install it (https://aka.ms/installazurecli), run 'az login', then 'azd up' again."
fi
if ! signed_in_tenant="$(az account show --query tenantId --output tsv 2>/dev/null)"; then
  fail "the Azure CLI is not signed in. Run 'az login' (the same account as 'azd auth login'), then 'azd up' again."
fi
if [ -z "$subscription" ]; then
  say "AZURE_SUBSCRIPTION_ID is not known yet; the subscription checks are left to azd."
  exit 0
fi
if ! subscription_tenant="$(az account show --subscription "$subscription" --query tenantId --output tsv 2>/dev/null)"; then
  fail "the Azure CLI's account cannot see subscription $subscription. Run 'az login' with the account azd uses, then 'azd up' again."
fi
if [ "$subscription_tenant" != "$signed_in_tenant" ]; then
  fail "the Azure CLI is signed in to tenant $signed_in_tenant, but subscription $subscription is in tenant $subscription_tenant. Run 'az login --tenant $subscription_tenant', then 'azd up' again."
fi

# The caller's effective permissions on the subscription (every role, group and custom role included): one line per
# permission entry, its actions and then its notActions, each space-separated.
arm="$(az cloud show --query endpoints.resourceManager --output tsv)"
arm="${arm%/}"
if ! permissions="$(az rest --method GET \
    --url "$arm/subscriptions/$subscription/providers/Microsoft.Authorization/permissions?api-version=2022-04-01" \
    --query "value[].[join(' ', actions), join(' ', notActions)]" --output tsv 2>/dev/null)"; then
  say "WARNING: could not read your permissions on subscription $subscription; if provisioning fails on a role assignment, see the README's Deploy prerequisites."
  exit 0
fi

# True when one entry's actions match the operation and none of its notActions does (ARM's wildcards are globs).
allowed() {
  operation="$(printf '%s' "$1" | tr '[:upper:]' '[:lower:]')"
  printf '%s\n' "$permissions" | tr '[:upper:]' '[:lower:]' | while IFS="$(printf '\t')" read -r actions not_actions; do
    matched=no
    for pattern in $actions; do
      # shellcheck disable=SC2254 # the pattern is a glob on purpose
      case "$operation" in $pattern) matched=yes ;; esac
    done
    for pattern in $not_actions; do
      # shellcheck disable=SC2254
      case "$operation" in $pattern) matched=no ;; esac
    done
    if [ "$matched" = yes ]; then
      echo yes
      break
    fi
  done
}

set -f # the actions are globs: never expand them against file names
if [ -z "$(allowed Microsoft.Authorization/roleAssignments/write)" ]; then
  set +f
  me="$(az account show --query user.name --output tsv 2>/dev/null || echo '<you>')"
  fail "you may not create role assignments on subscription $subscription, and the template gives the app's identity its roles. Ask an Owner of the subscription to run:

    az role assignment create --assignee $me --role 'User Access Administrator' --scope /subscriptions/$subscription

(or to make you Owner), then 'azd up' again."
fi
if [ -z "$(allowed Microsoft.Resources/subscriptions/resourceGroups/write)" ]; then
  set +f
  fail "you may not create resource groups on subscription $subscription (Contributor or Owner needed), and the template creates rg-<environment>. Ask an Owner of the subscription for Contributor, then 'azd up' again."
fi
set +f
say "Azure CLI signed in to tenant $signed_in_tenant; you may create the resource group and its role assignments."
