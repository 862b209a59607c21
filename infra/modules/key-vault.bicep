// Holds the notification secrets (webhook URLs carry tokens). The app settings reference them
// (@Microsoft.KeyVault(...)), so their values never appear in the site configuration.
param name string
param location string
param tags object

@description('Principal (object) id of the identity that resolves the references.')
param principalId string

@description('Name of that identity: names its role assignment before the deployment runs.')
param identityName string

@description('Names of the secrets to store: the ones given a value.')
param secretNames string[]

@description('Secret name to value.')
@secure()
param secretValues object

var builtInRoles = loadJsonContent('../builtin-roles.json')

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    // A deleted vault (and its secrets) stays recoverable for the retention period, and no one can
    // purge it earlier. `azd down --purge` therefore cannot purge it; see docs/deploy.md.
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2026-05-15' = [
  for secretName in secretNames: {
    parent: vault
    name: secretName
    properties: {
      value: secretValues[secretName]
    }
  }
]

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identityName, builtInRoles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.keyVaultSecretsUser)
    description: 'Resolve the Key Vault references of the notification settings.'
  }
}

output name string = vault.name
