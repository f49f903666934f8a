#!/bin/sh
# Adds infra/app-registration/app-roles.json (app roles Revocations.Submit and Revocations.Protected) to the API app
# registration that App Service Authentication validates tokens for, and makes that registration usable as a token
# audience (api://<clientId>). Run by grant-graph-permissions.sh when API_APP_CLIENT_ID is set; safe to run again.
#
# It merges, never overwrites: identifier URIs and app roles the operator already has on the registration are kept;
# only roles with this project's IDs (or values) are replaced by the file's version.
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

roles_file="$(cd "$(dirname "$0")/../app-registration" && pwd)/app-roles.json"
audience="api://$client_id"

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
# Both are JSON arrays: the registration's other roles, then ours (the file's array without its opening bracket).
if printf '%s' "$others" | tr -d ' \t\r\n' | grep -qx '\[\]'; then
  cat "$roles_file" > "$merged"
else
  { printf '%s' "$others" | sed '$ s/\][[:space:]]*$/,/'; sed '1 s/^[[:space:]]*\[//' "$roles_file"; } > "$merged"
fi
az ad app update --id "$client_id" --app-roles "@$merged"
# v2.0 access tokens, whose issuer matches the openIdIssuer configured in App Service Authentication.
az ad app update --id "$client_id" --set api.requestedAccessTokenVersion=2
# App roles are assigned on the service principal: create it if the registration has none yet.
if ! az ad sp show --id "$client_id" --output none 2>/dev/null; then
  az ad sp create --id "$client_id" --output none
fi
echo "configure-api-app: app roles Revocations.Submit and Revocations.Protected applied to $client_id (other roles and URIs kept)"
