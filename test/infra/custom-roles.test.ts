import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { INFRA_DIR, ofType, snapshot, type ArmResource, type Snapshot } from './compiled';

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
const builtInRoles = JSON.parse(readFileSync(path.join(INFRA_DIR, 'builtin-roles.json'), 'utf8')) as Record<
  string,
  string
>;
const deployDoc = readFileSync(path.resolve(INFRA_DIR, '../docs/deploy.md'), 'utf8');
const defaults = snapshot('main-defaults');
const everything = snapshot('main-everything');

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
/** Built-in role definition ids as published in the Azure RBAC built-in roles reference. */
const DOCUMENTED_BUILT_IN_ROLES: Record<string, string> = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const actionsOf = (key: string) => (roles[key] as CustomRole).actions.map((a) => a.action);
const changes = (key: string) => actionsOf(key).filter((a) => !a.endsWith('/read'));

interface Deployed {
  definition: ArmResource;
  actions: string[];
  /** Scopes of the role's assignments: the part of the assignment id before /providers/Microsoft.Authorization. */
  scopes: string[];
}

/** The role definition deployed for `key` (matched by name) and where it is assigned. */
function deployed(from: Snapshot, key: string): Deployed {
  const definition = ofType(from, 'Microsoft.Authorization/roleDefinitions').find((d) =>
    String((d.properties as { roleName: string }).roleName).startsWith(
      `${(roles[key] as CustomRole).roleName} (`,
    ),
  );
  if (!definition) throw new Error(`no role definition for ${key}`);
  const permissions = (definition.properties as { permissions: { actions: string[] }[] }).permissions;
  const scopes = ofType(from, 'Microsoft.Authorization/roleAssignments')
    .filter((a) => (a.properties as { roleDefinitionId: string }).roleDefinitionId === definition.id)
    .map((a) =>
      (a.id as string).replace(/\/providers\/Microsoft\.Authorization\/roleAssignments\/[^/]+$/, ''),
    );
  return { definition, actions: permissions.flatMap((p) => p.actions), scopes };
}

const SUB = '/subscriptions/00000000-0000-0000-0000-0000000000aa';

