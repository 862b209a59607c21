// Log Analytics + workspace-based Application Insights. Local (key) auth is off: the app sends
// telemetry with its managed identity, which holds Monitoring Metrics Publisher here.
param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object

@description('Principal (object) id of the identity allowed to publish telemetry.')
param principalId string

@description('Name of that identity: names its role assignment before the deployment runs.')
param identityName string

var builtInRoles = loadJsonContent('../builtin-roles.json')

resource workspace 'Microsoft.OperationalInsights/workspaces@2026-03-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: applicationInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource publisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, identityName, builtInRoles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', builtInRoles.monitoringMetricsPublisher)
    description: 'Send telemetry with Microsoft Entra ID auth (local auth is disabled).'
  }
}

// Not a secret: with local auth off, ingestion needs a Microsoft Entra token besides it.
output connectionString string = applicationInsights.properties.ConnectionString
