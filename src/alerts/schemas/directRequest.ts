import { z } from 'zod';
import type { AlertFacts, RawField } from '../alertFacts';
import { jsonPointer } from '../jsonPointer';
import { parsePayload } from './parsePayload';

const optionalText = z.string().max(1024).nullish();

/**
 * The request of the original Network Watcher article's function (`targetVM`, `storageID`,
 * `timeLimit`, the watcher's subscription/group/name and `packetCaptureName`), plus the capture
 * options under their Network Watcher names. Unknown members are refused: a person wrote this
 * request, and a misspelt option must not be silently ignored.
 */
export const directRequestSchema = z.strictObject({
  targetVM: z.string().max(1024),
  subscriptionId: optionalText,
  networkWatcherResourceGroup: optionalText,
  networkWatcherName: optionalText,
  packetCaptureName: optionalText,
  storageID: optionalText,
  timeLimit: z.unknown().optional(),
  bytesToCapturePerPacket: z.unknown().optional(),
  totalBytesPerSession: z.unknown().optional(),
  filters: z.unknown().optional(),
});

export function factsFromDirectRequest(body: unknown): AlertFacts {
  const request = parsePayload(directRequestSchema, body, 'Direct request');
  const raw = (name: keyof typeof request): RawField | undefined =>
    request[name] === undefined || request[name] === null
      ? undefined
      : { value: request[name], field: jsonPointer(name) };
  const hasWatcher = [request.networkWatcherResourceGroup, request.networkWatcherName].some((v) => v != null);
  return {
    schema: 'directRequest',
    state: 'fired',
    origin: { schema: 'directRequest' },
    targets: [{ value: request.targetVM, field: jsonPointer('targetVM') }],
    bodyOptions: {
      timeLimitSeconds: raw('timeLimit'),
      bytesPerPacket: raw('bytesToCapturePerPacket'),
      bytesPerSession: raw('totalBytesPerSession'),
      filters: raw('filters'),
    },
    pinned: {
      subscriptionId: raw('subscriptionId'),
      networkWatcher: hasWatcher
        ? {
            resourceGroup: raw('networkWatcherResourceGroup'),
            name: raw('networkWatcherName'),
          }
        : undefined,
      captureName: raw('packetCaptureName'),
      storageAccountId: raw('storageID'),
    },
  };
}
