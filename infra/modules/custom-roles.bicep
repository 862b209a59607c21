// The custom roles of the app's identity, one per scope they are assigned at, so that each scope
// gets only the actions it needs. The actions and the reason for each live in custom-roles.json.
targetScope = 'subscription'

@description('Makes the role names unique in the tenant (role names are tenant-wide).')
param roleNameSuffix string

@description('Whether the agent extension may be installed: adds the actions marked "requires".')
param autoInstallAgent bool

var roles = items(loadJsonContent('../custom-roles.json'))

// Drops the actions that only the auto-install setting needs when it is off.
func grantedActions(actions array, includeAutoInstall bool) array => map(filter(actions, entry => includeAutoInstall || !contains(entry, 'requires')), entry => entry.action)

func roleDefinitionName(suffix string, key string) string => guid(subscription().id, suffix, key)

resource definitions 'Microsoft.Authorization/roleDefinitions@2022-04-01' = [
  for role in roles: {
    name: roleDefinitionName(roleNameSuffix, role.key)
    properties: {
      roleName: '${role.value.roleName} (${roleNameSuffix})'
      description: role.value.description
      type: 'customRole'
      permissions: [
        {
          actions: grantedActions(role.value.actions, autoInstallAgent)
          notActions: []
        }
      ]
      assignableScopes: [subscription().id]
    }
  }
]

// The ids are known before the roles exist; reading this output still waits for the module, so
// no assignment is attempted before its role definition is there.
@description('Role definition resource id by the role\'s key in custom-roles.json.')
output roleIds { *: string } = toObject(
  roles,
  role => role.key,
  role => subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleDefinitionName(roleNameSuffix, role.key))
)
