/** Where the Durable extension's public HTTP API lives below the host's origin. */
export const DURABLE_WEBHOOK_PATH = '/runtime/webhooks/durabletask';

/** The connection name the extension puts in its URLs when the app names none. */
export const DEFAULT_CONNECTION_NAME = 'Storage';

export interface WebhookAddress {
  /** `http://host:port` the URLs start with. */
  origin: string;
  taskHub: string;
  systemKey: string;
}

/** The query every webhook URL carries: task hub, connection and the extension's system key. */
export function webhookQuery(address: WebhookAddress): string {
  return (
    `taskHub=${encodeURIComponent(address.taskHub)}&connection=${DEFAULT_CONNECTION_NAME}` +
    `&code=${encodeURIComponent(address.systemKey)}`
  );
}

/**
 * The management URLs of one instance, as the extension builds them (`createCheckStatusResponse`,
 * `createHttpManagementPayload`). `instanceId` may be the INSTANCEID placeholder of the binding data.
 */
export function managementUrls(address: WebhookAddress, instanceId: string, encodeId = true) {
  const base = `${address.origin}${DURABLE_WEBHOOK_PATH}`;
  const instance = `${base}/instances/${encodeId ? encodeURIComponent(instanceId) : instanceId}`;
  const query = webhookQuery(address);
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

/** The body of the extension's 202 check-status answer (its link set has no rewind URL). */
export function checkStatusPayload(address: WebhookAddress, instanceId: string) {
  const { rewindPostUri: _rewind, ...links } = managementUrls(address, instanceId);
  return links;
}

/**
 * The `durableClient` input binding data the extension hands the worker: the SDK reads the task
 * hub name and the URL templates, and sends every client call to `rpcBaseUrl` when it is present.
 */
export function durableClientBindingData(address: WebhookAddress, rpcBaseUrl: string) {
  const base = `${address.origin}${DURABLE_WEBHOOK_PATH}`;
  const query = webhookQuery(address);
  return {
    taskHubName: address.taskHub,
    creationUrls: {
      createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri:
        `${base}/orchestrators/{functionName}[/{instanceId}]` +
        `?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: managementUrls(address, 'INSTANCEID', false),
    baseUrl: base,
    requiredQueryStringParameters: query,
    rpcBaseUrl,
  };
}
