// The function app's own storage: host state, the Durable Functions task hub (queues, tables,
// blobs) and the deployment package. Identity access only: shared keys are disabled.
param name string
param location string
param tags object

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Principal (object) id of the identity the host and the task hub run as.')
param principalId string

@description('Name of that identity: names its role assignments before the deployment runs.')
param identityName string

var builtInRoles = loadJsonContent('../builtin-roles.json')

// Blob Data Owner: host leases and the deployment package; queues and tables: the task hub.
var dataRoles = [
  {
    id: builtInRoles.storageBlobDataOwner
    purpose: 'Functions host blobs (leases, keys) and the deployment package.'
  }
  {
    id: builtInRoles.storageQueueDataContributor
    purpose: 'Durable Functions task hub control and work-item queues.'
  }
  {
    id: builtInRoles.storageTableDataContributor
    purpose: 'Durable Functions task hub history and instances tables.'
  }
]

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource deploymentContainer 'containers' = {
      name: deploymentContainerName
    }
  }
}

resource access 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in dataRoles: {
    name: guid(storage.id, identityName, role.id)
    scope: storage
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.id)
      description: role.purpose
    }
  }
]

output name string = storage.name
output deploymentContainerUrl string = '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
