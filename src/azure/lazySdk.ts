/**
 * The Azure SDKs, loaded on first use so that the app entry (and cold start) does not pay for
 * them. `require` rather than `import()`: in this CommonJS app, `import()` would load the SDKs'
 * ESM builds, a second copy of every Azure core package next to the CommonJS one.
 */
/* eslint-disable @typescript-eslint/no-require-imports */

export const networkSdk = (): typeof import('@azure/arm-network') => require('@azure/arm-network');
export const computeSdk = (): typeof import('@azure/arm-compute') => require('@azure/arm-compute');
export const storageSdk = (): typeof import('@azure/storage-blob') => require('@azure/storage-blob');
export const identitySdk = (): typeof import('@azure/identity') => require('@azure/identity');
export const tablesSdk = (): typeof import('@azure/data-tables') => require('@azure/data-tables');
