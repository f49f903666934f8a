// One role assignment on one storage account (the resource, never its resource group or subscription).
@description('Name of the storage account that is the scope of the assignment.')
param storageAccountName string

@description('Name of the user-assigned managed identity (same resource group) that receives the role.')
param identityName string

@description('GUID of the built-in role definition.')
param roleDefinitionId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, roleDefinitionId)
  scope: storage
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
  }
}
