// One role assignment on one Service Bus queue (the entity, not even the whole namespace).
@description('Name of the Service Bus namespace.')
param namespaceName string

@description('Name of the queue that is the scope of the assignment.')
param queueName string

@description('Name of the user-assigned managed identity (same resource group) that receives the role.')
param identityName string

@description('GUID of the built-in role definition.')
param roleDefinitionId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: namespaceName

  resource queue 'queues' existing = {
    name: queueName
  }
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(namespace::queue.id, identity.id, roleDefinitionId)
  scope: namespace::queue
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
  }
}
