// Every Azure RBAC role the app's managed identity holds, each scoped to the one resource it is for. Nothing is
// granted on the resource group or the subscription. (Microsoft Graph application permissions are not Azure RBAC:
// the postprovision hook grants those, see infra/scripts/grant-graph-permissions.sh.)
@description('Name of the app\'s user-assigned managed identity.')
param identityName string

@description('Storage account: Functions host storage, deployment package and ledger table.')
param storageAccountName string

@description('Service Bus namespace holding the revocation queue.')
param serviceBusNamespaceName string

@description('The revocation queue.')
param queueName string

@description('Application Insights component the app sends telemetry to.')
param applicationInsightsName string

// Built-in role definition IDs (the same in every tenant and cloud).
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// Storage Blob Data Owner: the Functions host keeps its locks, keys and lease blobs in AzureWebJobsStorage (it
// creates its own containers, hence Owner rather than Contributor), and Flex Consumption reads the deployment
// package from the blob container as this identity.
//
// Deliberately NOT granted: Storage Queue Data Contributor. The host touches storage queues only for queue
// triggers, blob triggers (poison queue) and Durable Functions; this app has an HTTP trigger and a Service Bus
// trigger, and Flex Consumption's scale controller needs no storage queue either.
module storageBlobDataOwner '../core/security/storage-account-role.bicep' = {
  name: 'role-storage-blob-data-owner'
  params: {
    storageAccountName: storageAccountName
    identityName: identityName
    roleDefinitionId: roles.storageBlobDataOwner
  }
}

// Storage Table Data Contributor: the audit ledger (read, insert and update entities of the revocations table).
module storageTableDataContributor '../core/security/storage-account-role.bicep' = {
  name: 'role-storage-table-data-contributor'
  params: {
    storageAccountName: storageAccountName
    identityName: identityName
    roleDefinitionId: roles.storageTableDataContributor
  }
}

// Azure Service Bus Data Receiver on the queue: the Service Bus trigger (receive, complete, dead-letter).
module serviceBusDataReceiver '../core/security/service-bus-queue-role.bicep' = {
  name: 'role-servicebus-data-receiver'
  params: {
    namespaceName: serviceBusNamespaceName
    queueName: queueName
    identityName: identityName
    roleDefinitionId: roles.serviceBusDataReceiver
  }
}

// Azure Service Bus Data Sender on the queue: the HTTP trigger enqueues accepted requests.
module serviceBusDataSender '../core/security/service-bus-queue-role.bicep' = {
  name: 'role-servicebus-data-sender'
  params: {
    namespaceName: serviceBusNamespaceName
    queueName: queueName
    identityName: identityName
    roleDefinitionId: roles.serviceBusDataSender
  }
}

// Azure Service Bus Data Owner on the queue, for the scale controller. Flex Consumption scales the Service Bus trigger
// on the queue's message count, which it reads with the trigger's connection (this identity); Service Bus answers
// that read (the entity's runtime properties) only to a principal holding the Manage right, and Data Owner is the
// one built-in role that carries Manage. Without it target-based scaling falls back and the backlog drains slower.
// Microsoft's Service Bus quickstart for Flex grants the same role; here it is scoped to the queue alone, not the
// namespace. Receiver and Sender above stay, so that what the app itself does is still spelt out.
module serviceBusDataOwner '../core/security/service-bus-queue-role.bicep' = {
  name: 'role-servicebus-data-owner'
  params: {
    namespaceName: serviceBusNamespaceName
    queueName: queueName
    identityName: identityName
    roleDefinitionId: roles.serviceBusDataOwner
  }
}

// Monitoring Metrics Publisher on the component: required to ingest telemetry once local auth is disabled.
module monitoringMetricsPublisher '../core/security/application-insights-role.bicep' = {
  name: 'role-monitoring-metrics-publisher'
  params: {
    applicationInsightsName: applicationInsightsName
    identityName: identityName
    roleDefinitionId: roles.monitoringMetricsPublisher
  }
}
