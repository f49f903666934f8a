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
# Prerequisites, checked first: the Azure CLI, signed in to the tenant the app was deployed to. Granting Graph
# application permissions needs the Entra role Privileged Role Administrator or Global Administrator (Application
# Administrator cannot grant Graph app roles). An operator without it still finishes `azd up`: the hook writes the
# grants still missing into one script for an administrator (.azure/<env>/grant-graph-permissions.admin.sh), prints
# the command that runs it, and exits 0; until it has run, the app answers graph-forbidden naming the permission.
#
# Idempotent: permissions already granted are skipped; running it again changes nothing.
#
# Input (azd exports its environment to hooks; outside azd, `azd env get-value` is asked):
#   AZURE_MANAGED_IDENTITY_PRINCIPAL_ID  output of infra/main.bicep (required)
#   AZURE_TENANT_ID                      output of infra/main.bicep; az must be signed in to this tenant
#   API_APP_CLIENT_ID                    optional; when set, configure-api-app.sh is run too (app roles)
#   WRITEBACK_DEFENDER_COMMENTS, NOTIFY_MANAGER_EMAIL_SENDER, MANAGER_EMAIL_ACCESS   optional, see above
set -eu

PERMISSIONS="User.RevokeSessions.All User.Read.All GroupMember.Read.All"
GRAPH_APP_ID="00000003-0000-0000-c000-000000000000"
# Directory role templates that may grant application permissions (the same IDs in every tenant).
GLOBAL_ADMINISTRATOR="62e90394-69f5-4237-9190-012177145e10"
PRIVILEGED_ROLE_ADMINISTRATOR="e8611ab8-c189-46e8-94e1-60213ab1f814"

say() { echo "grant-graph-permissions: $*"; }
fail() {
  echo "grant-graph-permissions: $*" >&2
  exit 1
}

env_value() {
  value="$(printenv "$1" || true)"
  if [ -z "$value" ] && command -v azd >/dev/null 2>&1; then
    value="$(azd env get-value "$1" 2>/dev/null || true)"
  fi
  printf '%s' "$value"
}

# Runs az and prints its output; a failed read is retried (a just-created identity takes a while to appear in the
# directory, and Graph has brief faults), so one transient error does not stop `azd up`.
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

principal_id="$(env_value AZURE_MANAGED_IDENTITY_PRINCIPAL_ID)"
if [ -z "$principal_id" ]; then
  fail "AZURE_MANAGED_IDENTITY_PRINCIPAL_ID is not set; run 'azd provision' first."
fi

# --- Prerequisites: the Azure CLI, signed in to the app's tenant. -------------------------------------------------
tenant_id="$(env_value AZURE_TENANT_ID)"
if ! command -v az >/dev/null 2>&1; then
  fail "the Azure CLI (az) is not installed. Install it (https://aka.ms/installazurecli), run 'az login${tenant_id:+ --tenant $tenant_id}', then 'azd hooks run postprovision'."
fi
if ! signed_in_tenant="$(az account show --query tenantId --output tsv 2>/dev/null)"; then
  fail "the Azure CLI is not signed in. Run 'az login${tenant_id:+ --tenant $tenant_id}', then 'azd hooks run postprovision'."
fi
if [ -n "$tenant_id" ] && [ "$signed_in_tenant" != "$tenant_id" ]; then
  fail "the Azure CLI is signed in to tenant $signed_in_tenant, but the app is in tenant $tenant_id. Run 'az login --tenant $tenant_id', then 'azd hooks run postprovision'."
fi

# Microsoft Graph of the cloud az is signed in to (https://graph.microsoft.com in the public cloud).
graph="$(az_read cloud show --query endpoints.microsoftGraphResourceId --output tsv)" || fail "cannot read the Azure CLI's cloud"
graph="${graph%/}"

graph_sp_id="$(az_read rest --method GET \
  --url "$graph/v1.0/servicePrincipals(appId='$GRAPH_APP_ID')?\$select=id" \
  --query id --output tsv)" || fail "cannot read Microsoft Graph's service principal"

# "<value><TAB><id>" for every application permission Microsoft Graph offers.
app_roles="$(az_read rest --method GET \
  --url "$graph/v1.0/servicePrincipals/$graph_sp_id?\$select=appRoles" \
  --query "appRoles[?contains(allowedMemberTypes, 'Application')].[value, id]" --output tsv)" \
  || fail "cannot read Microsoft Graph's application permissions"

granted="$(az_read rest --method GET \
  --url "$graph/v1.0/servicePrincipals/$principal_id/appRoleAssignments?\$select=appRoleId,resourceId" \
  --query "value[?resourceId=='$graph_sp_id'].appRoleId" --output tsv)" \
  || fail "cannot read the permissions the managed identity $principal_id already has"

if [ "$(env_value WRITEBACK_DEFENDER_COMMENTS | tr '[:upper:]' '[:lower:]')" = "true" ]; then
  PERMISSIONS="$PERMISSIONS SecurityAlert.ReadWrite.All"
fi
# Mail.Send in Entra ID reaches every mailbox until Exchange Online narrows it with an application access policy; with
# RBAC for Applications, Exchange grants it (scoped) instead and the Entra grant must not exist at all.
if [ -n "$(env_value NOTIFY_MANAGER_EMAIL_SENDER)" ] && [ "$(env_value MANAGER_EMAIL_ACCESS)" != "exchange-rbac" ]; then
  PERMISSIONS="$PERMISSIONS Mail.Send"
fi

