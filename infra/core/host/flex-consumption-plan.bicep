// App Service plan of the Flex Consumption kind (FC1). Flex Consumption is Linux only and allows one app per plan.
@description('Name of the plan.')
param name string

@description('Azure region (must offer Flex Consumption).')
param location string

@description('Tags applied to the plan.')
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

output id string = plan.id
output name string = plan.name
