import type { InstanceRecord, InstanceStore } from './instanceStore';

/**
 * Writes instance records to a store one after the other for each instance, so that a slow write
 * can never land after a newer one, and tells when every write has landed.
 */
export class OrderedStoreWriter {
  private readonly pending = new Map<string, Promise<void>>();

  constructor(
    private readonly store: InstanceStore,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Takes a snapshot now and writes it after the previous write of the same instance. */
  write(record: InstanceRecord): Promise<void> {
    const snapshot = structuredClone(record);
    const previous = this.pending.get(record.instanceId) ?? Promise.resolve();
    const write = previous.then(() => this.store.put(snapshot));
    const settled = write.catch(this.onError);
    this.pending.set(record.instanceId, settled);
    void settled.then(() => {
      if (this.pending.get(record.instanceId) === settled) this.pending.delete(record.instanceId);
    });
    return write;
  }

  async delete(instanceId: string): Promise<boolean> {
    await this.pending.get(instanceId);
    return this.store.delete(instanceId);
  }

  /** Resolves once every write started so far has landed (or failed). */
  async drained(): Promise<void> {
    await Promise.all(this.pending.values());
  }
}
