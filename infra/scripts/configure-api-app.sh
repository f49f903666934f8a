#!/bin/sh
# Adds infra/app-registration/app-roles.json (app roles Revocations.Submit and Revocations.Protected) to the API app
# registration that App Service Authentication validates tokens for, and makes that registration usable as a token
# audience (api://<clientId>). Run by grant-graph-permissions.sh when API_APP_CLIENT_ID is set; safe to run again.
#
# It merges, never overwrites: identifier URIs, app roles, scopes and pre-authorised clients the operator already has
# on the registration are kept; only roles with this project's IDs (or values) are replaced by the file's version.
#
# For people, it also exposes the delegated scope user_impersonation (infra/app-registration/api-scope.json; an
# existing scope of that name is reused) and pre-authorises the Azure CLI for it, so that
# `az account get-access-token --resource api://<clientId>` gives a person a token without a consent prompt; what the
# person may do is still decided by the app roles assigned to them.
#
# Creating the registration once (then `azd env set API_APP_CLIENT_ID <appId>` and `azd provision`):
#   az ad app create --display-name revoke-functions-api --sign-in-audience AzureADMyOrg \
#     --app-roles @infra/app-registration/app-roles.json
# Whoever runs this must own the registration (or be Application Administrator / Cloud Application Administrator).
set -eu

client_id="$(printenv API_APP_CLIENT_ID || true)"
if [ -z "$client_id" ] && command -v azd >/dev/null 2>&1; then
  client_id="$(azd env get-value API_APP_CLIENT_ID 2>/dev/null || true)"
fi
if [ -z "$client_id" ]; then
  echo "configure-api-app: API_APP_CLIENT_ID is not set; nothing to do." >&2
  exit 0
fi

# Reads are retried: a registration created a moment ago may not be readable everywhere yet.
az_read() {
  attempt=1
  until output="$(az "$@")"; do
    if [ "$attempt" -ge "${GRANT_ATTEMPTS:-5}" ]; then
      return 1
    fi
    attempt=$((attempt + 1))
    sleep "${GRANT_RETRY_SECONDS:-20}"
  done
  printf '%s\n' "$output"
}

registration="$(cd "$(dirname "$0")/../app-registration" && pwd)"
roles_file="$registration/app-roles.json"
scope_file="$registration/api-scope.json"
audience="api://$client_id"
# The Azure CLI's application ID (the same in every tenant): the client people get their tokens with.
AZURE_CLI_APP_ID="04b07795-8ddb-461a-bbee-02f9e1bf7b46"

# Two JSON arrays joined into one: the first's items, then the second's. An empty or null first array gives the second.
json_concat() {
  first="$(printf '%s' "$1" | tr -d '\r\n' | sed 's/[[:space:]]*$//')"
  second="$(printf '%s' "$2" | tr -d '\r\n' | sed 's/^[[:space:]]*//')"
  if [ -z "$(printf '%s' "$first" | tr -d ' \t[]')" ] || [ "$first" = null ]; then
    printf '%s' "$second"
  else
    printf '%s,%s' "${first%]}" "${second#[}"
  fi
}

# Identifier URIs: keep the registration's own, add api://<clientId> when it is missing.
uris="$(az_read ad app show --id "$client_id" --query identifierUris --output tsv)" \
  || { echo "configure-api-app: cannot read app registration $client_id" >&2; exit 1; }
if printf '%s\n' "$uris" | grep -qxF "$audience"; then
  echo "configure-api-app: identifier URI $audience already set"
else
  # shellcheck disable=SC2086 # one URI per word; URIs hold no spaces
  az ad app update --id "$client_id" --identifier-uris $uris "$audience"
  echo "configure-api-app: identifier URI $audience added"
fi

