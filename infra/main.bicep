// RevokeFunctions infrastructure (azd, `infra.provider: bicep`). Subscription scope: creates rg-<environmentName>
// and everything in it, following the layout of the Azure-Samples functions-quickstart-dotnet-azd template but
// with every resource written out here (no registry modules: `bicep build` must work offline).
//
// Microsoft Graph application permissions (User.RevokeSessions.All, User.Read.All, GroupMember.Read.All) are not
// granted here: the azd postprovision hook does it (see azure.yaml for why).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names the resource group rg-<environmentName> and seeds resource names.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('''Application (client) ID of the Entra app registration that App Service Authentication validates
tokens for (audience api://<clientId>; app roles Revocations.Submit and Revocations.Protected). Optional at first
provision, but until it is set the function app answers every request with 401.''')
param apiAppClientId string = ''

@description('Object IDs of the Entra groups whose members count as protected.')
param protectedGroupIds array = []

@description('Storm guard: automated sources may revoke at most this many distinct users per window; further automated targets are refused for review.')
@minValue(1)
param stormGuardMaxUsers int = 25

@description('Dry run: every check runs, no session is revoked.')
param dryRun bool = false

@description('''Resource ID of the Log Analytics workspace Microsoft Sentinel runs on
(/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>). When set, the app's
identity gets Microsoft Sentinel Responder on that workspace and comments on the incidents it acts on
(WriteBack__SentinelComments). Empty (the default): no role, no comments.''')
param sentinelWorkspaceId string = ''

@description('Comment on the Defender XDR alerts the app acts on (WriteBack__DefenderComments). The postprovision hook grants SecurityAlert.ReadWrite.All only when this is on (azd env WRITEBACK_DEFENDER_COMMENTS=true).')
param defenderComments bool = false

@description('Mailbox (UPN) the manager emails are sent from; empty (the default) sends none. Exchange Online must limit the app to this mailbox: see the README.')
param managerEmailSender string = ''

@description('''Key Vault URI of the chat webhook's URL (https://<vault>.vault.azure.net/secrets/<name>), set as a Key Vault
reference; the identity needs Key Vault Secrets User on it. Empty (the default): no webhook.''')
param notificationWebhookKeyVaultUri string = ''

@description('''Put the function app in a virtual network and reach Storage and Service Bus only through private endpoints
(their public network access off). Service Bus then runs on the Premium tier, the only one with private endpoints, and
the ledger, the queue and the dead letters are reachable only from inside the network: see docs/deploy.md.''')
param vnetEnabled bool = false

// Microsoft Graph has no entry in environment() (its graph/graphAudience entries are the retired Azure AD Graph),
// so the public-cloud endpoint is the default and national clouds pass their own Graph host here. This is the one
// deliberate exception to no-hardcoded-env-urls (bicepconfig.json adds graph.microsoft.com to its hosts).
@description('Microsoft Graph base URL, version segment included.')
#disable-next-line no-hardcoded-env-urls
param graphBaseUrl string = 'https://graph.microsoft.com/v1.0'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}
// Names are computed here, not read back from module outputs, so that What-If can predict every resource.
var functionAppName = 'func-api-${resourceToken}'
var identityName = 'id-api-${resourceToken}'
var storageAccountName = 'st${resourceToken}'
var serviceBusNamespaceName = 'sb-${resourceToken}'
var appInsightsName = 'appi-${resourceToken}'
var queueName = 'revocations'
var ledgerTableName = 'revocations'
var deploymentContainerName = 'app-package-${take(functionAppName, 32)}'
// /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.OperationalInsights/workspaces/<name>. ARM evaluates a
// skipped module's scope too, so without a workspace the segments are those of a stand-in ID, never an empty split.
var sentinelWorkspace = split(
  empty(sentinelWorkspaceId)
    ? '/subscriptions/${subscription().subscriptionId}/resourceGroups/rg-${environmentName}/providers/Microsoft.OperationalInsights/workspaces/none'
    : sentinelWorkspaceId,
  '/'
)
var microsoftSentinelResponder = '3e150937-b8fe-4cfb-8069-0eaf05ecd056'
var vnetName = 'vnet-${resourceToken}'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    ledgerTableName: ledgerTableName
    privateOnly: vnetEnabled
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module serviceBus 'core/messaging/service-bus.bicep' = {
  name: 'service-bus'
  scope: rg
  params: {
    name: serviceBusNamespaceName
    location: location
    tags: tags
    queueName: queueName
    privateOnly: vnetEnabled
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

module network 'core/network/virtual-network.bicep' = if (vnetEnabled) {
  name: 'network'
  scope: rg
  params: {
    name: vnetName
    location: location
    tags: tags
  }
}

// Private endpoints for the storage services the app uses (host storage and deployment package, the ledger and the
// storm guard) and for the Service Bus namespace. DNS zone names are built from this cloud's suffixes.
var storagePrivateEndpoints = [
  'blob'
  'queue'
  'table'
]

module storagePrivateEndpoint 'core/network/private-endpoint.bicep' = [
  for service in storagePrivateEndpoints: if (vnetEnabled) {
    name: 'pe-storage-${service}'
    scope: rg
    params: {
      name: 'pe-${storageAccountName}-${service}'
      location: location
      tags: tags
      targetResourceId: storage.outputs.id
      groupId: service
      privateDnsZoneName: 'privatelink.${service}.${environment().suffixes.storage}'
      virtualNetworkId: network.?outputs.id ?? ''
      subnetId: network.?outputs.privateEndpointSubnetId ?? ''
    }
  }
]

module serviceBusPrivateEndpoint 'core/network/private-endpoint.bicep' = if (vnetEnabled) {
  name: 'pe-servicebus'
  scope: rg
  params: {
    name: 'pe-${serviceBusNamespaceName}'
    location: location
    tags: tags
    targetResourceId: serviceBus.outputs.id
    groupId: 'namespace'
    // privatelink.<the namespace's host suffix>: servicebus.windows.net in the public cloud, its own elsewhere.
    // environment() has no Service Bus suffix, so it is read from the namespace; What-If then cannot predict the zone's
    // name, a fair price for not hard-coding one cloud's host name.
    #disable-next-line what-if-short-circuiting
    privateDnsZoneName: 'privatelink.${join(skip(split(serviceBus.outputs.fullyQualifiedNamespace, '.'), 1), '.')}'
    virtualNetworkId: network.?outputs.id ?? ''
    subnetId: network.?outputs.privateEndpointSubnetId ?? ''
  }
}

module logAnalytics 'core/monitor/log-analytics.bicep' = {
  name: 'log-analytics'
  scope: rg
  params: {
    name: 'log-${resourceToken}'
    location: location
    tags: tags
  }
}

module appInsights 'core/monitor/application-insights.bicep' = {
  name: 'application-insights'
  scope: rg
  params: {
    name: appInsightsName
    location: location
    tags: tags
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
}

// The operators' workbook, beside Application Insights (infra/core/monitor/revocations-workbook.json).
module workbook 'core/monitor/workbook.bicep' = {
  name: 'workbook'
  scope: rg
  params: {
    location: location
    tags: tags
    applicationInsightsName: appInsightsName
  }
  dependsOn: [
    appInsights
  ]
}

module plan 'core/host/flex-consumption-plan.bicep' = {
  name: 'plan'
  scope: rg
  params: {
    name: 'plan-${resourceToken}'
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    identityName: identityName
    storageAccountName: storageAccountName
    serviceBusNamespaceName: serviceBusNamespaceName
    queueName: queueName
    applicationInsightsName: appInsightsName
  }
  dependsOn: [
    identity
    storage
    serviceBus
    appInsights
  ]
}

// Microsoft Sentinel Responder on the Sentinel workspace (read incidents, write their comments), only when one is named.
module sentinelResponder 'core/security/sentinel-workspace-role.bicep' = if (!empty(sentinelWorkspaceId)) {
  name: 'role-sentinel-responder'
  scope: resourceGroup(sentinelWorkspace[2], sentinelWorkspace[4])
  params: {
    workspaceName: last(sentinelWorkspace)
    identityName: identityName
    identitySubscriptionId: subscription().subscriptionId
    identityResourceGroupName: rg.name
    roleDefinitionId: microsoftSentinelResponder
  }
  dependsOn: [
    identity
  ]
}

module api 'app/api.bicep' = {
  name: 'api'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    planId: plan.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storageAccountName
    deploymentContainerName: storage.outputs.deploymentContainerName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    queueName: queueName
    ledgerServiceUri: storage.outputs.tableEndpoint
    ledgerTableName: ledgerTableName
    applicationInsightsName: appInsightsName
    protectedGroupIds: protectedGroupIds
    stormGuardMaxUsers: stormGuardMaxUsers
    dryRun: dryRun
    graphBaseUrl: graphBaseUrl
    apiAppClientId: apiAppClientId
    sentinelComments: !empty(sentinelWorkspaceId)
    defenderComments: defenderComments
    managerEmailSender: managerEmailSender
    notificationWebhookKeyVaultUri: notificationWebhookKeyVaultUri
    virtualNetworkSubnetId: vnetEnabled ? network.?outputs.appSubnetId ?? '' : ''
    logAnalyticsWorkspaceId: logAnalytics.outputs.id
  }
  // The host should not start before its identity can reach storage, Service Bus and Application Insights (and, in
  // the virtual network, before the private endpoints resolve).
  dependsOn: [
    rbac
    appInsights
    storagePrivateEndpoint
    serviceBusPrivateEndpoint
  ]
}

// Names, IDs and endpoints only: nothing here is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = api.outputs.name
output SERVICE_API_NAME string = api.outputs.name
output AZURE_FUNCTION_APP_HOSTNAME string = api.outputs.defaultHostName
output AZURE_MANAGED_IDENTITY_NAME string = identity.outputs.name
output AZURE_MANAGED_IDENTITY_PRINCIPAL_ID string = identity.outputs.principalId
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output SERVICEBUS_NAMESPACE string = serviceBus.outputs.name
output SERVICEBUS_FULLY_QUALIFIED_NAMESPACE string = serviceBus.outputs.fullyQualifiedNamespace
output REVOCATION_QUEUE_NAME string = serviceBus.outputs.queueName
output LEDGER_TABLE_ENDPOINT string = storage.outputs.tableEndpoint
output LEDGER_TABLE_NAME string = storage.outputs.ledgerTableName
output APPLICATIONINSIGHTS_NAME string = appInsights.outputs.name
output API_APP_CLIENT_ID string = apiAppClientId
output AZURE_WORKBOOK_ID string = workbook.outputs.id
