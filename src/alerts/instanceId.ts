import { createHash } from 'node:crypto';
import { asciiLower, type ArmResourceId } from '../security/armResourceId';

/** Every capture run's instance id starts with it: the list endpoint's server-side filter. */
export const CAPTURE_INSTANCE_ID_PREFIX = 'capture-';
const PREFIX = CAPTURE_INSTANCE_ID_PREFIX;
const HASH_LENGTH = 16;
/** Durable Functions accepts instance ids up to 100 characters. */
export const MAX_INSTANCE_ID_LENGTH = 100;
const NAME_MAX = MAX_INSTANCE_ID_LENGTH - PREFIX.length - 1 - HASH_LENGTH;

/**
 * The orchestration instance id of a VM: `capture-<vm name>-<hash>`. The same VM, however its id
 * is cased, always gets the same id, so a second alert joins the running orchestration instead of
 * starting another; the hash of the whole id keeps VMs with the same name in different groups or
 * subscriptions apart. Only `[a-z0-9._-]` is used: no `/ \ # ?`, no control characters, no leading `@`.
 */
export function captureInstanceId(vm: Pick<ArmResourceId, 'key' | 'names'>): string {
  const name = asciiLower(vm.names[vm.names.length - 1] ?? 'vm')
    .replace(/[^a-z0-9._-]+/g, '-')
    .slice(0, NAME_MAX);
  const hash = createHash('sha256').update(vm.key).digest('hex').slice(0, HASH_LENGTH);
  return `${PREFIX}${name}-${hash}`;
}
