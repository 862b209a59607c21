import { ArmError } from './armError';

export type Provider = 'Microsoft.Network' | 'Microsoft.Compute';

/**
 * api-versions the emulator answers: the ones the installed SDKs send (@azure/arm-network 39:
 * 2026-01-01; @azure/arm-compute 25: 2026-04-01) and a few earlier stable ones of each provider.
 */
const SUPPORTED: Record<Provider, readonly string[]> = {
  'Microsoft.Network': ['2026-01-01', '2025-07-01', '2025-05-01', '2025-03-01', '2025-01-01', '2024-05-01'],
  'Microsoft.Compute': ['2026-04-01', '2025-04-01', '2024-11-01', '2024-07-01', '2024-03-01'],
};

/** Throws ARM's 400 when the api-version query parameter is missing or not one the provider serves. */
export function checkApiVersion(provider: Provider, apiVersion: string | null): string {
  if (!apiVersion) {
    throw new ArmError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  }
  if (!SUPPORTED[provider].includes(apiVersion)) {
    throw new ArmError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${apiVersion}' is invalid. The supported versions are '${SUPPORTED[provider].join(',')}'.`,
    );
  }
  return apiVersion;
}