# App roles: the registration's roles other than this project's (matched by ID or by value), then the file's roles.
ids="$(grep -o '"id": *"[^"]*"' "$roles_file" | sed 's/.*"\([^"]*\)"$/\1/')"
values="$(grep -o '"value": *"[^"]*"' "$roles_file" | sed 's/.*"\([^"]*\)"$/\1/')"
filter=""
for id in $ids; do filter="$filter${filter:+ && }id!='$id'"; done
for value in $values; do filter="$filter${filter:+ && }value!='$value'"; done
others="$(az_read ad app show --id "$client_id" --query "appRoles[?$filter]" --output json)" \
  || { echo "configure-api-app: cannot read the app roles of $client_id" >&2; exit 1; }

merged="$(mktemp "${TMPDIR:-/tmp}/app-roles.XXXXXX")"
trap 'rm -f "$merged"' EXIT
json_concat "$others" "$(cat "$roles_file")" > "$merged"
az ad app update --id "$client_id" --app-roles "@$merged"

# The delegated scope people's tokens carry: reuse one named like ours, else add ours beside the registration's own.
scope_value="$(grep -o '"value": *"[^"]*"' "$scope_file" | sed 's/.*"\([^"]*\)"$/\1/')"
scope_id="$(az_read ad app show --id "$client_id" --query "api.oauth2PermissionScopes[?value=='$scope_value'].id | [0]" --output tsv)" \
  || { echo "configure-api-app: cannot read the scopes of $client_id" >&2; exit 1; }
if [ -z "$scope_id" ]; then
  scopes="$(az_read ad app show --id "$client_id" --query "api.oauth2PermissionScopes" --output json)" \
    || { echo "configure-api-app: cannot read the scopes of $client_id" >&2; exit 1; }
  az ad app update --id "$client_id" --set "api.oauth2PermissionScopes=$(json_concat "$scopes" "[$(cat "$scope_file")]")"
  scope_id="$(grep -o '"id": *"[^"]*"' "$scope_file" | sed 's/.*"\([^"]*\)"$/\1/')"
  echo "configure-api-app: scope $scope_value added"
fi

# The Azure CLI pre-authorised for that scope (its other pre-authorised scopes and other clients kept).
authorized="$(az_read ad app show --id "$client_id" --query "api.preAuthorizedApplications[?appId=='$AZURE_CLI_APP_ID'].delegatedPermissionIds[]" --output tsv)" \
  || { echo "configure-api-app: cannot read the pre-authorised clients of $client_id" >&2; exit 1; }
if printf '%s\n' "$authorized" | grep -qxF "$scope_id"; then
  echo "configure-api-app: the Azure CLI is already pre-authorised for $scope_value"
else
  clients="$(az_read ad app show --id "$client_id" --query "api.preAuthorizedApplications[?appId!='$AZURE_CLI_APP_ID']" --output json)" \
    || { echo "configure-api-app: cannot read the pre-authorised clients of $client_id" >&2; exit 1; }
  ids="$(printf '%s\n%s\n' "$authorized" "$scope_id" | awk 'NF { printf "%s\"%s\"", sep, $1; sep="," }')"
  az ad app update --id "$client_id" --set \
    "api.preAuthorizedApplications=$(json_concat "$clients" "[{\"appId\":\"$AZURE_CLI_APP_ID\",\"delegatedPermissionIds\":[$ids]}]")"
  echo "configure-api-app: the Azure CLI pre-authorised for $scope_value"
fi
# v2.0 access tokens, whose issuer matches the openIdIssuer configured in App Service Authentication.
az ad app update --id "$client_id" --set api.requestedAccessTokenVersion=2
# App roles are assigned on the service principal: create it if the registration has none yet.
if ! az ad sp show --id "$client_id" --output none 2>/dev/null; then
  az ad sp create --id "$client_id" --output none
fi
echo "configure-api-app: app roles Revocations.Submit and Revocations.Protected, scope $scope_value and the Azure CLI applied to $client_id (the registration's own roles, scopes, clients and URIs kept)"
