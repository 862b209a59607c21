import type { FunctionRegistry } from '../durable';

/** What `@azure/functions` tells the worker once the app is loaded (`HttpUri` when streams are on). */
export interface WorkerCapabilities {
  HttpUri?: string;
  [name: string]: string | undefined;
}

interface ModelWithCapabilities {
  getCapabilities?: (capabilities: WorkerCapabilities) => Promise<WorkerCapabilities>;
}

let asked: Promise<WorkerCapabilities> | undefined;

/**
 * Asks the programming model for its capabilities, as the worker does after loading the app. The
 * library then locks its setup and, with HTTP streams enabled, starts its request proxy; that
 * happens once per process, so every host of the process shares the answer.
 */
export function workerCapabilities(registry: FunctionRegistry): Promise<WorkerCapabilities> {
  const model = registry.programmingModel as unknown as ModelWithCapabilities;
  asked ??= model.getCapabilities ? model.getCapabilities({}) : Promise.resolve({});
  return asked;
}
