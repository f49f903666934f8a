// A function app on the Flex Consumption plan that runs as a user-assigned managed identity. Only identity-based
// connections: no account key, SAS or connection string with a secret is ever written into its settings.
@description('Name of the function app.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the app (azd finds the service through azd-service-name).')
param tags object = {}

@description('Resource ID of the Flex Consumption (FC1) plan.')
param planId string

@description('Resource ID of the user-assigned managed identity the app runs as.')
param identityId string

@description('Storage account holding the deployment package container.')
param storageAccountName string

@description('Blob container that receives the deployment package.')
param deploymentContainerName string

@description('Worker runtime (functionAppConfig.runtime.name).')
param runtimeName string

@description('Worker runtime version (functionAppConfig.runtime.version).')
param runtimeVersion string

@description('Memory of one instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

// The platform's own bounds for functionAppConfig.scaleAndConcurrency.maximumInstanceCount on Flex Consumption: it
// refuses a maximum below 40 or above 1000 at deployment time, so the template refuses them at build time instead.
// The value, 40, is that lowest maximum: more instances add nothing. All instances together get one Graph budget
// (20 writes/s; Graph:RateLimit:Shared divides it among the busy ones), and in the scale-out benchmark
// (docs/benchmarks.md, scenario 5) 1 and 16 instances at maxConcurrentCalls 16 reached the same rate (0.935 and 0.936
// of Graph's limit): more instances do not make Graph faster.
// Instances beyond what the budget can use only add ledger and roster traffic, and
// Graph:RateLimit:Shared:FallbackInstances (40) must stay at or above this value, so that instances cut off from the
// roster still stay under Graph's quota together.
@description('Most instances the app scales out to (Flex Consumption accepts 40 to 1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('App settings (name to value). Never pass a secret here.')
param appSettings object

@description('Subnet (delegated to Microsoft.App/environments) the app joins for outbound traffic; empty: no virtual network.')
param virtualNetworkSubnetId string = ''

@description('Log Analytics workspace that receives the app\'s platform logs (FunctionAppLogs).')
param logAnalyticsWorkspaceId string

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    // Key Vault references in app settings (the chat webhook's URL) are resolved as the user-assigned identity.
    keyVaultReferenceIdentity: identityId
    clientCertEnabled: false
    // With a subnet, outbound calls to Storage and Service Bus go through their private endpoints.
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    // No ftpsState: ARM refuses that property on Flex Consumption sites in some regions, and none of Microsoft's Flex
    // templates sets it. FTP is off anyway: the ftp basic-publishing-credentials policy below allows no FTP sign-in.
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: runtimeName
        version: runtimeVersion
      }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: appSettings
}

// No FTP and no SCM (Kudu) basic-auth publishing: deployments go through Entra ID (azd uses the deployer's token).
resource ftpPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPublishing 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// The Functions host's own log stream (every function execution and host event) into the workspace, beside the
// telemetry Application Insights already stores there.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: functionApp
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

output id string = functionApp.id
output name string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
