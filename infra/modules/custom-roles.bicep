// The custom roles of the app's identity, one per scope they are assigned at, so that each scope
// gets only the actions it needs. The actions and the reason for each live in custom-roles.json.
targetScope = 'subscription'

@description('Makes the role names unique in the tenant (role names are tenant-wide).')
param roleNameSuffix string

@description('Whether the agent extension may be installed: adds the two actions marked "requires".')
param autoInstallAgent bool

var roles = loadJsonContent('../custom-roles.json')

// Drops the actions that only the auto-install setting needs when it is off.
func grantedActions(actions array, includeAutoInstall bool) array => map(filter(actions, entry => includeAutoInstall || !contains(entry, 'requires')), entry => entry.action)

resource vmAccess 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, roleNameSuffix, 'vmAccess')
  properties: {
    roleName: '${roles.vmAccess.roleName} (${roleNameSuffix})'
    description: roles.vmAccess.description
    type: 'customRole'
    permissions: [
      {
        actions: grantedActions(roles.vmAccess.actions, autoInstallAgent)
        notActions: []
      }
    ]
    assignableScopes: [subscription().id]
  }
}

resource networkWatcherOperator 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, roleNameSuffix, 'networkWatcherOperator')
  properties: {
    roleName: '${roles.networkWatcherOperator.roleName} (${roleNameSuffix})'
    description: roles.networkWatcherOperator.description
    type: 'customRole'
    permissions: [
      {
        actions: grantedActions(roles.networkWatcherOperator.actions, autoInstallAgent)
        notActions: []
      }
    ]
    assignableScopes: [subscription().id]
  }
}

resource subscriptionReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, roleNameSuffix, 'subscriptionReader')
  properties: {
    roleName: '${roles.subscriptionReader.roleName} (${roleNameSuffix})'
    description: roles.subscriptionReader.description
    type: 'customRole'
    permissions: [
      {
        actions: grantedActions(roles.subscriptionReader.actions, autoInstallAgent)
        notActions: []
      }
    ]
    assignableScopes: [subscription().id]
  }
}

resource captureStorageWriter 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, roleNameSuffix, 'captureStorageWriter')
  properties: {
    roleName: '${roles.captureStorageWriter.roleName} (${roleNameSuffix})'
    description: roles.captureStorageWriter.description
    type: 'customRole'
    permissions: [
      {
        actions: grantedActions(roles.captureStorageWriter.actions, autoInstallAgent)
        notActions: []
      }
    ]
    assignableScopes: [subscription().id]
  }
}

output vmAccessRoleId string = vmAccess.id
output networkWatcherOperatorRoleId string = networkWatcherOperator.id
output subscriptionReaderRoleId string = subscriptionReader.id
output captureStorageWriterRoleId string = captureStorageWriter.id
