import type { CaptureResource } from './captureStore';

/** The ARM JSON of a packet capture resource (PacketCaptureResult). */
export function captureResultBody(capture: CaptureResource): Record<string, unknown> {
  const given = (capture.spec.properties.storageLocation ?? {}) as Record<string, unknown>;
  return {
    name: capture.name,
    id: capture.id,
    etag: capture.etag,
    properties: {
      ...capture.spec.properties,
      storageLocation: { ...given, ...(capture.blob ? { storagePath: capture.blob.url } : {}) },
      provisioningState: provisioningState(capture),
    },
  };
}

export function provisioningState(capture: CaptureResource): string {
  if (capture.deleteOperation) return 'Deleting';
  if (!capture.createOperation.finished) return 'Updating';
  return capture.createOperation.error ? 'Failed' : 'Succeeded';
}

/** The body of queryStatus (PacketCaptureQueryStatusResult). */
export function captureStatusBody(capture: CaptureResource): Record<string, unknown> {
  const { session } = capture;
  return {
    name: capture.name,
    id: capture.id,
    ...(session.startedAtMs === undefined
      ? capture.unstartedStartTime !== undefined && { captureStartTime: capture.unstartedStartTime }
      : { captureStartTime: new Date(session.startedAtMs).toISOString() }),
    packetCaptureStatus: session.status,
    stopReason: session.stopReason,
    packetCaptureError: [...session.errors],
  };
}
