// alert-capture: everything `azd up` creates. Subscription scope, because the app's custom roles
// and their assignments on other resource groups live outside its own resource group.
// Parameters fed from the azd environment are mapped in main.parameters.json; an empty value
// there means "use the default" (see docs/deploy.md).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name: names the resource group and seeds the unique resource names.')
param environmentName string

@minLength(1)
@description('Region of the function app and its resources (a region offering Flex Consumption).')
@metadata({ azd: { type: 'location' } })
param location string

@minLength(1)
@description('Comma-separated names of the resource groups (in this subscription) whose VMs may be captured. Becomes ALLOWED_SCOPES and the scopes of the VM role.')
param captureResourceGroups string

@description('Comma-separated names of resource groups (in this subscription) that hold the network interfaces of those VMs, when they are not in the VMs\' own resource group (a shared network resource group). The app may only read network interfaces there. Empty: none.')
param networkResourceGroups string = ''

@description('Region of the VMs to capture, where the capture storage account goes. Empty: location.')
param captureLocation string = ''

@description('Resource group of the Network Watchers. Empty: NetworkWatcherRG (the one Azure creates).')
param networkWatcherResourceGroupName string = ''

@description('true: install the Network Watcher agent extension on VMs that lack it (grants extension write). Empty: false.')
@allowed(['', 'true', 'false'])
param autoInstallAgent string = ''

@description('Durable Functions task hub name (DURABLE_TASK_HUB); DfMon attaches to it. Empty: alertcapture.')
@maxLength(50)
param durableTaskHubName string = ''

@description('Default capture duration in seconds (CAPTURE_TIME_LIMIT_SECONDS).')
@minValue(1)
@maxValue(18000)
param captureTimeLimitSeconds int = 300

@description('Bytes kept of each packet, 0 for whole packets (CAPTURE_BYTES_PER_PACKET).')
@minValue(0)
@maxValue(4294967295)
param captureBytesPerPacket int = 0

@description('A capture stops when its file reaches this size (CAPTURE_BYTES_PER_SESSION).')
@minValue(1)
@maxValue(4294967295)
param captureBytesPerSession int = 1073741824

@description('At most this many captures run at once per Network Watcher (CAPTURE_SESSION_LIMIT).')
@minValue(1)
@maxValue(10000)
param captureSessionLimit int = 100

@description('Days a capture file and its summary are kept in the capture storage account.')
@minValue(1)
@maxValue(3650)
param captureRetentionDays int = 30

@description('Days a deleted or overwritten capture file can still be restored (blob soft delete and versions).')
@minValue(1)
@maxValue(365)
param captureSoftDeleteDays int = 7

@description('Lifetime of the read-only download link in notifications (DOWNLOAD_LINK_TTL_MINUTES).')
@minValue(5)
@maxValue(10080)
param downloadLinkTtlMinutes int = 60

@description('What a Resolved alert does: ignore, or stop that VM\'s capture (RESOLVED_ALERT_ACTION). Empty: ignore.')
@allowed(['', 'ignore', 'stop'])
param resolvedAlertAction string = ''

@description('Secure webhook: Microsoft Entra tenant whose tokens are accepted. Empty: function key only. The alert wiring then deploys a webhook receiver with Entra auth.')
param secureWebhookTenantId string = ''

@description('Secure webhook: expected token audience (required with the tenant id).')
param secureWebhookAudience string = ''

@description('Secure webhook: app role the token must carry. Empty: no role check.')
param secureWebhookRole string = ''


@description('Generic JSON webhook for capture reports (kept in Key Vault).')
@secure()
param notifyWebhookUrl string = ''

@description('HMAC-SHA256 shared secret for the generic webhook (kept in Key Vault).')
@secure()
param notifyWebhookSecret string = ''

@description('Microsoft Teams Workflows webhook URL (kept in Key Vault).')
@secure()
param notifyTeamsUrl string = ''

@description('Slack incoming webhook URL (kept in Key Vault).')
@secure()
param notifySlackUrl string = ''

