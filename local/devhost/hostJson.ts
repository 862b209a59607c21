import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { SETTINGS } from '../../src/config';
import { DevHostError } from './DevHostError';

/** What the dev host takes from host.json, resolved against the app settings. */
export interface HostSettings {
  /** `extensions.http.routePrefix` without slashes ('' serves triggers at the root). */
  routePrefix: string;
  /** `extensions.durableTask.hubName` with `%SETTING%` references resolved. */
  taskHub: string;
  /** `extensions.durableTask.maxConcurrentActivityFunctions`. */
  maxConcurrentActivityFunctions: number;
}

// Table names are at most 63 characters and the store appends up to 12 ("DevInstances").
const TASK_HUB_NAME = /^[A-Za-z][A-Za-z0-9]{2,49}$/;
// The extension's own fallbacks when host.json is silent.
const DEFAULT_HUB = 'TestHubName';
const defaultActivityConcurrency = (): number => 10 * availableParallelism();

interface HostJson {
  extensions?: {
    http?: { routePrefix?: unknown };
    durableTask?: { hubName?: unknown; maxConcurrentActivityFunctions?: unknown };
  };
}

/**
 * Reads host.json the way the Functions host and the Durable extension do for the parts a local
 * host needs. `%NAME%` in the hub name is an app setting; when the app's own setting schema has a
 * default for it, that default applies (the app would run with it too).
 */
export function readHostSettings(path: string, env: Record<string, string | undefined>): HostSettings {
  let json: HostJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as HostJson;
  } catch (error) {
    throw new DevHostError('DEVHOST_SETUP_INVALID', `Cannot read host.json at ${path}: ${String(error)}`, {
      details: { path },
      cause: error,
    });
  }
  const http = json.extensions?.http ?? {};
  const durable = json.extensions?.durableTask ?? {};
  const routePrefix = http.routePrefix ?? 'api';
  if (typeof routePrefix !== 'string') {
    throw invalid(path, 'extensions.http.routePrefix must be a string');
  }
  const concurrency = durable.maxConcurrentActivityFunctions ?? defaultActivityConcurrency();
  if (typeof concurrency !== 'number' || !Number.isInteger(concurrency) || concurrency < 1) {
    throw invalid(
      path,
      'extensions.durableTask.maxConcurrentActivityFunctions must be a whole number above 0',
    );
  }
  const taskHub = resolveSetting(durable.hubName ?? DEFAULT_HUB, env, path);
  if (!TASK_HUB_NAME.test(taskHub)) {
    throw invalid(
      path,
      `the task hub name '${taskHub}' must be 3-50 letters and digits starting with a letter`,
    );
  }
  return {
    routePrefix: routePrefix.replace(/^\/+|\/+$/g, ''),
    taskHub,
    maxConcurrentActivityFunctions: concurrency,
  };
}

function resolveSetting(value: unknown, env: Record<string, string | undefined>, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'extensions.durableTask.hubName must be a string');
  const reference = /^%([^%]+)%$/.exec(value);
  if (!reference) return value;
  const name = reference[1]!;
  const resolved = env[name] ?? (SETTINGS as Record<string, { default?: string }>)[name]?.default;
  if (resolved === undefined) {
    throw invalid(path, `the hub name refers to the app setting ${name}, which is not set`);
  }
  return resolved;
}

function invalid(path: string, problem: string): DevHostError {
  return new DevHostError('DEVHOST_SETUP_INVALID', `host.json (${path}): ${problem}.`, {
    details: { path, problem },
  });
}
