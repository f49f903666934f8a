// App Service Authentication ("Easy Auth") in front of the function app: Entra ID bearer tokens only.
//
// Token validation only: there is no client secret and no sign-in flow. Callers get a token for the API's app
// registration (audience api://<clientId>) with the client-credentials or on-behalf-of flow; anything without a
// valid token gets 401 before the function runs. Authorisation inside the app reads the app roles in the token:
// `Revocations.Submit` (may submit revocations) and `Revocations.Protected` (may also revoke members of protected
// groups). Both are declared on that app registration; infra/app-registration/app-roles.json holds the definition
// and the postprovision hook (infra/scripts/grant-graph-permissions.*) applies it.
//
// If clientId is empty the configuration is still deployed with requireAuthentication on and the Entra ID provider
// off, so every request is refused (fail closed) until API_APP_CLIENT_ID is set and `azd provision` runs again.
@description('Name of the function app.')
param functionAppName string

@description('Application (client) ID of the API app registration. Empty: every request is refused.')
param clientId string

var providerEnabled = !empty(clientId)

resource functionApp 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
    }
    httpSettings: {
      requireHttps: true
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: providerEnabled
        registration: {
          clientId: clientId
          // v2.0 issuer of this tenant, on this cloud's sign-in host; no client secret setting on purpose.
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        // v2.0 access tokens (configure-api-app sets requestedAccessTokenVersion 2) carry the bare client ID as their
        // audience, whether asked for as api://<clientId> (people, az account get-access-token) or by a managed
        // identity; v1.0 tokens carry the identifier URI. Both are listed, so the first call passes either way.
        validation: {
          allowedAudiences: providerEnabled
            ? [
                'api://${clientId}'
                clientId
              ]
            : []
        }
      }
    }
  }
}
