// The alert wiring, deployed by the postdeploy hook (`npm run alert:wire`) into the app's resource
// group, after the code: the action group calls POST /api/alerts with the `alerts` function's own
// key, and that key exists only once the host has loaded the function (the host's keys API answers
// 404 for a function it does not know). Provisioning alone can therefore never build this URL.
// An example "Network Out Total" metric alert on one VM uses the action group.
targetScope = 'resourceGroup'

@minLength(1)
@description('azd environment name (AZURE_ENV_NAME): tags the resources like the rest of the environment.')
param environmentName string

@description('Name of the deployed function app (the azd output AZURE_FUNCTION_APP_NAME).')
param functionAppName string

@description('Name of the HTTP function behind POST /api/alerts: the action group gets this function\'s key.')
param alertFunctionName string = 'alerts'

@description('Resource id of the VM the example alert watches (it must be in an allowed resource group).')
param targetVmId string

@description('Bytes sent by the VM in 5 minutes above which the example alert fires.')
@minValue(1)
param thresholdBytes int = 500000000

@description('Name of the action group.')
@minLength(1)
param actionGroupName string

@description('Secure webhook: Microsoft Entra tenant of the app registration. Empty: plain webhook with the function key only.')
param secureWebhookTenantId string = ''

@description('Secure webhook: Application ID URI of the app registration (the token audience, SECURE_WEBHOOK_AUDIENCE).')
param secureWebhookAudience string = ''

@description('Secure webhook: object id of the app registration that carries the ActionGroupsSecureWebhook app role.')
param secureWebhookAppObjectId string = ''

var tags = { 'azd-env-name': environmentName }
var secureWebhook = !empty(secureWebhookTenantId)
var targetVmName = last(split(targetVmId, '/'))

resource site 'Microsoft.Web/sites@2025-03-01' existing = {
  name: functionAppName

  resource alertFunction 'functions' existing = {
    name: alertFunctionName
  }
}

// Function-level key of the alerts function: it opens that one route, never the operator routes
// (a host key would open every authLevel function route). Read at deployment time inside ARM.
var alertUrl = 'https://${site.properties.defaultHostName}/api/alerts?code=${site::alertFunction.listKeys().default}'

// Only a webhook receiver carries Microsoft Entra auth (useAadAuth, objectId, identifierUri,
// tenantId); the Azure Function receiver has no such option. With secure webhook on, the app
// demands the token, so the webhook receiver is the only one that can work.
var receiver = {
  name: 'alert-capture'
  serviceUri: alertUrl
  useCommonAlertSchema: true
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'alertcap'
    enabled: true
    webhookReceivers: [
      secureWebhook
        ? union(receiver, {
            useAadAuth: true
            tenantId: secureWebhookTenantId
            objectId: secureWebhookAppObjectId
            identifierUri: secureWebhookAudience
          })
        : union(receiver, { useAadAuth: false })
    ]
  }
}

resource networkOutAlert 'Microsoft.Insights/metricAlerts@2026-01-01' = {
  name: 'network-out-${targetVmName}'
  location: 'global'
  tags: tags
  properties: {
    description: 'Network Out Total of ${targetVmName} above ${thresholdBytes} bytes in 5 minutes: capture its traffic.'
    severity: 2
    enabled: true
    scopes: [targetVmId]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    // Sends Resolved too; RESOLVED_ALERT_ACTION decides whether that stops the capture early.
    autoMitigate: true
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'NetworkOutTotal'
          metricNamespace: 'Microsoft.Compute/virtualMachines'
          metricName: 'Network Out Total'
          operator: 'GreaterThan'
          threshold: thresholdBytes
          timeAggregation: 'Total'
        }
      ]
    }
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

output actionGroupId string = actionGroup.id
output alertId string = networkOutAlert.id
