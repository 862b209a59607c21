// The account Network Watcher writes capture files into. Network Watcher uploads with a SAS, so
// shared-key access must stay enabled; it must be Standard and in the VMs' region.
param name string

@description('Region of the VMs to capture: Network Watcher requires the account in the same region.')
param location string

param tags object

@description('Capture files (and their JSON summaries) are deleted this many days after their last change.')
@minValue(1)
param retentionDays int

@description('Principal (object) id of the app identity.')
param principalId string

@description('Resource id of the custom role that lets Network Watcher write here for the app.')
param captureStorageWriterRoleId string

var builtInRoles = loadJsonContent('../builtin-roles.json')

// Network Watcher's fixed container when only storageId is given.
var captureContainerName = 'network-watcher-logs'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // The VM agent uploads from the VM's subnet: a firewall here must allow those subnets.
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }

  resource blobService 'blobServices' = {
    name: 'default'

    resource captureContainer 'containers' = {
      name: captureContainerName
    }
  }

  resource lifecycle 'managementPolicies' = {
    name: 'default'
    properties: {
      policy: {
        rules: [
          {
            name: 'delete-old-captures'
            enabled: true
            type: 'Lifecycle'
            definition: {
              filters: {
                blobTypes: ['blockBlob', 'appendBlob']
                prefixMatch: ['${captureContainerName}/']
              }
              actions: {
                baseBlob: {
                  delete: { daysAfterModificationGreaterThan: retentionDays }
                }
              }
            }
          }
        ]
      }
    }
  }
}

// Read the capture and write its summary sidecar: data access on the capture container only.
resource containerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::captureContainer.id, principalId, builtInRoles.storageBlobDataContributor)
  scope: storage::blobService::captureContainer
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDataContributor)
    description: 'Verify capture files and write their JSON summary next to them.'
  }
}

// A user delegation key is an account-level action: the container-scoped role above cannot grant it.
resource delegator 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, builtInRoles.storageBlobDelegator)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDelegator)
    description: 'Sign short-lived read-only download links (user delegation SAS).'
  }
}

resource networkWatcherWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, principalId, captureStorageWriterRoleId)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: captureStorageWriterRoleId
    description: 'Let Network Watcher upload capture files here on behalf of the app.'
  }
}

output id string = storage.id
output name string = storage.name
