import { afterEach, describe, expect, it } from 'vitest';
import { RetriableActivityError, activityErrorCode } from '../../src/activities/activityResult';
import { resolveTarget } from '../../src/activities/resolveTarget';
import { resetConfig } from '../../src/config';
import { useOfflineStack } from '../support/stack';
import { invocation } from './support/invocation';

const stack = useOfflineStack({ label: 'resolve-target' });

async function resolve(vmId: string, extra: Record<string, unknown> = {}) {
  return resolveTarget({ instanceId: 'run-1', vmId, ...extra }, invocation().context);
}

function withSetting(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
  resetConfig();
}

afterEach(async () => {
  withSetting('AUTO_INSTALL_AGENT', undefined);
  withSetting('NETWORK_WATCHER_ID', undefined);
  await stack.admin.clearFaults();
  await stack.admin.clearRequests();
});

describe('resolveTarget', () => {
  it('restores the casing of a lower-cased VM id and finds its region, IPs, watcher and agent', async () => {
    const vmId = stack.vmId('vm-web-01');
    const result = await resolve(vmId.toLowerCase());
    expect(result).toEqual({
      ok: true,
      value: {
        vm: {
          id: vmId,
          name: 'vm-web-01',
          resourceGroup: 'rg-web',
          subscriptionId: stack.subscriptionId,
          location: 'westeurope',
          powerState: 'running',
          osType: 'Linux',
          privateIpAddresses: ['10.1.0.4'],
          vmUniqueId: 'b8e0f3a2-7c41-4d6e-9a15-2f8c6d0e4b71',
        },
        networkWatcher: {
          id: stack.watcherId('westeurope'),
          name: 'NetworkWatcher_westeurope',
          resourceGroup: 'NetworkWatcherRG',
          subscriptionId: stack.subscriptionId,
          location: 'westeurope',
        },
        agent: expect.objectContaining({ state: 'present', type: 'NetworkWatcherAgentLinux' }),
      },
    });
  });

  it('finds the watcher of another region (and a Windows agent)', async () => {
    const result = await resolve(stack.vmId('vm-jump-01'));
    expect(result.ok && result.value.networkWatcher.id).toBe(stack.watcherId('eastus'));
    expect(result.ok && result.value.vm.osType).toBe('Windows');
  });

  it('reports a missing VM as permanent VM_NOT_FOUND', async () => {
    const missing = stack.vmId('vm-web-01').replace('vm-web-01', 'vm-gone');
    const result = await resolve(missing);
    expect(result).toMatchObject({ ok: false, error: { code: 'VM_NOT_FOUND' } });
    expect(!result.ok && result.error.message).toContain(missing);
  });

  it('refuses a deallocated VM with VM_NOT_RUNNING', async () => {
    const result = await resolve(stack.vmId('vm-batch-01'));
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'VM_NOT_RUNNING', details: { powerState: 'deallocated' } },
    });
  });

  it('names both fixes when the agent extension is missing and auto-install is off', async () => {
    const result = await resolve(stack.vmId('vm-db-01'));
    expect(result).toMatchObject({ ok: false, error: { code: 'AGENT_EXTENSION_MISSING' } });
    const message = !result.ok ? result.error.message : '';
    expect(message).toContain('vm-db-01');
    expect(message).toContain('AzureNetworkWatcherExtension');
    expect(message).toContain('AUTO_INSTALL_AGENT=true');
  });

  it('installs the missing agent when AUTO_INSTALL_AGENT is on, and finds it installed the next time', async () => {
    const [vm] = await stack.admin.upsertVms([
      {
        name: 'vm-fresh-01',
        resourceGroup: 'rg-web',
        location: 'westeurope',
        privateIps: ['10.1.0.9'],
        agentInstalled: false,
      },
    ]);
    withSetting('AUTO_INSTALL_AGENT', 'true');
    const first = await resolve(vm!.id);
    expect(first).toMatchObject({
      ok: true,
      value: { agent: { state: 'installed', name: 'AzureNetworkWatcherExtension' } },
    });
    const again = await resolve(vm!.id);
    expect(again).toMatchObject({ ok: true, value: { agent: { state: 'present' } } });
  });

  it('uses a pinned watcher, and refuses one of another region', async () => {
    withSetting('NETWORK_WATCHER_ID', stack.watcherId('westeurope'));
    expect(await resolve(stack.vmId('vm-web-01'))).toMatchObject({ ok: true });
    const result = await resolve(stack.vmId('vm-jump-01'));
    expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK_WATCHER_NOT_FOUND' } });
    expect(!result.ok && result.error.message).toMatch(/westeurope.*eastus/);
  });

  it('reports a region without a watcher', async () => {
    const [vm] = await stack.admin.upsertVms([
      { name: 'vm-north-01', resourceGroup: 'rg-web', location: 'northeurope', privateIps: ['10.3.0.4'] },
    ]);
    const result = await resolve(vm!.id);
    expect(result).toMatchObject({ ok: false, error: { code: 'NETWORK_WATCHER_NOT_FOUND' } });
    expect(!result.ok && result.error.message).toContain('Enable Network Watcher');
  });

  it('refuses an input that is not a VM id, without retrying', async () => {
    const result = await resolve(
      '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/networkWatchers/nw',
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'ACTIVITY_INPUT_INVALID' } });
  });

  it('honours a short 429 Retry-After inside the call and succeeds', async () => {
    await stack.admin.addFaults({
      http: [{ route: 'vm', kind: 'throttle', times: 1, retryAfterSeconds: 1 }],
    });
    const started = Date.now();
    const result = await resolve(stack.vmId('vm-web-01'));
    expect(result.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    const { counts } = await stack.admin.requests();
    expect(counts.vm).toMatchObject({ requests: 2, faults: 1, byStatus: { '429': 1, '200': 1 } });
  });

  it('hands a long Retry-After back to the orchestrator as a retriable ARM_THROTTLED at once', async () => {
    await stack.admin.addFaults({ http: [{ route: 'vm', kind: 'throttle', retryAfterSeconds: 120 }] });
    const started = Date.now();
    const error = await resolve(stack.vmId('vm-web-01')).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(error).toBeInstanceOf(RetriableActivityError);
    expect((error as RetriableActivityError).message).toMatch(/^\[ARM_THROTTLED\] .*retry after 120 s/);
    expect((error as RetriableActivityError).details).toMatchObject({ status: 429, retryAfterMs: 120_000 });
    expect(activityErrorCode(error)).toBe('ARM_THROTTLED');
  });

  it('retries a passing 503 inside the call', async () => {
    await stack.admin.addFaults({
      http: [{ route: 'extensions', kind: 'unavailable', times: 1, retryAfterSeconds: 0 }],
    });
    expect(await resolve(stack.vmId('vm-web-01'))).toMatchObject({ ok: true });
    const { counts } = await stack.admin.requests();
    expect(counts.extensions).toMatchObject({ faults: 1 });
  });

  it('throws a retriable ARM_UNAVAILABLE when 500s persist past the SDK retries', async () => {
    await stack.admin.addFaults({ http: [{ route: 'watchers', kind: 'serverError' }] });
    const error = await resolve(stack.vmId('vm-web-01')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriableActivityError);
    expect((error as Error).message).toMatch(
      /^\[ARM_UNAVAILABLE\] Azure failed to list the Network Watchers .*\(500/,
    );
    const { counts } = await stack.admin.requests();
    expect(counts.watchers?.requests).toBe(4);
  });
});
