import { dirname, join } from 'node:path';
import { portOrFree } from '../azurite';
import type { StackComponent, StackExtension } from '../stack';
import { startDevHost, type DevHost } from './devHost';
import { DURABLE_WEBHOOK_PATH } from './managementLinks';

export interface DevHostExtensionOptions {
  /** Preferred public port; a busy one falls back to a free port. Default 7071. */
  port?: number;
  /** App entry. Default: src/index.ts. */
  entry?: string;
  log?: (line: string) => void;
}

/**
 * The dev host as a part of the offline stack (`npm start`): it serves the app with the stack's
 * settings, keeps its task hub in the stack's Azurite, keeps its keys next to the settings file,
 * and runs its orchestration clock in step with the emulator's clock (same start, same speed-up).
 */
export function devHostExtension(options: DevHostExtensionOptions = {}): StackExtension {
  return async (stack) => {
    const clock = await stack.emulator.admin.clock();
    const host = await startDevHost({
      entry: options.entry,
      port: await portOrFree(options.port ?? 7071),
      env: stack.appSettings,
      azurite: stack.azurite,
      timeScale: clock.factor,
      clockStart: new Date(clock.nowMs),
      keysFile: join(dirname(stack.settingsPath), 'host-keys.json'),
      log: options.log,
    });
    const component: StackComponent = {
      name: 'Dev host',
      describe: () => describeDevHost(host),
      stop: () => host.stop(),
    };
    return component;
  };
}

/** What `npm start` prints about the host: where it listens, its functions, how to call them. */
export function describeDevHost(host: DevHost): string[] {
  const width = Math.max(0, ...host.functions.map((fn) => fn.methods.join(',').length));
  return [
    `Dev host                  ${host.url}  (task hub ${host.taskHub}, Durable client endpoint ${host.rpcBaseUrl})`,
    ...host.functions.map(
      (fn) => `  ${fn.methods.join(',').padEnd(width)}  ${fn.url}  [${fn.authLevel}]  ${fn.name}`,
    ),
    `  Durable status API      ${host.url}${DURABLE_WEBHOOK_PATH}/instances/{instanceId}?code=<system key>`,
    `  Function key            ${host.functionKey}   (x-functions-key header or ?code=)`,
    `  Master key              ${host.masterKey}`,
    `  Keys file               ${host.keysFile}   (system key for the Durable API is there)`,
  ];
}
