#!/bin/sh
# azd postprovision hook (posix): grants the app's user-assigned managed identity the Microsoft Graph application
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
#   API_APP_CLIENT_ID                    optional; when set, configure-api-app.sh is run too (app roles)
#   WRITEBACK_DEFENDER_COMMENTS, NOTIFY_MANAGER_EMAIL_SENDER, MANAGER_EMAIL_ACCESS   optional, see above
set -eu

PERMISSIONS="User.RevokeSessions.All User.Read.All GroupMember.Read.All"
GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"

env_value() {
  value="$(printenv "$1" || true)"
  if [ -z "$value" ] && command -v azd >/dev/null 2>&1; then
    value="$(azd env get-value "$1" 2>/dev/null || true)"
  fi
  printf '%s' "$value"
}

principal_id="$(env_value AZURE_MANAGED_IDENTITY_PRINCIPAL_ID)"
if [ -z "$principal_id" ]; then
  echo "grant-graph-permissions: AZURE_MANAGED_IDENTITY_PRINCIPAL_ID is not set; run 'azd provision' first." >&2
  exit 1
fi

# Microsoft Graph of the cloud az is signed in to (https://graph.microsoft.com in the public cloud).
graph="$(az cloud show --query endpoints.microsoftGraphResourceId --output tsv)"
graph="${graph%/}"

graph_sp_id="$(az rest --method GET \
  --url "$graph/v1.0/servicePrincipals(appId='$GRAPH_APP_ID')?\$select=id" \
  --query id --output tsv)"

# "<value><TAB><id>" for every application permission Microsoft Graph offers.
app_roles="$(az rest --method GET \
  --url "$graph/v1.0/servicePrincipals/$graph_sp_id?\$select=appRoles" \
  --query "appRoles[?contains(allowedMemberTypes, 'Application')].[value, id]" --output tsv)"

granted="$(az rest --method GET \
  --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments?\$select=appRoleId,resourceId" \
  --query "value[?resourceId=='$graph_sp_id'].appRoleId" --output tsv)"

if [ "$(env_value WRITEBACK_DEFENDER_COMMENTS | tr '[:upper:]' '[:lower:]')" = "true" ]; then
  PERMISSIONS="$PERMISSIONS SecurityAlert.ReadWrite.All"
fi
# Mail.Send in Entra ID reaches every mailbox until Exchange Online narrows it with an application access policy; with
# RBAC for Applications, Exchange grants it (scoped) instead and the Entra grant must not exist at all.
if [ -n "$(env_value NOTIFY_MANAGER_EMAIL_SENDER)" ] && [ "$(env_value MANAGER_EMAIL_ACCESS)" != "exchange-rbac" ]; then
  PERMISSIONS="$PERMISSIONS Mail.Send"
fi

for permission in $PERMISSIONS; do
  role_id="$(printf '%s\n' "$app_roles" | awk -F '\t' -v p="$permission" '$1 == p { print $2; exit }')"
  if [ -z "$role_id" ]; then
    echo "grant-graph-permissions: Microsoft Graph has no application permission $permission" >&2
    exit 1
  fi
  if printf '%s\n' "$granted" | grep -qix "$role_id"; then
    echo "grant-graph-permissions: $permission already granted"
    continue
  fi
  # A just-created identity can take a little while to appear in the directory: retry a few times.
  attempt=1
  until az rest --method POST \
      --url "$graph/v1.0/servicePrincipals/$graph_sp_id/appRoleAssignedTo" \
      --headers "Content-Type=application/json" \
      --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp_id\",\"appRoleId\":\"$role_id\"}" \
      --output none; do
    if [ "$attempt" -ge 5 ]; then
      echo "grant-graph-permissions: granting $permission failed" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep "${GRANT_RETRY_SECONDS:-20}"
  done
  echo "grant-graph-permissions: granted $permission"
done

if [ -n "$(env_value API_APP_CLIENT_ID)" ]; then
  sh "$(dirname "$0")/configure-api-app.sh"
fi
