import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import type { ComputeManagementClient } from '@azure/arm-compute';
import type { NetworkManagementClient } from '@azure/arm-network';
import type { TokenCredential } from '@azure/identity';
import type { BlobServiceClient } from '@azure/storage-blob';
import { getConfig, type Config } from '../config';
import { createCredential } from './credential';
import { computeSdk, networkSdk, storageSdk } from './lazySdk';
import { appTable } from './appTables';
import { noteLostPut } from './captureSlots';
import {
  boundedRetryAfterPolicy,
  lostCapturePutPolicy,
  requestTimeoutPolicy,
  type AdditionalPolicy,
} from './pipelinePolicies';

/** How the SDK pipelines retry inside one activity; longer waits go back to the orchestrator. */
export const ARM_PIPELINE_LIMITS = {
  maxRetries: 3,
  retryDelayMs: 500,
  maxRetryDelayMs: 8_000,
  /** A `Retry-After` longer than this is not slept on inside the activity. */
  maxRetryAfterWaitMs: 10_000,
  requestTimeoutMs: 30_000,
} as const;

export interface ArmClients {
  network: NetworkManagementClient;
  compute: ComputeManagementClient;
}

interface ClientCache {
  credential?: TokenCredential;
  arm: Map<string, ArmClients>;
  blob: Map<string, BlobServiceClient>;
}

// Keyed by the parsed settings object, so a test or dev host that reloads settings gets new clients.
let caches = new WeakMap<Config, ClientCache>();

function cacheFor(config: Config): ClientCache {
  let cache = caches.get(config);
  if (!cache) {
    cache = { arm: new Map(), blob: new Map() };
    caches.set(config, cache);
  }
  return cache;
}

function credentialFor(config: Config): TokenCredential {
  const cache = cacheFor(config);
  cache.credential ??= createCredential(config);
  return cache.credential;
}

/**
 * The ARM clients for one subscription, built on first use (the SDKs load lazily to keep cold
 * start small) and reused by every later activity in this worker.
 */
export function getArmClients(subscriptionId: string, config: Config = getConfig()): ArmClients {
  const cache = cacheFor(config);
  const key = subscriptionId.toLowerCase();
  let clients = cache.arm.get(key);
  if (!clients) {
    const credential = credentialFor(config);
    const options = armClientOptions(config);
    const { NetworkManagementClient } = networkSdk();
    const { ComputeManagementClient } = computeSdk();
    clients = {
      network: new NetworkManagementClient(credential, subscriptionId, options),
      compute: new ComputeManagementClient(credential, subscriptionId, options),
    };
    cache.arm.set(key, clients);
  }
  return clients;
}

function armClientOptions(config: Config) {
  const additionalPolicies: AdditionalPolicy[] = [
    { policy: requestTimeoutPolicy(ARM_PIPELINE_LIMITS.requestTimeoutMs), position: 'perRetry' },
    { policy: boundedRetryAfterPolicy(ARM_PIPELINE_LIMITS.maxRetryAfterWaitMs), position: 'perRetry' },
    {
      policy: lostCapturePutPolicy((watcherId, name) =>
        noteLostPut(appTable('CaptureSlots', config), watcherId, name),
      ),
      position: 'perRetry',
    },
  ];
  return {
    endpoint: config.ARM_ENDPOINT,
    // Tokens are always for ARM's audience, also when the endpoint is the emulator.
    credentials: { scopes: ['https://management.azure.com/.default'] },
    retryOptions: {
      maxRetries: ARM_PIPELINE_LIMITS.maxRetries,
      retryDelayInMs: ARM_PIPELINE_LIMITS.retryDelayMs,
      maxRetryDelayInMs: ARM_PIPELINE_LIMITS.maxRetryDelayMs,
    },
    additionalPolicies,
    agent: emulatorAgent(config),
    userAgentOptions: { userAgentPrefix: 'alert-capture' },
  };
}

/**
 * Trusts the emulator's self-signed certificate for ARM calls only, and only in emulator mode:
 * certificate verification stays on everywhere else.
 */
function emulatorAgent(config: Config): Agent | undefined {
  if (config.AZURE_CREDENTIAL_MODE !== 'emulator' || !config.EMULATOR_CA_CERT) return undefined;
  return new Agent({ ca: readFileSync(config.EMULATOR_CA_CERT), keepAlive: true });
}

const STORAGE_RETRY = { maxTries: 3, retryDelayInMs: 500, maxRetryDelayInMs: 5_000 };

/**
 * The blob service of the capture storage account: Azurite's connection string offline, the
 * managed identity in Azure (`blobEndpoint` is the account's origin as Network Watcher reported
 * it, so sovereign clouds work unchanged).
 */
export function getBlobServiceClient(blobEndpoint: string, config: Config = getConfig()): BlobServiceClient {
  const cache = cacheFor(config);
  const connection = config.CAPTURE_STORAGE_CONNECTION;
  const key = connection ? '(connection string)' : blobEndpoint.toLowerCase();
  let client = cache.blob.get(key);
  if (!client) {
    const { BlobServiceClient } = storageSdk();
    client = connection
      ? BlobServiceClient.fromConnectionString(connection, { retryOptions: STORAGE_RETRY })
      : new BlobServiceClient(blobEndpoint, credentialFor(config), { retryOptions: STORAGE_RETRY });
    cache.blob.set(key, client);
  }
  return client;
}

/** Forgets every client (tests that switch endpoints). */
export function resetAzureClients(): void {
  caches = new WeakMap();
}
