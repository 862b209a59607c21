export { startDevHost, type DevHost, type DevHostFunction, type StartDevHostOptions } from './devHost';
export { devHostExtension, describeDevHost, type DevHostExtensionOptions } from './stackExtension';
export { TableInstanceStore, type TableInstanceStoreOptions } from './tableInstanceStore';
export { DevHostError, type DevHostErrorCode } from './DevHostError';
export { loadHostKeys, type HostKeys } from './hostKeys';
export { DURABLE_WEBHOOK_PATH } from './managementLinks';
export { timeScaleFromEnv } from './timeScale';
