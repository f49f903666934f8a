// Service Bus namespace and the revocation queue. Local (SAS) authentication is disabled: senders and the queue
// trigger authenticate with Entra ID only.
@description('Name of the Service Bus namespace.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the namespace.')
param tags object = {}

@description('Name of the queue that feeds the revocation function.')
param queueName string

@description('''Reachable only through a private endpoint (the virtual network option): public network access off, and the
Premium tier, the only one that offers private endpoints.''')
param privateOnly bool = false

@description('Log Analytics workspace that receives the namespace\'s logs and metrics.')
param logAnalyticsWorkspaceId string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  // Standard: queues with duplicate detection and dead-lettering; Basic lacks duplicate detection. Premium only when
  // the namespace must be private: Service Bus offers private endpoints on Premium alone (one messaging unit).
  sku: privateOnly
    ? {
        name: 'Premium'
        tier: 'Premium'
        capacity: 1
      }
    : {
        name: 'Standard'
        tier: 'Standard'
      }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: privateOnly ? 'Disabled' : 'Enabled'
  }
}

resource queue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: namespace
  name: queueName
  properties: {
    // One attempt may spend up to a couple of minutes in Graph retries (429/5xx with Retry-After): the lock must
    // outlast it, or the message is redelivered while the first attempt is still running.
    lockDuration: 'PT2M'
    maxDeliveryCount: 10
    defaultMessageTimeToLive: 'P14D'
    deadLetteringOnMessageExpiration: true
    // A submitter that retries a send with the same MessageId within an hour is not revoked twice.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT1H'
    requiresSession: false
    enablePartitioning: false
    maxSizeInMegabytes: 1024
  }
}

// Operational and runtime logs (entity changes, failed authorisations, dead-lettering) and the namespace's metrics
// (active and dead-lettered message counts, throttled requests) into the workspace.
resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: namespace
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

output id string = namespace.id
output name string = namespace.name
output queueName string = queue.name
// serviceBusEndpoint is https://<namespace>.<Service Bus suffix of this cloud>:443/ ; the app wants the bare host.
// Taking it from the resource avoids hard-coding the public cloud's suffix.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
