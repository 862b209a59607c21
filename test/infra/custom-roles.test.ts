import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, loadBicep, params, type BicepFile } from './bicep-text';

interface RoleAction {
  action: string;
  why: string;
  requires?: string;
}
interface CustomRole {
  roleName: string;
  description: string;
  assignedAt: string;
  actions: RoleAction[];
}

const roles = JSON.parse(readFileSync(path.join(INFRA_DIR, 'custom-roles.json'), 'utf8')) as Record<
  string,
  CustomRole
>;
const deployDoc = readFileSync(path.resolve(INFRA_DIR, '../docs/deploy.md'), 'utf8');
const definitions = loadBicep('modules/custom-roles.bicep');
const main = loadBicep('main.bicep');
const captureStorage = loadBicep('modules/capture-storage.bicep');

/** Network Watcher's documented permissions for packet capture (required-rbac-permissions). */
const PACKET_CAPTURE_ACTIONS = [
  'Microsoft.Network/networkWatchers/packetCaptures/queryStatus/action',
  'Microsoft.Network/networkWatchers/packetCaptures/stop/action',
  'Microsoft.Network/networkWatchers/packetCaptures/read',
  'Microsoft.Network/networkWatchers/packetCaptures/write',
  'Microsoft.Network/networkWatchers/packetCaptures/delete',
  'Microsoft.Network/networkWatchers/packetCaptures/queryStatus/read',
];
/** Documented for writing captures to a storage account, and for the target VM and its agent. */
const STORAGE_ACTIONS = [
  'Microsoft.Storage/storageAccounts/read',
  'Microsoft.Storage/storageAccounts/listServiceSas/action',
  'Microsoft.Storage/storageAccounts/listAccountSas/action',
  'Microsoft.Storage/storageAccounts/listKeys/action',
];
const VM_ACTIONS = [
  'Microsoft.Compute/virtualMachines/read',
  'Microsoft.Compute/virtualMachines/write',
  'Microsoft.Compute/virtualMachines/extensions/read',
  'Microsoft.Compute/virtualMachines/extensions/write',
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const actionsOf = (key: string) => (roles[key] as CustomRole).actions.map((a) => a.action);
const changes = (key: string) => actionsOf(key).filter((a) => !a.endsWith('/read'));

/** The module or resource declaration of `file` whose text contains `needle`. */
function declarationUsing(file: BicepFile, needle: string): string {
  const at = file.code.indexOf(needle);
  expect(at, needle).toBeGreaterThan(-1);
  const start = [...file.code.slice(0, at).matchAll(/\n(module|resource) /g)].at(-1)?.index ?? 0;
  const next = file.code.slice(at).search(/\n(module|resource|output|var|func) /);
  return file.text.slice(start, next === -1 ? undefined : at + next);
}

describe('custom roles (infra/custom-roles.json)', () => {
  it('defines the four roles custom-roles.bicep creates', () => {
    expect(Object.keys(roles).sort()).toEqual(
      ['captureStorageWriter', 'networkWatcherOperator', 'subscriptionReader', 'vmAccess'].sort(),
    );
    for (const key of Object.keys(roles)) {
      expect(definitions.code).toMatch(new RegExp(`roleName: '\\$\\{roles\\.${key}\\.roleName\\}`));
      expect(definitions.code).toMatch(new RegExp(`grantedActions\\(roles\\.${key}\\.actions,`));
      expect(definitions.code).toMatch(new RegExp(`^output ${key}RoleId string = ${key}\\.id$`, 'm'));
    }
  });

  it('lists exact actions, each once, each with a reason', () => {
    for (const [key, role] of Object.entries(roles)) {
      expect(role.roleName.length, key).toBeGreaterThan(10);
      const names = role.actions.map((a) => a.action);
      expect(new Set(names).size, key).toBe(names.length);
      for (const { action, why } of role.actions) {
        expect(action).toMatch(/^Microsoft\.(Compute|Network|Storage)\/[A-Za-z]+(\/[A-Za-z]+)+$/);
        expect(why.length, action).toBeGreaterThan(30);
      }
    }
  });

  it('grants what Network Watcher documents for packet capture, on its resource group only', () => {
    expect(actionsOf('networkWatcherOperator')).toEqual(expect.arrayContaining(PACKET_CAPTURE_ACTIONS));
    expect(changes('networkWatcherOperator').sort()).toEqual(
      PACKET_CAPTURE_ACTIONS.filter((a) => !a.endsWith('/read')).sort(),
    );
    expect(actionsOf('vmAccess')).toEqual(expect.arrayContaining(VM_ACTIONS));
    expect(changes('vmAccess').sort()).toEqual(VM_ACTIONS.filter((a) => a.endsWith('/write')).sort());
  });

  it('keeps storage key and SAS actions to the capture storage role', () => {
    expect(actionsOf('captureStorageWriter').sort()).toEqual([...STORAGE_ACTIONS].sort());
    for (const key of Object.keys(roles).filter((k) => k !== 'captureStorageWriter')) {
      expect(
        actionsOf(key).filter((a) => a.startsWith('Microsoft.Storage/')),
        key,
      ).toEqual([]);
    }
  });

  it('gives the subscription-wide role nothing but reads', () => {
    expect(changes('subscriptionReader')).toEqual([]);
  });

  it('grants the agent install actions only with autoInstallAgent', () => {
    const conditional = Object.values(roles).flatMap((r) => r.actions.filter((a) => a.requires));
    expect(conditional.map((a) => a.action).sort()).toEqual([
      'Microsoft.Compute/locations/operations/read',
      'Microsoft.Compute/virtualMachines/extensions/write',
    ]);
    for (const a of conditional) expect(a.requires).toBe('autoInstallAgent');
    expect(params(definitions).map((p) => p.name)).toContain('autoInstallAgent');
    expect(definitions.code).toMatch(/grantedActions\(roles\.\w+\.actions, autoInstallAgent\)/);
    expect(definitions.text).toMatch(/includeAutoInstall \|\| !contains\(entry, 'requires'\)/);
  });

  describe('assignments', () => {
    it('assigns VM access on each allowed resource group', () => {
      const body = declarationUsing(main, 'customRoles.outputs.vmAccessRoleId');
      expect(body).toMatch(/for rgName in allowedResourceGroups:/);
      expect(body).toMatch(/scope: resourceGroup\(rgName\)/);
    });

    it('assigns the Network Watcher operator on the Network Watcher resource group', () => {
      const body = declarationUsing(main, 'customRoles.outputs.networkWatcherOperatorRoleId');
      expect(body).toMatch(/scope: resourceGroup\(effectiveNetworkWatcherResourceGroup\)/);
      expect(main.text).toMatch(/\? 'NetworkWatcherRG'/);
    });

    it('assigns the reader on the subscription', () => {
      const body = declarationUsing(main, 'customRoles.outputs.subscriptionReaderRoleId');
      expect(body).toMatch(/^\s*resource \w+ 'Microsoft\.Authorization\/roleAssignments@/);
      expect(body).not.toMatch(/\bscope:/);
    });

    it('assigns the storage writer on the capture storage account alone', () => {
      expect(declarationUsing(main, 'customRoles.outputs.captureStorageWriterRoleId')).toMatch(
        /module captureStorage 'modules\/capture-storage\.bicep'/,
      );
      const body = declarationUsing(captureStorage, 'roleDefinitionId: captureStorageWriterRoleId');
      expect(body).toMatch(/scope: storage\n/);
    });
  });

  it('are documented in docs/deploy.md, action by action', () => {
    for (const role of Object.values(roles)) {
      expect(deployDoc).toContain(role.roleName);
      for (const { action, why } of role.actions) {
        const row = new RegExp(
          `\\|\\s*${escapeRegExp(`\`${action}\``)}\\s*\\|\\s*${escapeRegExp(why)}\\s*\\|`,
        );
        expect(deployDoc).toMatch(row);
      }
    }
  });
});
