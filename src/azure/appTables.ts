import type { TableClient } from '@azure/data-tables';
import { getConfig, type Config } from '../config';
import { AppError } from '../errors/AppError';
import { createCredential } from './credential';
import { tablesSdk } from './lazySdk';

/** The app's own tables (beside the task hub's), named after the task hub so that hubs stay apart. */
export type AppTableName = 'CaptureSlots';

const clients = new WeakMap<Config, Map<string, TableClient>>();

/**
 * A table in the app's own storage account, the one the Functions host keeps the task hub in: the
 * app's identity already holds Storage Table Data Contributor there (infra/modules/app-storage.bicep).
 * It is reached as the host reaches it: `AzureWebJobsStorage` (a connection string: Azurite offline),
 * else `AzureWebJobsStorage__tableServiceUri` or `__accountName` with the managed identity.
 */
export function appTable(
  name: AppTableName,
  config: Config = getConfig(),
  env: Record<string, string | undefined> = process.env,
): TableClient {
  let cache = clients.get(config);
  if (!cache) clients.set(config, (cache = new Map()));
  const tableName = `${config.DURABLE_TASK_HUB}${name}`;
  let client = cache.get(tableName);
  if (!client) {
    client = createTableClient(tableName, config, env);
    cache.set(tableName, client);
  }
  return client;
}

function createTableClient(
  tableName: string,
  config: Config,
  env: Record<string, string | undefined>,
): TableClient {
  const { TableClient } = tablesSdk();
  const retryOptions = { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 4_000 };
  const connection = env.AzureWebJobsStorage?.trim();
  if (connection) {
    return TableClient.fromConnectionString(connection, tableName, {
      retryOptions,
      // Azurite serves plain http on the loopback interface; nothing else may.
      allowInsecureConnection:
        /TableEndpoint=http:\/\/(127\.0\.0\.1|localhost)[:/]/i.test(connection) ||
        /UseDevelopmentStorage=true/i.test(connection),
    });
  }
  const account = env.AzureWebJobsStorage__accountName?.trim();
  const endpoint =
    env.AzureWebJobsStorage__tableServiceUri?.trim() ||
    (account ? `https://${account}.table.core.windows.net` : undefined);
  if (!endpoint) {
    throw new AppError(
      'CONFIG_INVALID',
      'The app keeps its session slot leases in the Functions host storage, but neither AzureWebJobsStorage nor ' +
        'AzureWebJobsStorage__accountName (or __tableServiceUri) is set.',
      { details: { settings: ['AzureWebJobsStorage', 'AzureWebJobsStorage__accountName'] } },
    );
  }
  const hostClientId = env.AzureWebJobsStorage__clientId?.trim();
  const identity = hostClientId ? { ...config, MANAGED_IDENTITY_CLIENT_ID: hostClientId } : config;
  return new TableClient(endpoint, tableName, createCredential(identity), { retryOptions });
}
