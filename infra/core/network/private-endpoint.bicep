// One private endpoint for one sub-resource (blob, queue, table, namespace) of a resource, with the private DNS zone
// that makes the resource's usual host name resolve to the endpoint inside the virtual network. The zone name comes from
// the caller, built from this cloud's suffixes, so nothing here is specific to the public cloud.
@description('Name of the private endpoint.')
param name string

@description('Azure region.')
param location string

@description('Tags applied to the endpoint and the zone.')
param tags object = {}

@description('Resource ID of the resource the endpoint connects to.')
param targetResourceId string

@description('Sub-resource (group ID) of the connection: blob, queue, table or namespace.')
param groupId string

@description('Private DNS zone of that sub-resource, privatelink.<service host suffix>.')
param privateDnsZoneName string

@description('Resource ID of the virtual network the zone is linked to.')
param virtualNetworkId string

@description('Resource ID of the subnet the endpoint is placed in.')
param subnetId string

resource zone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: privateDnsZoneName
  location: 'global'
  tags: tags
}

resource link 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: zone
  name: '${name}-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: virtualNetworkId
    }
  }
}

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: targetResourceId
          groupIds: [
            groupId
          ]
        }
      }
    ]
  }
}

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      {
        name: groupId
        properties: {
          privateDnsZoneId: zone.id
        }
      }
    ]
  }
}
