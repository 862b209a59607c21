// Holds the notification secrets (webhook URLs carry tokens). The app settings reference them
// (@Microsoft.KeyVault(...)), so their values never appear in the site configuration.
param name string
param location string
param tags object

@description('Principal (object) id of the identity that resolves the references.')
param principalId string

@description('Secret name to value; an empty value creates no secret.')
@secure()
param secrets object

var builtInRoles = loadJsonContent('../builtin-roles.json')

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for entry in items(secrets): if (!empty(entry.value)) {
    parent: vault
    name: entry.key
    properties: {
      value: entry.value
    }
  }
]

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, builtInRoles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.keyVaultSecretsUser)
    description: 'Resolve the Key Vault references of the notification settings.'
  }
}

output name string = vault.name