@description('Flex Consumption: most on-demand instances per function group (HTTP, Durable). 40 to 1000: the range every current Flex Consumption doc accepts.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Flex Consumption: instances of the Durable Functions group kept running, so a capture starts seconds after the alert instead of after a scale from zero.')
@minValue(1)
@maxValue(10)
param durableAlwaysReadyInstances int = 1

@description('Flex Consumption: instance memory size.')
@allowed([2048, 4096])
param instanceMemoryMB int = 2048

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var serviceName = 'api'
var identityName = 'id-${resourceToken}'
var functionAppName = 'func-${resourceToken}'
var appStorageName = 'st${resourceToken}'
var applicationInsightsName = 'appi-${resourceToken}'
var deploymentContainerName = 'app-package-${resourceToken}'
var effectiveCaptureLocation = empty(captureLocation) ? location : captureLocation
var effectiveNetworkWatcherResourceGroup = empty(networkWatcherResourceGroupName) ? 'NetworkWatcherRG' : networkWatcherResourceGroupName
var installAgent = autoInstallAgent == 'true'

func resourceGroupNames(list string) array => filter(map(split(list, ','), name => trim(name)), name => !empty(name))

var allowedResourceGroups = resourceGroupNames(captureResourceGroups)
// A network resource group that is also a capture resource group already has NIC read there.
var nicOnlyResourceGroups = filter(resourceGroupNames(networkResourceGroups), name => !contains(allowedResourceGroups, name))

func keyVaultReference(vaultName string, secretName string) string => '@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${secretName})'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: identityName
    location: location
    tags: tags
  }
}

module customRoles 'modules/custom-roles.bicep' = {
  name: 'custom-roles'
  params: {
    roleNameSuffix: '${environmentName}-${resourceToken}'
    autoInstallAgent: installAgent
  }
}

module vmAccess 'modules/resource-group-role.bicep' = [
  for rgName in allowedResourceGroups: {
    name: 'vm-access-${uniqueString(rgName)}'
    scope: resourceGroup(rgName)
    params: {
      principalId: identity.outputs.principalId
      identityName: identityName
      roleKey: 'vmAccess'
      roleDefinitionId: customRoles.outputs.roleIds.vmAccess
      purpose: 'alert-capture: read and capture the VMs of this resource group.'
    }
  }
]

module networkInterfaceReader 'modules/resource-group-role.bicep' = [
  for rgName in nicOnlyResourceGroups: {
    name: 'nic-reader-${uniqueString(rgName)}'
    scope: resourceGroup(rgName)
    params: {
      principalId: identity.outputs.principalId
      identityName: identityName
      roleKey: 'networkInterfaceReader'
      roleDefinitionId: customRoles.outputs.roleIds.networkInterfaceReader
      purpose: 'alert-capture: read the network interfaces of the VMs it captures.'
    }
  }
]

module networkWatcherOperator 'modules/resource-group-role.bicep' = {
  name: 'network-watcher-operator'
  scope: resourceGroup(effectiveNetworkWatcherResourceGroup)
  params: {
    principalId: identity.outputs.principalId
    identityName: identityName
    roleKey: 'networkWatcherOperator'
    roleDefinitionId: customRoles.outputs.roleIds.networkWatcherOperator
    purpose: 'alert-capture: create, follow, stop and delete packet captures.'
  }
}

resource subscriptionReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, environmentName, resourceToken, 'subscriptionReader')
  properties: {
    principalId: identity.outputs.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: customRoles.outputs.roleIds.subscriptionReader
    description: 'alert-capture: find the region\'s Network Watcher and poll its operations.'
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    identityName: identityName
  }
}

module appStorage 'modules/app-storage.bicep' = {
  name: 'app-storage'
  scope: rg
  params: {
    name: appStorageName
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    principalId: identity.outputs.principalId
    identityName: identityName
  }
}

module captureStorage 'modules/capture-storage.bicep' = {
  name: 'capture-storage'
  scope: rg
  params: {
    name: 'stcap${resourceToken}'
    location: effectiveCaptureLocation
    tags: tags
    retentionDays: captureRetentionDays
    softDeleteDays: captureSoftDeleteDays
    principalId: identity.outputs.principalId
    identityName: identityName
    captureStorageWriterRoleId: customRoles.outputs.roleIds.captureStorageWriter
  }
}

