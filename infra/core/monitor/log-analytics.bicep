// Log Analytics workspace backing the workspace-based Application Insights component.
@description('Name of the Log Analytics workspace.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the workspace.')
param tags object = {}

@description('Days of retention.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionInDays
    features: {
      // Queries and ingestion only with Entra ID tokens: no workspace shared keys.
      disableLocalAuth: true
    }
  }
}

output id string = workspace.id
output name string = workspace.name