# "<permission> <role id>" for each permission still to grant.
missing=""
for permission in $PERMISSIONS; do
  role_id="$(printf '%s\n' "$app_roles" | awk -F '\t' -v p="$permission" '$1 == p { print $2; exit }')"
  if [ -z "$role_id" ]; then
    fail "Microsoft Graph has no application permission $permission"
  fi
  if printf '%s\n' "$granted" | grep -qix "$role_id"; then
    say "$permission already granted"
  else
    missing="$missing$permission $role_id
"
  fi
done

# Writes the grants still missing into one self-contained script an administrator runs (az signed in to the same
# tenant; Azure Cloud Shell will do), and prints how. IDs only: nothing in it is a secret.
hand_off() {
  reason="$1"
  env_name="$(env_value AZURE_ENV_NAME)"
  dir=".azure/${env_name:-default}"
  mkdir -p "$dir"
  script="$dir/grant-graph-permissions.admin.sh"
  {
    echo "#!/bin/sh"
    echo "# Grants the RevokeFunctions managed identity ($principal_id) the Microsoft Graph application permissions"
    echo "# it still lacks. Run by a Privileged Role Administrator or Global Administrator of tenant ${tenant_id:-$signed_in_tenant}."
    echo "set -u"
    echo "failed=0"
    echo "grant() {"
    echo "  if out=\"\$(az rest --method POST --url '$graph/v1.0/servicePrincipals/$graph_sp_id/appRoleAssignedTo' \\"
    echo "      --headers Content-Type=application/json \\"
    echo "      --body \"{\\\"principalId\\\":\\\"$principal_id\\\",\\\"resourceId\\\":\\\"$graph_sp_id\\\",\\\"appRoleId\\\":\\\"\$2\\\"}\" --output none 2>&1)\"; then"
    echo "    echo \"granted \$1\""
    echo "  elif printf '%s' \"\$out\" | grep -qi 'already exists'; then"
    echo "    echo \"\$1 was already granted\""
    echo "  else"
    echo "    echo \"granting \$1 failed: \$out\" >&2; failed=1"
    echo "  fi"
    echo "}"
    printf '%s' "$missing" | while read -r permission role_id; do
      [ -n "$permission" ] && echo "grant $permission $role_id"
    done
    echo "exit \$failed"
  } > "$script"
  chmod +x "$script" 2>/dev/null || true
  echo "grant-graph-permissions: WARNING: $reason" >&2
  echo "grant-graph-permissions: the deployment goes on; until an administrator grants them, revocations end graph-forbidden naming the missing permission." >&2
  echo "grant-graph-permissions: hand this to a Privileged Role Administrator or Global Administrator (az signed in to the tenant; Cloud Shell will do):" >&2
  echo "" >&2
  echo "    sh $script" >&2
  echo "" >&2
}

missing_names="$(printf '%s' "$missing" | awk '{ printf "%s%s", sep, $1; sep=", " }')"
if [ -n "$missing" ]; then
  # Only Privileged Role Administrator and Global Administrator may grant Graph application permissions. A signed-in
  # user holding neither (active) hands the grant off without trying; a service principal (no /me) just tries.
  can_grant=unknown
  if roles="$(az rest --method GET \
      --url "$graph/v1.0/me/transitiveMemberOf/microsoft.graph.directoryRole?\$select=roleTemplateId" \
      --query "value[].roleTemplateId" --output tsv 2>/dev/null)"; then
    if printf '%s\n' "$roles" | grep -qix -e "$GLOBAL_ADMINISTRATOR" -e "$PRIVILEGED_ROLE_ADMINISTRATOR"; then
      can_grant=yes
    else
      can_grant=no
    fi
  fi

  if [ "$can_grant" = no ]; then
    hand_off "you hold neither Privileged Role Administrator nor Global Administrator (active; activate an eligible role in PIM and rerun 'azd hooks run postprovision'), so $missing_names could not be granted."
  else
    remaining=""
    denied=""
    while read -r permission role_id; do
      [ -n "$permission" ] || continue
      if [ -n "$denied" ]; then
        remaining="$remaining$permission $role_id
"
        continue
      fi
      # A just-created identity can take a little while to appear in the directory: retry a few times, but hand off
      # at once when Graph says the caller is not allowed (retrying cannot help).
      attempt=1
      while :; do
        if error="$(az rest --method POST \
            --url "$graph/v1.0/servicePrincipals/$graph_sp_id/appRoleAssignedTo" \
            --headers "Content-Type=application/json" \
            --body "{\"principalId\":\"$principal_id\",\"resourceId\":\"$graph_sp_id\",\"appRoleId\":\"$role_id\"}" \
            --output none 2>&1)"; then
          say "granted $permission"
          break
        fi
        if printf '%s' "$error" | grep -qi -e 'Authorization_RequestDenied' -e 'Forbidden' -e 'Insufficient privileges'; then
          denied="$permission"
          remaining="$remaining$permission $role_id
"
          break
        fi
        if [ "$attempt" -ge "${GRANT_ATTEMPTS:-5}" ]; then
          fail "granting $permission failed: $error"
        fi
        attempt=$((attempt + 1))
        sleep "${GRANT_RETRY_SECONDS:-20}"
      done
    done <<GRANTS
$missing
GRANTS
    if [ -n "$denied" ]; then
      missing="$remaining"
      hand_off "Microsoft Graph refused to let you grant $denied (it needs Privileged Role Administrator or Global Administrator), so $(printf '%s' "$missing" | awk '{ printf "%s%s", sep, $1; sep=", " }') are not granted."
    fi
  fi
fi

if [ -n "$(env_value API_APP_CLIENT_ID)" ]; then
  sh "$(dirname "$0")/configure-api-app.sh"
fi
