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

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    // Standard: queues with duplicate detection and dead-lettering; Basic lacks duplicate detection.
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
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

output id string = namespace.id
output name string = namespace.name
output queueName string = queue.name
// serviceBusEndpoint is https://<namespace>.<Service Bus suffix of this cloud>:443/ ; the app wants the bare host.
// Taking it from the resource avoids hard-coding the public cloud's suffix.
output fullyQualifiedNamespace string = split(split(namespace.properties.serviceBusEndpoint, '/')[2], ':')[0]
