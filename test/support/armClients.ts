import { Agent } from 'node:https';
import { ComputeManagementClient } from '@azure/arm-compute';
import { NetworkManagementClient } from '@azure/arm-network';

/** Any bearer token will do for the emulator; the real SDK still sends it through its auth policy. */
export const staticCredential: ConstructorParameters<typeof NetworkManagementClient>[0] = {
  getToken: async () => ({ token: 'emulator-test-token', expiresOnTimestamp: Date.now() + 3600_000 }),
};

export interface ArmClientTarget {
  emulatorUrl: string;
  certPem: string;
}

/** Client options that send to the emulator and trust its certificate only (no global TLS change). */
function clientOptions(target: ArmClientTarget) {
  return {
    endpoint: target.emulatorUrl,
    agent: new Agent({ ca: target.certPem, keepAlive: true }),
    retryOptions: { retryDelayInMs: 20, maxRetryDelayInMs: 200, maxRetries: 3 },
  };
}

export function networkClient(target: ArmClientTarget, subscriptionId: string): NetworkManagementClient {
  return new NetworkManagementClient(staticCredential, subscriptionId, clientOptions(target));
}

export function computeClient(target: ArmClientTarget, subscriptionId: string): ComputeManagementClient {
  return new ComputeManagementClient(staticCredential, subscriptionId, clientOptions(target));
}
