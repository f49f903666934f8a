// Workspace-based Application Insights with local (instrumentation-key-only) authentication disabled: telemetry
// is accepted only with an Entra ID token, which the app gets from its managed identity
// (APPLICATIONINSIGHTS_AUTHENTICATION_STRING) after being granted Monitoring Metrics Publisher.
@description('Name of the Application Insights component.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the component.')
param tags object = {}

@description('Resource ID of the Log Analytics workspace that stores the telemetry.')
param logAnalyticsWorkspaceId string

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: name
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalyticsWorkspaceId
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: true
  }
}

// Only the name and ID leave this module; the function app module reads the connection string itself, so it never
// travels through deployment outputs.
output id string = appInsights.id
output name string = appInsights.name
