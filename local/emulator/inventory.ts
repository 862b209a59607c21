import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { z } from 'zod';
import { ArmError, resourceNotFound } from './armError';
import {
  nicResourceId,
  parseVmId,
  storageAccountResourceId,
  vmResourceId,
  watcherResourceId,
} from './resourceIds';
import type { CaptureFormat, PowerState, VmSpec } from './types';

const guid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a GUID');
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.()-]{0,79}$/, 'must be an Azure resource name');
const region = z.string().regex(/^[a-z0-9]+$/, 'must be a region name such as westeurope');
const powerState = z.enum(['running', 'starting', 'stopping', 'stopped', 'deallocating', 'deallocated']);
const captureFormat = z.enum(['pcap', 'pcapng']);

const vmSchema = z.object({
  name,
  location: region.optional(),
  os: z.enum(['Linux', 'Windows']).default('Linux'),
  powerState: powerState.default('running'),
  vmId: guid,
  privateIps: z.array(z.string().refine((ip) => isIP(ip) !== 0, 'must be an IP address')).min(1),
  agentInstalled: z.boolean().default(true),
  size: z.string().default('Standard_D2s_v5'),
  packetsPerSecond: z.number().positive().max(100_000).optional(),
  captureFormat: captureFormat.optional(),
  /** The NIC's resource group when it is not the VM's own (a shared network group). */
  nicResourceGroup: name.optional(),
});

/** A VM added or changed at run time: unset fields keep their value (or the inventory default). */
const vmSpecSchema = z.object({
  name,
  resourceGroup: name,
  subscriptionId: guid.optional(),
  location: region,
  os: z.enum(['Linux', 'Windows']).optional(),
  powerState: powerState.optional(),
  vmId: guid.optional(),
  privateIps: vmSchema.shape.privateIps,
  agentInstalled: z.boolean().optional(),
  size: z.string().optional(),
  packetsPerSecond: vmSchema.shape.packetsPerSecond,
  captureFormat: captureFormat.optional(),
  nicResourceGroup: name.optional(),
});

const inventorySchema = z.object({
  subscriptions: z
    .array(
      z.object({
        subscriptionId: guid,
        displayName: z.string().min(1),
        networkWatchers: z.array(z.object({ name, resourceGroup: name, location: region })).default([]),
        storageAccounts: z
          .array(
            z.object({ name: z.string().regex(/^[a-z0-9]{3,24}$/), resourceGroup: name, location: region }),
          )
          .default([]),
        resourceGroups: z
          .array(z.object({ name, location: region, virtualMachines: z.array(vmSchema).default([]) }))
          .default([]),
      }),
    )
    .min(1),
});

export type InventoryFile = z.input<typeof inventorySchema>;

export interface VmRecord {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  os: 'Linux' | 'Windows';
  powerState: PowerState;
  vmId: string;
  privateIps: string[];
  agentInstalled: boolean;
  /** The name the agent extension is installed under. */
  agentExtensionName: string;
  size: string;
  packetsPerSecond?: number;
  captureFormat?: CaptureFormat;
  nicName: string;
  nicResourceGroup: string;
  nicId: string;
}

export interface WatcherRecord {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
}

export interface SubscriptionRecord {
  id: string;
  inventoryId: string;
  displayName: string;
  resourceGroups: Map<string, { name: string; location: string }>;
}

/** The inventory file as parsed JSON, validated with messages naming the faulty entry. */
export function parseInventory(json: unknown, source = 'inventory'): z.output<typeof inventorySchema> {
  const result = inventorySchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TypeError(`${source}: ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`);
  }
  return result.data;
}

/** A VM given to the admin API, validated like the inventory's. */
export function parseVmSpec(json: unknown): VmSpec {
  const result = vmSpecSchema.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new TypeError(`VM ${issue?.path.join('.') ?? ''} ${issue?.message ?? 'is invalid'}`);
  }
  return result.data;
}

export function readInventoryFile(path: string): z.output<typeof inventorySchema> {
  return parseInventory(JSON.parse(readFileSync(path, 'utf8')) as unknown, path);
}

const key = (...parts: string[]) => parts.join('/').toLowerCase();

/**
 * Subscriptions, resource groups, VMs (with their NIC and agent extension), network watchers and
 * storage accounts. Lookups ignore case as ARM does; records keep the canonical casing.
 */
export class Inventory {
  private readonly subs = new Map<string, SubscriptionRecord>();
  private readonly vms = new Map<string, VmRecord>();
  private readonly watchers = new Map<string, WatcherRecord>();
  private readonly storage: string[] = [];

  /** `mapSubscription` gives each inventory subscription its id here (namespaces get their own). */
  constructor(file: z.output<typeof inventorySchema>, mapSubscription: (inventoryId: string) => string) {
    for (const s of file.subscriptions) {
      const id = mapSubscription(s.subscriptionId);
      this.subs.set(key(id), {
        id,
        inventoryId: s.subscriptionId,
        displayName: s.displayName,
        resourceGroups: new Map(),
      });
      for (const w of s.networkWatchers) {
        this.ensureResourceGroup(id, w.resourceGroup, w.location);
        const record = { ...w, subscriptionId: id, id: watcherResourceId(id, w.resourceGroup, w.name) };
        this.watchers.set(key(id, w.resourceGroup, w.name), record);
      }
      for (const a of s.storageAccounts) {
        this.ensureResourceGroup(id, a.resourceGroup, a.location);
        this.storage.push(storageAccountResourceId(id, a.resourceGroup, a.name));
      }
      for (const rg of s.resourceGroups) {
        this.ensureResourceGroup(id, rg.name, rg.location);
        for (const vm of rg.virtualMachines) {
          this.upsertVm({
            ...vm,
            subscriptionId: id,
            resourceGroup: rg.name,
            location: vm.location ?? rg.location,
          });
        }
      }
    }
  }

