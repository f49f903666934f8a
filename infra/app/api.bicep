// The RevokeFunctions app: Flex Consumption function app, its settings, and App Service Authentication in front.
// App setting names are the ones the app reads; every connection is identity-based (no secret anywhere).
@description('Name of the function app.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the function app.')
param tags object = {}

@description('Resource ID of the Flex Consumption plan.')
param planId string

@description('Resource ID of the user-assigned managed identity.')
param identityId string

@description('Client ID of the user-assigned managed identity.')
param identityClientId string

@description('Storage account for AzureWebJobsStorage and the deployment package.')
param storageAccountName string

@description('Blob container of the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Service Bus host name, <namespace>.servicebus.windows.net in the public cloud.')
param serviceBusFullyQualifiedNamespace string

@description('Name of the revocation queue.')
param queueName string

@description('Table service endpoint of the ledger, https://<account>.table.core.windows.net in the public cloud.')
param ledgerServiceUri string

@description('Name of the ledger table.')
param ledgerTableName string

@description('Application Insights component of the app.')
param applicationInsightsName string

@description('Object IDs of Entra groups whose members are revoked only by callers holding Revocations.Protected.')
param protectedGroupIds array

@description('Storm guard: automated sources may revoke at most this many distinct users per window; further automated targets are refused for review.')
param stormGuardMaxUsers int

@description('Run everything but the Graph write.')
param dryRun bool

@description('Microsoft Graph base URL (with version segment).')
param graphBaseUrl string

@description('Application (client) ID of the API app registration used by App Service Authentication.')
param apiAppClientId string

@description('Comment on the Sentinel incidents the app acts on (main.bicep turns it on with the Sentinel workspace and its role).')
param sentinelComments bool

@description('Comment on the Defender XDR alerts the app acts on (needs SecurityAlert.ReadWrite.All).')
param defenderComments bool

@description('Sending mailbox of the manager emails; empty sends none.')
param managerEmailSender string

@description('Key Vault URI holding the chat webhook URL; empty sends no webhook.')
param notificationWebhookKeyVaultUri string

@description('Subnet the app joins when the virtual network is on; empty otherwise.')
param virtualNetworkSubnetId string

@description('Log Analytics workspace for the app\'s platform logs.')
param logAnalyticsWorkspaceId string

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

// Guards__ProtectedGroups__0, __1, ... : the .NET configuration binder reads them as the Guards:ProtectedGroups list.
var protectedGroupSettings = toObject(
  range(0, length(protectedGroupIds)),
  i => 'Guards__ProtectedGroups__${i}',
  i => string(protectedGroupIds[i])
)

var baseSettings = {
  // Functions host storage through the managed identity (the __ forms; never a plain AzureWebJobsStorage value).
  // Service URIs read from the account's own endpoints rather than __accountName, which the host expands with the
  // public cloud's suffix only: these work in national clouds and with custom DNS too.
  AzureWebJobsStorage__blobServiceUri: storage.properties.primaryEndpoints.blob
  AzureWebJobsStorage__queueServiceUri: storage.properties.primaryEndpoints.queue
  AzureWebJobsStorage__tableServiceUri: storage.properties.primaryEndpoints.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId

  // Service Bus trigger connection "ServiceBus" and the sender used by the HTTP trigger.
  ServiceBus__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
  ServiceBus__credential: 'managedidentity'
  ServiceBus__clientId: identityClientId
  RevocationQueueName: queueName

  // Audit ledger in Table storage.
  Ledger__serviceUri: ledgerServiceUri
  Ledger__tableName: ledgerTableName

  // The app's own ManagedIdentityCredential (Graph, Service Bus sender, Table client).
  AZURE_CLIENT_ID: identityClientId

  // Application Insights with Entra ID authentication (the component has local auth disabled). The connection
  // string holds only the ingestion endpoint and the instrumentation key, which by itself can no longer ingest.
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'

  // Guard rails.
  Guards__StormGuard__MaxUsers: string(stormGuardMaxUsers)
  Guards__DryRun: dryRun ? 'true' : 'false'

  Graph__BaseUrl: graphBaseUrl
}

// Write-back to the source and notifications: each off unless its parameter turns it on.
var writeBackSettings = {
  WriteBack__SentinelComments: sentinelComments ? 'true' : 'false'
  WriteBack__DefenderComments: defenderComments ? 'true' : 'false'
  WriteBack__ArmBaseUrl: environment().resourceManager
  Notifications__ManagerEmail__Enabled: empty(managerEmailSender) ? 'false' : 'true'
  Notifications__ManagerEmail__Sender: managerEmailSender
  Notifications__Webhook__Enabled: empty(notificationWebhookKeyVaultUri) ? 'false' : 'true'
}

// The webhook URL carries its own credential, so the setting is a Key Vault reference, resolved by the platform with
// the app's identity (keyVaultReferenceIdentity); the URL itself is never in a parameter, a setting or the repository.
var webhookUrlSetting = empty(notificationWebhookKeyVaultUri)
  ? {}
  : {
      Notifications__Webhook__Url: '@Microsoft.KeyVault(SecretUri=${notificationWebhookKeyVaultUri})'
    }

module functionApp '../core/host/functions-flex-consumption.bicep' = {
  name: 'function-app'
  params: {
    name: name
    location: location
    tags: union(tags, { 'azd-service-name': 'api' })
    planId: planId
    identityId: identityId
    storageAccountName: storageAccountName
    deploymentContainerName: deploymentContainerName
    // Flex Consumption supports .NET 10 on the isolated worker (GA), the newest .NET it offers; the runtime
    // version is written '10.0', as the Flex Consumption stack lists it for dotnet-isolated.
    runtimeName: 'dotnet-isolated'
    runtimeVersion: '10.0'
    appSettings: union(baseSettings, protectedGroupSettings, writeBackSettings, webhookUrlSetting)
    virtualNetworkSubnetId: virtualNetworkSubnetId
    logAnalyticsWorkspaceId: logAnalyticsWorkspaceId
  }
}

module auth '../core/host/app-service-auth.bicep' = {
  name: 'function-app-auth'
  params: {
    functionAppName: name
    clientId: apiAppClientId
  }
  dependsOn: [
    functionApp
  ]
}

output name string = functionApp.outputs.name
output defaultHostName string = functionApp.outputs.defaultHostName
