// The operators' picture: an Azure Monitor workbook on the app's Application Insights component, built from
// docs/queries.kql. Its JSON is revocations-workbook.json beside this file; the infra tests check that every metric,
// log EventId and dimension it queries is one the app emits, so a rename in the app cannot leave a panel blank.
@description('Azure region.')
param location string

@description('Tags applied to the workbook.')
param tags object = {}

@description('Application Insights component the workbook reads.')
param applicationInsightsName string

@description('Name shown in the portal.')
param displayName string = 'RevokeFunctions operations'

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  // A workbook's name must be a GUID; this one is stable per component, so every provision updates the same workbook.
  name: guid(appInsights.id, 'revocations-workbook')
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: displayName
    category: 'workbook'
    sourceId: appInsights.id
    serializedData: replace(loadTextContent('revocations-workbook.json'), '__APPLICATION_INSIGHTS_ID__', appInsights.id)
  }
}

output id string = workbook.id