  subscriptions(): SubscriptionRecord[] {
    return [...this.subs.values()];
  }

  subscription(id: string): SubscriptionRecord | undefined {
    return this.subs.get(key(id));
  }

  allVms(): VmRecord[] {
    return [...this.vms.values()];
  }

  allWatchers(): WatcherRecord[] {
    return [...this.watchers.values()];
  }

  storageAccountIds(): string[] {
    return [...this.storage];
  }

  /** The resource group's canonical name; ARM's 404 when it does not exist. */
  resourceGroup(sub: string, rg: string): string {
    const found = this.subs.get(key(sub))?.resourceGroups.get(key(rg));
    if (!found)
      throw new ArmError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
    return found.name;
  }

  vm(sub: string, rg: string, vmName: string): VmRecord {
    const canonicalRg = this.resourceGroup(sub, rg);
    const vm = this.vms.get(key(sub, rg, vmName));
    if (!vm) throw resourceNotFound('Microsoft.Compute/virtualMachines', vmName, canonicalRg);
    return vm;
  }

  /** The VM with this resource id, or with this name when the text is not an id. */
  findVm(idOrName: string): VmRecord | undefined {
    const parsed = parseVmId(idOrName);
    if (parsed) return this.vms.get(key(parsed.subscriptionId, parsed.resourceGroup, parsed.name));
    return [...this.vms.values()].find((vm) => vm.name.toLowerCase() === idOrName.toLowerCase());
  }

  nicOwner(sub: string, rg: string, nicName: string): VmRecord {
    const canonicalRg = this.resourceGroup(sub, rg);
    const vm = [...this.vms.values()].find(
      (v) => v.nicId.toLowerCase() === nicResourceId(sub, rg, nicName).toLowerCase(),
    );
    if (!vm) throw resourceNotFound('Microsoft.Network/networkInterfaces', nicName, canonicalRg);
    return vm;
  }

  watcher(sub: string, rg: string, watcherName: string): WatcherRecord {
    const canonicalRg = this.resourceGroup(sub, rg);
    const watcher = this.watchers.get(key(sub, rg, watcherName));
    if (!watcher) throw resourceNotFound('Microsoft.Network/networkWatchers', watcherName, canonicalRg);
    return watcher;
  }

  listWatchers(sub: string, rg?: string): WatcherRecord[] {
    if (rg !== undefined) this.resourceGroup(sub, rg);
    return [...this.watchers.values()].filter(
      (w) => key(w.subscriptionId) === key(sub) && (rg === undefined || key(w.resourceGroup) === key(rg)),
    );
  }

  /** Adds a VM, or updates the one with the same subscription, group and name. */
  upsertVm(spec: VmSpec & { subscriptionId: string }): VmRecord {
    const sub = this.subs.get(key(spec.subscriptionId));
    if (!sub) throw new TypeError(`unknown subscription ${spec.subscriptionId}`);
    const rg = this.ensureResourceGroup(sub.id, spec.resourceGroup, spec.location);
    const existing = this.vms.get(key(sub.id, rg, spec.name));
    const nicName = existing?.nicName ?? `${spec.name}-nic`;
    const nicRg = this.ensureResourceGroup(
      sub.id,
      spec.nicResourceGroup ?? existing?.nicResourceGroup ?? rg,
      spec.location,
    );
    const record: VmRecord = {
      id: vmResourceId(sub.id, rg, existing?.name ?? spec.name),
      subscriptionId: sub.id,
      resourceGroup: rg,
      name: existing?.name ?? spec.name,
      location: spec.location,
      os: spec.os ?? existing?.os ?? 'Linux',
      powerState: spec.powerState ?? existing?.powerState ?? 'running',
      vmId: spec.vmId ?? existing?.vmId ?? guidFrom(`${sub.id}/${rg}/${spec.name}`.toLowerCase()),
      privateIps: spec.privateIps,
      agentInstalled: spec.agentInstalled ?? existing?.agentInstalled ?? true,
      agentExtensionName: existing?.agentExtensionName ?? 'AzureNetworkWatcherExtension',
      size: spec.size ?? existing?.size ?? 'Standard_D2s_v5',
      packetsPerSecond: spec.packetsPerSecond ?? existing?.packetsPerSecond,
      captureFormat: spec.captureFormat ?? existing?.captureFormat,
      nicName,
      nicResourceGroup: nicRg,
      nicId: nicResourceId(sub.id, nicRg, nicName),
    };
    this.vms.set(key(sub.id, rg, spec.name), record);
    return record;
  }

  private ensureResourceGroup(sub: string, rg: string, location: string): string {
    const groups = this.subs.get(key(sub))?.resourceGroups;
    if (!groups) throw new TypeError(`unknown subscription ${sub}`);
    const existing = groups.get(key(rg));
    if (existing) return existing.name;
    groups.set(key(rg), { name: rg, location });
    return rg;
  }
}

/** A stable GUID-shaped id derived from text, for emulated ids that must not change between runs. */
export function guidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
