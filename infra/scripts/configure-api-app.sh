#!/bin/sh
# Applies infra/app-registration/app-roles.json (app roles Revocations.Submit and Revocations.Protected) to the API
# app registration that App Service Authentication validates tokens for, and makes that registration usable as a
# token audience. Run by grant-graph-permissions.sh when API_APP_CLIENT_ID is set; safe to run again (the same
# role IDs are written each time).
#
# Creating the registration once (then `azd env set API_APP_CLIENT_ID <appId>` and `azd provision`):
#   az ad app create --display-name revoke-functions-api --sign-in-audience AzureADMyOrg \
#     --app-roles @infra/app-registration/app-roles.json
set -eu

client_id="$(printenv API_APP_CLIENT_ID || true)"
if [ -z "$client_id" ] && command -v azd >/dev/null 2>&1; then
  client_id="$(azd env get-value API_APP_CLIENT_ID 2>/dev/null || true)"
fi
if [ -z "$client_id" ]; then
  echo "configure-api-app: API_APP_CLIENT_ID is not set; nothing to do." >&2
  exit 0
fi

roles_file="$(cd "$(dirname "$0")/../app-registration" && pwd)/app-roles.json"

# Audience api://<clientId> (the authsettingsV2 allowedAudiences) and the app roles callers are assigned.
az ad app update --id "$client_id" --identifier-uris "api://$client_id" --app-roles "@$roles_file"
# v2.0 access tokens, whose issuer matches the openIdIssuer configured in App Service Authentication.
az ad app update --id "$client_id" --set api.requestedAccessTokenVersion=2
# App roles are assigned on the service principal: create it if the registration has none yet.
if ! az ad sp show --id "$client_id" --output none 2>/dev/null; then
  az ad sp create --id "$client_id" --output none
fi
echo "configure-api-app: app roles and identifier URI applied to $client_id"
