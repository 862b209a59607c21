import { createRequire } from 'node:module';
import { join } from 'node:path';
import { register } from 'tsx/cjs/api';
import { resetConfig } from '../../../src/config';

/**
 * The app entry registers thin handlers that `require` their modules on first call. Under vitest,
 * `require` is Node's own, which cannot load TypeScript: tsx's require hook lets it, as in the dev
 * host. Modules loaded that way are separate instances from the ones the test imports, so the
 * settings cache has to be reset in both when a test changes the environment.
 */
register();

const nativeRequire = createRequire(__filename);

export const APP_ENTRY = join(__dirname, '../../../src/index.ts');

/** Re-reads the app settings from process.env in every instance of the settings module. */
export function reloadAppSettings(): void {
  resetConfig();
  (
    nativeRequire(join(__dirname, '../../../src/config.ts')) as typeof import('../../../src/config')
  ).resetConfig();
}
