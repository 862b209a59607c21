import { createHash } from 'node:crypto';

/** Prefix of every capture this app creates, so that its own captures can be told apart. */
export const CAPTURE_NAME_PREFIX = 'ac-';

/** Network Watcher's limit on packet capture names. */
export const MAX_CAPTURE_NAME_LENGTH = 80;

const VALID_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const TIMESTAMP_LENGTH = 'yyyyMMdd-HHmmssSSS'.length;
const HASH_LENGTH = 8;
const VM_PART_MAX = MAX_CAPTURE_NAME_LENGTH - CAPTURE_NAME_PREFIX.length - 1 - TIMESTAMP_LENGTH;

/** True when `name` is a packet capture name Network Watcher accepts. */
export function isValidCaptureName(name: string): boolean {
  return name.length <= MAX_CAPTURE_NAME_LENGTH && VALID_NAME.test(name);
}

export interface CaptureNameInput {
  /** The VM's canonical name (any characters; unsupported ones are replaced). */
  vmName: string;
  /** The VM's ARM id: disambiguates VM names that had to be shortened. */
  vmId: string;
  /** The orchestration's start time (`context.df.currentUtcDateTime`), ISO 8601. */
  orchestrationTime: string | Date;
}

/**
 * The capture name for one run: `ac-<vm>-<yyyyMMdd>-<HHmmssSSS>` in UTC. The same run always gets
 * the same name (retries find their own capture), two runs on one VM never share one.
 */
export function captureNameFor({ vmName, vmId, orchestrationTime }: CaptureNameInput): string {
  const time = new Date(orchestrationTime);
  if (Number.isNaN(time.getTime())) {
    throw new RangeError(`orchestrationTime must be a date, got ${JSON.stringify(orchestrationTime)}`);
  }
  const stamp = time.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '').slice(0, -1);
  let vmPart = vmName.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  if (vmPart.length > VM_PART_MAX) {
    const hash = createHash('sha256').update(vmId.toLowerCase()).digest('hex').slice(0, HASH_LENGTH);
    vmPart = `${vmPart.slice(0, VM_PART_MAX - HASH_LENGTH - 1)}-${hash}`;
  }
  const name = `${CAPTURE_NAME_PREFIX}${vmPart || 'vm'}-${stamp}`.replace(/-{2,}/g, '-');
  if (!isValidCaptureName(name)) {
    throw new RangeError(`could not derive a valid capture name from VM name ${JSON.stringify(vmName)}`);
  }
  return name;
}

/** True when the capture was created by this app (its name follows `captureNameFor`). */
export function isAppCaptureName(name: string): boolean {
  return name.startsWith(CAPTURE_NAME_PREFIX) && /-\d{8}-\d{9}$/.test(name);
}
