import type { TokenCredential } from '@azure/identity';
import type { Config } from '../config';
import { identitySdk } from './lazySdk';

/**
 * The offline emulator accepts any bearer token; this keeps the real SDK auth policy in the path
 * (it refuses plain http, which is one reason the emulator serves https) without an identity.
 */
const emulatorCredential: TokenCredential = {
  getToken: async () => ({ token: 'offline-emulator-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

/** The app's identity: managed identity in Azure, developer sign-in, or the emulator's static token. */
export function createCredential(config: Config): TokenCredential {
  switch (config.AZURE_CREDENTIAL_MODE) {
    case 'emulator':
      return emulatorCredential;
    case 'default': {
      const { DefaultAzureCredential } = identitySdk();
      return new DefaultAzureCredential({ managedIdentityClientId: config.MANAGED_IDENTITY_CLIENT_ID });
    }
    case 'managedIdentity': {
      const { ManagedIdentityCredential } = identitySdk();
      const clientId = config.MANAGED_IDENTITY_CLIENT_ID;
      return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
    }
  }
}
