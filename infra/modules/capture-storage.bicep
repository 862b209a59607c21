// The account Network Watcher writes capture files into, kept as evidence: nothing here can be read
// anonymously, and a capture file cannot be silently overwritten or deleted (versions and soft
// delete keep the previous content for softDeleteDays). Standard, in the VMs' region.
param name string

@description('Region of the VMs to capture: Network Watcher requires the account in the same region.')
param location string

param tags object

@description('Capture files (and their JSON summaries) are deleted this many days after their last change.')
@minValue(1)
param retentionDays int

@description('Days a deleted blob, an overwritten version or a deleted container can still be restored.')
@minValue(1)
@maxValue(365)
param softDeleteDays int

@description('Principal (object) id of the app identity.')
param principalId string

@description('Name of that identity: names its role assignments before the deployment runs.')
param identityName string

@description('Resource id of the custom role that lets Network Watcher write here for the app.')
param captureStorageWriterRoleId string

var builtInRoles = loadJsonContent('../builtin-roles.json')

// Network Watcher's fixed container when only storageId is given.
var captureContainerName = 'network-watcher-logs'

resource storage 'Microsoft.Storage/storageAccounts@2026-09-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    // Shared key stays on for this account only: Network Watcher uploads the capture file with a
    // SAS it derives from the account's keys (with key access off, a capture can only be saved on
    // the VM's own disk). The app itself reads with its identity and signs download links with a
    // user delegation key; the keys are reachable only through the capture storage writer role.
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
    properties: {
      isVersioningEnabled: true
      deleteRetentionPolicy: {
        enabled: true
        days: softDeleteDays
      }
      containerDeleteRetentionPolicy: {
        enabled: true
        days: softDeleteDays
      }
    }

    resource captureContainer 'containers' = {
      name: captureContainerName
      properties: {
        publicAccess: 'None'
      }
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
              // Versions age out with the file, or they would keep every capture forever.
              actions: {
                baseBlob: {
                  delete: { daysAfterModificationGreaterThan: retentionDays }
                }
                version: {
                  delete: { daysAfterCreationGreaterThan: retentionDays }
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
  name: guid(storage::blobService::captureContainer.id, identityName, builtInRoles.storageBlobDataContributor)
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
  name: guid(storage.id, identityName, builtInRoles.storageBlobDelegator)
  scope: storage
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.storageBlobDelegator)
    description: 'Sign short-lived read-only download links (user delegation SAS).'
  }
}

resource networkWatcherWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identityName, 'captureStorageWriter')
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
