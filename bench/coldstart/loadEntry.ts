/**
 * One cold-start sample, run in a fresh Node process: supplies `@azure/functions-core` the way the
 * Functions Node worker does, loads the compiled app entry given as argument (every module
 * registers its functions), runs the appStart hooks as the worker does next, and prints what each
 * cost as one JSON line. Modules named after the entry are loaded last and timed apart: what a
 * lazily registered handler loads on its first call.
 */
import { performance } from 'node:perf_hooks';
import { installFunctionsCore } from '../../local/durable/functionsCore';

async function main(): Promise<void> {
  const [entry, ...deferred] = process.argv.slice(2);
  if (!entry)
    throw new TypeError('usage: node loadEntry.js <compiled app entry> [module loaded on first call…]');
  const registry = installFunctionsCore();
  const modulesBefore = Object.keys(require.cache).length;
  const started = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(entry);
  const loadMs = performance.now() - started;
  const sinceProcessStartMs = performance.now();
  const modules = Object.keys(require.cache).length - modulesBefore;
  // The worker runs the appStart hooks once the entry is loaded, before it serves any function.
  const hooksStarted = performance.now();
  for (const hook of registry.hooks('appStart')) await hook({ hookData: {}, functionAppDirectory: '.' });
  const appStartMs = performance.now() - hooksStarted;
  const appStartModules = Object.keys(require.cache).length - modulesBefore - modules;
  // What a lazily registered handler loads on its first call, measured after the entry.
  const deferredStarted = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const module of deferred) require(module);
  const deferredMs = performance.now() - deferredStarted;
  process.stdout.write(
    `${JSON.stringify({
      loadMs,
      appStartMs,
      deferredMs,
      sinceProcessStartMs,
      functions: registry.list().length,
      modules,
      appStartModules,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
