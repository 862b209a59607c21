import type { PacketCapture, PacketCaptureResult } from '@azure/arm-network';
import type { CaptureSession, CaptureState } from '../capture/session';
import { toCaptureStatus } from '../capture/session';
import { getArmClients } from './clients';
import { armCall, isArmNotFound, toArmError, type ArmOperation } from './armErrors';
import { splitTypedResourceId } from '../security/armResourceId';

/** Operations on one watcher's packet captures, with every SDK error classified. */
export interface PacketCaptureApi {
  list(): Promise<CaptureSession[]>;
  /** The capture, or undefined when it does not exist. */
  get(name: string): Promise<CaptureSession | undefined>;
  /** queryStatus; throws CAPTURE_NOT_FOUND when the capture does not exist. */
  status(name: string): Promise<CaptureState>;
  /** PUT and wait for provisioning to end (or `abortSignal`). */
  create(name: string, body: PacketCapture, abortSignal?: AbortSignal): Promise<CaptureSession>;
  /** True when stopped now, false when the capture does not exist. */
  stop(name: string): Promise<boolean>;
  /** True when deleted now, false when the capture did not exist. */
  delete(name: string): Promise<boolean>;
}

export function packetCapturesOf(networkWatcherId: string): PacketCaptureApi {
  const watcher = splitTypedResourceId(networkWatcherId, 'Microsoft.Network', 'networkWatchers');
  const { network } = getArmClients(watcher.subscriptionId);
  const ops = network.packetCaptures;
  const rg = watcher.resourceGroup;
  const nw = watcher.name;
  const captureId = (name: string) => `${networkWatcherId}/packetCaptures/${name}`;
  const op = (operation: string, name: string): ArmOperation => ({
    operation,
    resourceId: captureId(name),
    notFound: { code: 'CAPTURE_NOT_FOUND', message: `Packet capture ${name} does not exist on ${nw}` },
  });
  const toSession = (result: PacketCaptureResult, name: string) => sessionOf(result, networkWatcherId, name);

  return {
    list: () =>
      armCall({ operation: 'list the packet captures', resourceId: networkWatcherId }, async () => {
        const sessions: CaptureSession[] = [];
        for await (const capture of ops.list(rg, nw)) sessions.push(toSession(capture, capture.name ?? ''));
        return sessions;
      }),

    get: async (name) => {
      try {
        return toSession(await ops.get(rg, nw, name), name);
      } catch (error) {
        if (isArmNotFound(error)) return undefined;
        throw toArmError(error, op('read the packet capture', name));
      }
    },

    status: (name) =>
      armCall(op('query the packet capture status', name), async () => {
        const result = await ops.getStatus(rg, nw, name);
        return {
          status: toCaptureStatus(result.packetCaptureStatus),
          stopReason: result.stopReason || undefined,
          errors: result.packetCaptureError ?? [],
          captureStartTime: result.captureStartTime?.toISOString(),
        };
      }),

    create: (name, body, abortSignal) =>
      armCall(
        {
          ...op('create the packet capture', name),
          failed: {
            code: 'CAPTURE_PROVISIONING_FAILED',
            message: `Network Watcher could not create packet capture ${name} on ${body.target}`,
          },
        },
        async () => toSession(await ops.create(rg, nw, name, body, { abortSignal }), name),
      ),

    stop: (name) => existed(() => ops.stop(rg, nw, name), op('stop the packet capture', name)),
    delete: (name) => existed(() => ops.delete(rg, nw, name), op('delete the packet capture', name)),
  };
}

/** Runs a call where "not found" means the work is already done. */
async function existed(call: () => PromiseLike<unknown>, operation: ArmOperation): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (isArmNotFound(error)) return false;
    throw toArmError(error, operation);
  }
}

function sessionOf(result: PacketCaptureResult, networkWatcherId: string, name: string): CaptureSession {
  const session: CaptureSession = {
    networkWatcherId,
    name: result.name ?? name,
    id: result.id ?? `${networkWatcherId}/packetCaptures/${name}`,
    target: result.target ?? '',
    provisioningState: result.provisioningState ?? 'Unknown',
    storagePath: result.storageLocation?.storagePath,
    timeLimitSeconds: result.timeLimitInSeconds,
    bytesPerPacket: result.bytesToCapturePerPacket,
    bytesPerSession: result.totalBytesPerSession,
  };
  // Undefined fields would become missing keys in history anyway; keep the output stable.
  return JSON.parse(JSON.stringify(session)) as CaptureSession;
}
