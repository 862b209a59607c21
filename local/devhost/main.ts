import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startDevHost } from './devHost';
import { describeDevHost } from './stackExtension';
import { timeScaleFromEnv } from './timeScale';

/**
 * `npm run devhost -- [--entry file] [--settings local.settings.json]`: the dev host alone, against
 * storage and an ARM endpoint that already run (for example `func`-style settings). The settings
 * file's Values become app settings (the environment wins, as with the Functions host). Optional
 * environment: DEVHOST_PORT (default 7071), DEVHOST_TIME_SCALE, DEVHOST_KEYS_FILE.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { entry: { type: 'string' }, settings: { type: 'string' } } });
  const fileSettings = values.settings ? readSettingsFile(resolve(values.settings)) : {};
  const env = { ...fileSettings, ...definedOnly(process.env) };
  const port = Number(process.env.DEVHOST_PORT ?? '7071');
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`DEVHOST_PORT must be a port number, got '${process.env.DEVHOST_PORT}'.`);
  }
  const host = await startDevHost({
    entry: values.entry ? resolve(values.entry) : undefined,
    port,
    env,
    timeScale: timeScaleFromEnv(env),
    keysFile: process.env.DEVHOST_KEYS_FILE || undefined,
    log: (line) => console.log(line),
  });
  for (const line of describeDevHost(host)) console.log(line);
  console.log(`Dev host ready on ${host.url}. Ctrl-C stops it.`);
  const shutdown = (signal: string) => {
    console.log(`${signal}: stopping the dev host...`);
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('Stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

function readSettingsFile(path: string): Record<string, string> {
  const file = JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.Values ?? {}).map(([name, value]) => [name, String(value)]));
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