describe('custom roles (infra/custom-roles.json, as deployed)', () => {
  it('are each deployed once, with exactly the listed actions (the install actions only with autoInstallAgent)', () => {
    expect(ofType(everything, 'Microsoft.Authorization/roleDefinitions')).toHaveLength(
      Object.keys(roles).length,
    );
    for (const [key, role] of Object.entries(roles)) {
      const withoutInstall = role.actions.filter((a) => !a.requires).map((a) => a.action);
      expect(deployed(defaults, key).actions, key).toEqual(withoutInstall);
      expect(deployed(everything, key).actions, key).toEqual(role.actions.map((a) => a.action));
      expect(deployed(everything, key).definition.properties).toMatchObject({
        type: 'customRole',
        assignableScopes: [SUB],
      });
    }
  });

  it('lists exact actions, each once, each with a reason', () => {
    for (const [key, role] of Object.entries(roles)) {
      const names = role.actions.map((a) => a.action);
      expect(new Set(names).size, key).toBe(names.length);
      for (const { action, why } of role.actions) {
        expect(action).toMatch(/^Microsoft\.(Compute|Network|Storage)\/[A-Za-z]+(\/[A-Za-z]+)+$/);
        expect(why.length, action).toBeGreaterThan(30);
      }
    }
  });

  it('grants what Network Watcher documents for packet capture, and agent install only on request', () => {
    expect(actionsOf('networkWatcherOperator')).toEqual(expect.arrayContaining(PACKET_CAPTURE_ACTIONS));
    expect(changes('networkWatcherOperator').sort()).toEqual(
      PACKET_CAPTURE_ACTIONS.filter((a) => !a.endsWith('/read')).sort(),
    );
    expect(actionsOf('vmAccess')).toEqual(expect.arrayContaining(VM_ACTIONS));
    expect(changes('vmAccess').sort()).toEqual(VM_ACTIONS.filter((a) => a.endsWith('/write')).sort());
    const conditional = Object.values(roles).flatMap((r) => r.actions.filter((a) => a.requires));
    expect(conditional.map((a) => [a.action, a.requires]).sort()).toEqual([
      ['Microsoft.Compute/locations/operations/read', 'autoInstallAgent'],
      ['Microsoft.Compute/virtualMachines/extensions/write', 'autoInstallAgent'],
    ]);
  });

  it('keep storage key and SAS actions to the capture storage role, and give the wide roles only reads', () => {
    expect(actionsOf('captureStorageWriter').sort()).toEqual([...STORAGE_ACTIONS].sort());
    for (const key of Object.keys(roles).filter((k) => k !== 'captureStorageWriter')) {
      expect(
        actionsOf(key).filter((a) => a.startsWith('Microsoft.Storage/')),
        key,
      ).toEqual([]);
    }
    expect(changes('subscriptionReader')).toEqual([]);
    expect(actionsOf('networkInterfaceReader')).toEqual(['Microsoft.Network/networkInterfaces/read']);
  });

  describe('assignments', () => {
    it('VM access on each capture resource group', () => {
      expect(deployed(everything, 'vmAccess').scopes.sort()).toEqual([
        `${SUB}/resourceGroups/rg-db`,
        `${SUB}/resourceGroups/rg-web`,
      ]);
    });

    it('network interface reads on each network resource group that is not a capture one, and nowhere by default', () => {
      expect(deployed(everything, 'networkInterfaceReader').scopes).toEqual([`${SUB}/resourceGroups/rg-net`]);
      expect(deployed(defaults, 'networkInterfaceReader').scopes).toEqual([]);
    });

    it('the Network Watcher operator on the Network Watcher resource group', () => {
      expect(deployed(defaults, 'networkWatcherOperator').scopes).toEqual([
        `${SUB}/resourceGroups/NetworkWatcherRG`,
      ]);
    });

    it('the reader on the subscription', () => {
      expect(deployed(defaults, 'subscriptionReader').scopes).toEqual([SUB]);
    });

    it('the storage writer on the capture storage account alone', () => {
      expect(deployed(defaults, 'captureStorageWriter').scopes).toEqual([
        expect.stringMatching(
          /\/resourceGroups\/rg-ci\/providers\/Microsoft\.Storage\/storageAccounts\/stcap[a-z0-9]+$/,
        ),
      ]);
    });

    it('every assignment goes to the app identity as a service principal, with a purpose', () => {
      const assignments = ofType(everything, 'Microsoft.Authorization/roleAssignments');
      expect(assignments.length).toBeGreaterThan(10);
      for (const a of assignments) {
        expect(a.properties).toMatchObject({
          principalType: 'ServicePrincipal',
          principalId: expect.stringMatching(
            /userAssignedIdentities\/id-[a-z0-9]+', '[\d-]+'\)\.principalId\]$/,
          ),
          description: expect.stringMatching(/.{20,}/),
        });
      }
    });
  });

  it('use only documented built-in role definition ids, under their documented names', () => {
    for (const [name, id] of Object.entries(builtInRoles))
      expect(DOCUMENTED_BUILT_IN_ROLES[name], name).toBe(id);
    const custom = new Set(ofType(everything, 'Microsoft.Authorization/roleDefinitions').map((d) => d.id));
    const builtIn = ofType(everything, 'Microsoft.Authorization/roleAssignments')
      .map((a) => (a.properties as { roleDefinitionId: string }).roleDefinitionId)
      .filter((id) => !custom.has(id));
    expect(builtIn.length).toBeGreaterThan(5);
    for (const id of builtIn) {
      expect(Object.values(DOCUMENTED_BUILT_IN_ROLES)).toContain(id.split('/').at(-1));
    }
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
