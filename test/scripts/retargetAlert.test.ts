import { describe, expect, it } from 'vitest';
import { readAlertPayload } from '../../scripts/alert/localDefaults';
import { retargetAlert } from '../../scripts/alert/retarget';
import { interpretAlert } from '../../src/alerts/interpretAlert';

const SUB = '3f2c8a1e-5b7d-4c9e-a0f1-6d2b9e47c815';
const VM = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm-app-7`;
const STORAGE = `/subscriptions/${SUB}/resourceGroups/rg-capture/providers/Microsoft.Storage/storageAccounts/devstoreaccount1`;
const SETTINGS = { ALLOWED_SCOPES: [`/subscriptions/${SUB}`], CAPTURE_STORAGE_ACCOUNT_ID: STORAGE };

describe('npm run alert: retargeting a sample', () => {
  it.each([
    'network-out-fired',
    'log-search-dns',
    'metric-alert-v2',
    'activity-log-resource-health',
    'classic-metric',
    'direct-request',
  ])('aims %s at the VM, so that the webhook captures that VM', (sample) => {
    const payload = retargetAlert(readAlertPayload(sample).payload, { vmId: VM, storageAccountId: STORAGE });
    const decision = interpretAlert(payload, SETTINGS);
    expect(decision).toMatchObject({
      kind: 'capture',
      request: { vmId: expect.stringMatching(/vm-app-7$/) },
    });
    expect(JSON.stringify(payload)).not.toContain('00000000-0000-0000-0000-000000000000');
  });

  it('keeps lower-cased ids lower-cased, as Azure sends alert targets', () => {
    const payload = retargetAlert(readAlertPayload('network-out-fired').payload, { vmId: VM }) as {
      data: { essentials: { alertTargetIDs: string[] } };
    };
    expect(payload.data.essentials.alertTargetIDs).toEqual([VM.toLowerCase()]);
  });

  it('refuses a target that is not a virtual machine', () => {
    expect(() => retargetAlert({}, { vmId: STORAGE })).toThrow(TypeError);
  });
});