// The notification secrets that were given, by Key Vault secret name: only these get a secret and
// an app setting reference (an unresolvable reference would reach the app as text).
var notificationSecrets = filter(
  [
    { secret: 'notify-webhook-url', setting: 'NOTIFY_WEBHOOK_URL', given: !empty(notifyWebhookUrl) }
    { secret: 'notify-webhook-secret', setting: 'NOTIFY_WEBHOOK_SECRET', given: !empty(notifyWebhookSecret) }
    { secret: 'notify-teams-url', setting: 'NOTIFY_TEAMS_URL', given: !empty(notifyTeamsUrl) }
    { secret: 'notify-slack-url', setting: 'NOTIFY_SLACK_URL', given: !empty(notifySlackUrl) }
  ],
  entry => entry.given
)

module keyVault 'modules/key-vault.bicep' = {
  name: 'key-vault'
  scope: rg
  params: {
    name: 'kv-${resourceToken}'
    location: location
    tags: tags
    principalId: identity.outputs.principalId
    identityName: identityName
    secretNames: map(notificationSecrets, entry => entry.secret)
    secretValues: {
      'notify-webhook-url': notifyWebhookUrl
      'notify-webhook-secret': notifyWebhookSecret
      'notify-teams-url': notifyTeamsUrl
      'notify-slack-url': notifySlackUrl
    }
  }
}

// Every setting src/config.ts requires, and the optional ones this deployment decides.
var captureSettings = {
  CAPTURE_STORAGE_ACCOUNT_ID: captureStorage.outputs.id
  ALLOWED_SCOPES: join(map(allowedResourceGroups, name => '${subscription().id}/resourceGroups/${name}'), ',')
  CAPTURE_TIME_LIMIT_SECONDS: string(captureTimeLimitSeconds)
  CAPTURE_BYTES_PER_PACKET: string(captureBytesPerPacket)
  CAPTURE_BYTES_PER_SESSION: string(captureBytesPerSession)
  CAPTURE_SESSION_LIMIT: string(captureSessionLimit)
  AUTO_INSTALL_AGENT: installAgent ? 'true' : 'false'
  DOWNLOAD_LINK_TTL_MINUTES: string(downloadLinkTtlMinutes)
  RESOLVED_ALERT_ACTION: empty(resolvedAlertAction) ? 'ignore' : resolvedAlertAction
  DURABLE_TASK_HUB: empty(durableTaskHubName) ? 'alertcapture' : durableTaskHubName
  AZURE_CREDENTIAL_MODE: 'managedIdentity'
  MANAGED_IDENTITY_CLIENT_ID: identity.outputs.clientId
}

var secureWebhookSettings = union(
  empty(secureWebhookTenantId) ? {} : { SECURE_WEBHOOK_TENANT_ID: secureWebhookTenantId },
  empty(secureWebhookAudience) ? {} : { SECURE_WEBHOOK_AUDIENCE: secureWebhookAudience },
  empty(secureWebhookRole) ? {} : { SECURE_WEBHOOK_ROLE: secureWebhookRole }
)

var notificationSettings = toObject(
  notificationSecrets,
  entry => entry.setting,
  entry => keyVaultReference(keyVault.outputs.name, entry.secret)
)

module functionApp 'modules/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    planName: 'plan-${resourceToken}'
    location: location
    tags: tags
    serviceName: serviceName
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: appStorageName
    deploymentContainerUrl: appStorage.outputs.deploymentContainerUrl
    applicationInsightsConnectionString: monitoring.outputs.connectionString
    appSettings: union(captureSettings, secureWebhookSettings, notificationSettings)
    maximumInstanceCount: maximumInstanceCount
    durableAlwaysReadyInstances: durableAlwaysReadyInstances
    instanceMemoryMB: instanceMemoryMB
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output FUNCTION_APP_URL string = 'https://${functionApp.outputs.defaultHostName}'
output DURABLE_TASK_HUB string = captureSettings.DURABLE_TASK_HUB
output APP_STORAGE_ACCOUNT_NAME string = appStorage.outputs.name
output CAPTURE_STORAGE_ACCOUNT_ID string = captureStorage.outputs.id
output MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
