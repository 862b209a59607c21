import { describe, expect, it } from 'vitest';
import { captureInstanceId } from '../../src/alerts/instanceId';
import { AppError } from '../../src/errors/AppError';
import { parseArmResourceId } from '../../src/security/armResourceId';
import { listQueryFrom, matchesRunFilter } from '../../src/triggers/listQuery';

const SUB = '3f2c8a1e-5b7d-4c9e-a0f1-6d2b9e47c815';
const vmId = (group: string, name: string) =>
  `/subscriptions/${SUB}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`;
const runOf = (group: string, name: string) => {
  const parsed = parseArmResourceId(vmId(group, name));
  if (!parsed.ok) throw new TypeError(parsed.reason);
  return { name: 'captureOnAlert', instanceId: captureInstanceId(parsed.value) };
};
const query = (params: Record<string, string>) => listQueryFrom(new URLSearchParams(params));

describe('GET /api/captures query', () => {
  it('finds every VM of a name, in any group, and no VM whose name only starts alike', () => {
    const byName = query({ vm: 'VM-Web' });
    expect(matchesRunFilter(runOf('rg-web', 'vm-web'), byName)).toBe(true);
    expect(matchesRunFilter(runOf('rg-other', 'VM-WEB'), byName)).toBe(true);
    expect(matchesRunFilter(runOf('rg-web', 'vm-web-01'), byName)).toBe(false);
    expect(matchesRunFilter(runOf('rg-web', 'vm'), byName)).toBe(false);
  });

  it('finds exactly one VM by resource id, whatever its casing', () => {
    const byId = query({ vm: vmId('RG-WEB', 'vm-web').toLowerCase() });
    expect(matchesRunFilter(runOf('rg-web', 'vm-web'), byId)).toBe(true);
    expect(matchesRunFilter(runOf('rg-other', 'vm-web'), byId)).toBe(false);
  });

  it('lists only capture runs, never other orchestrations of the task hub', () => {
    const run = runOf('rg-web', 'vm-web');
    expect(matchesRunFilter({ ...run, name: 'someoneElsesOrchestration' }, query({}))).toBe(false);
  });

  it('reads statuses in any case, a creation time and a limit', () => {
    expect(query({ status: 'running, COMPLETED', since: '2025-06-03T02:00:00Z', limit: '7' })).toEqual({
      statuses: ['Running', 'Completed'],
      since: new Date('2025-06-03T02:00:00Z'),
      limit: 7,
    });
    expect(query({}).limit).toBe(50);
  });

  it.each([
    [{ vm: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st' }, 'vm'],
    [{ vm: `${vmId('rg', 'vm')}/../other` }, 'vm'],
    [{ vm: 'vm web' }, 'vm'],
    [{ status: 'Sleeping' }, 'status'],
    [{ since: 'yesterday' }, 'since'],
    [{ since: '2025-02-30' }, 'since'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ limit: '1e2' }, 'limit'],
  ])('refuses %j, naming the parameter', (params, field) => {
    expect(() => query(params)).toThrow(
      expect.objectContaining({ code: 'REQUEST_INVALID', details: { field } }) as AppError,
    );
  });
});
