import type { AzuriteInstance } from '../../local/azurite';
/** What the global setup hands to test files (through vitest's provide/inject). */
export interface OfflineStackDetails {
  emulatorUrl: string;
  certPem: string;
  /** The emulator certificate as a file, as the EMULATOR_CA_CERT setting wants it. */
  certPath: string;
  /** A folder for test files (downloads); removed when the run ends. */
  scratchDir: string;
  azurite: Omit<AzuriteInstance, 'ports' | 'stop'>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    offlineStack: OfflineStackDetails;
  }
}
