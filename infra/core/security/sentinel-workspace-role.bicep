// One role assignment on one Log Analytics workspace (the Microsoft Sentinel workspace), for the app's identity,
// which lives in another resource group (and possibly another subscription): deploy this module at the workspace's
// resource group.
@description('Name of the Log Analytics workspace Microsoft Sentinel runs on; it is the scope of the assignment.')
param workspaceName string

@description('Name of the user-assigned managed identity that receives the role.')
param identityName string

@description('Subscription of the identity\'s resource group.')
param identitySubscriptionId string

@description('Resource group of the identity.')
param identityResourceGroupName string

@description('GUID of the built-in role definition.')
param roleDefinitionId string

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
  scope: resourceGroup(identitySubscriptionId, identityResourceGroupName)
}

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: workspaceName
}

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, identity.id, roleDefinitionId)
  scope: workspace
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionId)
  }
}
