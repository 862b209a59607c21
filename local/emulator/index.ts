export {
  startEmulator,
  SAMPLE_INVENTORY_PATH,
  type RunningEmulator,
  type StartEmulatorOptions,
} from './server';
export { EmulatorAdminClient, EmulatorAdminError, type EmulatorAdminClientOptions } from './adminClient';
export { CAPTURE_CONTAINER, captureBlobName } from './blobUpload';
export { BYTES_EXCEEDED } from './captureSession';
export type * from './types';
