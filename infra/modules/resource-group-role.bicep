// Assigns one role to the app's identity on the resource group this module is deployed to.
targetScope = 'resourceGroup'

@description('Principal (object) id of the user-assigned identity.')
param principalId string

@description('Name of the user-assigned identity: with roleKey, names the assignment before the deployment runs.')
param identityName string

@description('Which of the app\'s roles this is (a key of custom-roles.json).')
param roleKey string

@description('Resource id of the role definition to assign.')
param roleDefinitionId string

@description('Shown on the assignment in the portal: why the app holds this role here.')
param purpose string

resource assignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(resourceGroup().id, identityName, roleKey)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: roleDefinitionId
    description: purpose
  }
}
