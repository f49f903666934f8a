#!/bin/sh
# Lets one caller use the HTTP API: assigns it an app role of the API app registration (API_APP_CLIENT_ID).
#
#   sh infra/scripts/assign-caller-role.sh <caller> [Revocations.Submit|Revocations.Protected]
#
# <caller> is the object ID of the caller's service principal (a Logic App's or playbook's managed identity: its
# "Object (principal) ID") or a person's user principal name. Without a role, Revocations.Submit is assigned. Safe to
# run again. Needs az signed in as an owner of the API app's service principal, or as Cloud Application Administrator
# or Application Administrator. Tokens issued before the assignment do not carry the role: a caller signed in before
# gets a new token (a managed identity's is cached by the platform for up to 24 hours; a person signs in again).
set -eu

caller="${1:-}"
role="${2:-Revocations.Submit}"
if [ -z "$caller" ]; then
  echo "usage: sh infra/scripts/assign-caller-role.sh <object ID of the caller's service principal | user principal name> [Revocations.Submit|Revocations.Protected]" >&2
  exit 64
fi

client_id="$(printenv API_APP_CLIENT_ID || true)"
if [ -z "$client_id" ] && command -v azd >/dev/null 2>&1; then
  client_id="$(azd env get-value API_APP_CLIENT_ID 2>/dev/null || true)"
fi
if [ -z "$client_id" ]; then
  echo "assign-caller-role: API_APP_CLIENT_ID is not set (azd env set API_APP_CLIENT_ID <appId>)." >&2
  exit 1
fi

roles_file="$(cd "$(dirname "$0")/../app-registration" && pwd)/app-roles.json"
# The role's ID from the manifest: the "id" of the object whose "value" is the role.
role_id="$(tr -d '\n' < "$roles_file" | tr '{' '\n' | grep "\"value\": *\"$role\"" | grep -o '"id": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/' || true)"
if [ -z "$role_id" ]; then
  echo "assign-caller-role: $role is not an app role of this API (Revocations.Submit or Revocations.Protected)." >&2
  exit 64
fi

case "$caller" in
  *@*) principal_id="$(az ad user show --id "$caller" --query id --output tsv)" ;;
  *) principal_id="$caller" ;;
esac
api_sp_id="$(az ad sp show --id "$client_id" --query id --output tsv)"
graph="$(az cloud show --query endpoints.microsoftGraphResourceId --output tsv)"
graph="${graph%/}"

if error="$(az rest --method POST \
    --url "$graph/v1.0/servicePrincipals/$api_sp_id/appRoleAssignedTo" \
    --headers "Content-Type=application/json" \
    --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$api_sp_id\",\"appRoleId\":\"$role_id\"}" \
    --output none 2>&1)"; then
  echo "assign-caller-role: $caller now holds $role on the API $client_id"
elif printf '%s' "$error" | grep -qi 'already exists'; then
  echo "assign-caller-role: $caller already holds $role on the API $client_id"
else
  echo "assign-caller-role: assigning $role to $caller failed: $error" >&2
  exit 1
fi
