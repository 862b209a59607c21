import { ArmError } from './armError';
import { Namespace, type NamespaceOptions } from './namespace';
import type { CreateNamespaceRequest } from './types';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
export const DEFAULT_NAMESPACE = 'default';

type SharedOptions = Pick<NamespaceOptions, 'inventoryFile' | 'uploader' | 'tempDir'>;

/** All namespaces of one emulator, found by name or by any of their subscription ids. */
export class NamespaceRegistry {
  private readonly byName = new Map<string, Namespace>();
  private readonly bySubscription = new Map<string, Namespace>();

  constructor(private readonly shared: SharedOptions) {}

  create(request: CreateNamespaceRequest): Namespace {
    if (typeof request.name !== 'string' || !NAME.test(request.name)) {
      throw new TypeError(
        `namespace name must be 1-100 letters, digits, '.', '_', '-', got ${String(request.name)}`,
      );
    }
    if (this.byName.has(request.name.toLowerCase())) {
      throw new ArmError(409, 'Conflict', `namespace ${request.name} already exists`);
    }
    const ns = new Namespace({
      ...this.shared,
      name: request.name,
      keepSubscriptionIds: request.name === DEFAULT_NAMESPACE,
      clock: request.clock ?? { mode: 'manual' },
      settings: request.settings,
      faults: request.faults,
    });
    const ids = ns.inventory.subscriptions().map((s) => s.id.toLowerCase());
    if (ids.some((id) => this.bySubscription.has(id))) {
      throw new ArmError(
        409,
        'Conflict',
        `namespace ${request.name} would reuse another namespace's subscription ids`,
      );
    }
    this.byName.set(request.name.toLowerCase(), ns);
    for (const id of ids) this.bySubscription.set(id, ns);
    return ns;
  }

  get(name: string): Namespace {
    const ns = this.byName.get(name.toLowerCase());
    if (!ns) throw new ArmError(404, 'NotFound', `namespace ${name} does not exist`);
    return ns;
  }

  forSubscription(subscriptionId: string): Namespace {
    const ns = this.bySubscription.get(subscriptionId.toLowerCase());
    if (!ns)
      throw new ArmError(
        404,
        'SubscriptionNotFound',
        `The subscription '${subscriptionId}' could not be found.`,
      );
    return ns;
  }

  delete(name: string): void {
    const ns = this.get(name);
    this.byName.delete(name.toLowerCase());
    for (const [id, owner] of this.bySubscription) if (owner === ns) this.bySubscription.delete(id);
    ns.dispose();
  }

  all(): Namespace[] {
    return [...this.byName.values()];
  }
}
