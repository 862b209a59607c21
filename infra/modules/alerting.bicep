// An example alert wired to the app: a static "Network Out Total" metric alert on one VM whose
// action group calls the app's alert webhook with the common alert schema.
param tags object

@description('Name of the deployed function app.')
param functionAppName string

@description('Name of the HTTP function behind POST /api/alerts.')
param alertFunctionName string

@description('Resource id of the VM the example alert watches (it must be in an allowed resource group).')
param targetVmId string

@description('Bytes sent by the VM in 5 minutes above which the alert fires.')
@minValue(1)
param thresholdBytes int

param actionGroupName string

var targetVmName = last(split(targetVmId, '/'))

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'Global'
  tags: tags
  properties: {
    groupShortName: 'alertcap'
    enabled: true
    azureFunctionReceivers: [
      {
        name: 'alert-capture'
        functionAppResourceId: site.id
        functionName: alertFunctionName
        // The webhook is authLevel function: the action stores the URL with the host's default key,
        // as the portal does. Rotating that key means deploying this module again.
        httpTriggerUrl: 'https://${site.properties.defaultHostName}/api/alerts?code=${listKeys('${site.id}/host/default', '2024-04-01').functionKeys.default}'
        useCommonAlertSchema: true
      }
    ]
  }
}

resource networkOutAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
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
