import Module from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Stand-in for `@azure/functions-core`, the module the Functions Node worker injects into the app
 * (it is not on npm). `@azure/functions` asks it for `registerFunction`/`registerHook` and hands it
 * its programming model; we capture all of that so a local host can run the app's own registrations.
 */

export const CORE_MODULE_NAME = '@azure/functions-core';

/** One binding of a function as the programming model describes it to the worker. */
export interface RpcBinding {
  type: string;
  direction: 'in' | 'out' | 'inout';
  name?: string;
  [option: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, RpcBinding>;
  retryOptions?: unknown;
}

/** Typed data as the worker exchanges it with the host (only the variants this repo needs). */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  int?: number | null;
  double?: number | null;
  http?: unknown;
}

export type LogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';
export type LogSink = (level: LogLevel, category: string, message: string) => void;

/** The worker-side invocation context handed to the programming model. */
export interface CoreInvocationContext {
  invocationId: string;
  request: {
    inputData: Array<{ name: string; data: RpcTypedData }>;
    triggerMetadata?: Record<string, RpcTypedData>;
  };
  metadata: FunctionMetadata;
  state?: string;
  log: LogSink;
}

export interface InvocationResponse {
  invocationId: string;
  outputData: Array<{ name: string; data: RpcTypedData }>;
  returnValue?: RpcTypedData | null;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<InvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: CoreInvocationContext): InvocationModel;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: unknown) => unknown;

export interface Disposable {
  dispose(): void;
}

export type TriggerType =
  'orchestrationTrigger' | 'activityTrigger' | 'entityTrigger' | 'httpTrigger' | string;

/** A function captured from `registerFunction`, with the bindings a host needs to serve it. */
export interface RegisteredFunction {
  name: string;
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  triggerBindingName: string;
  trigger: RpcBinding;
  /** Name of the `durableClient` input binding, when the function asked for a Durable client. */
  durableClientBindingName?: string;
}

export interface HttpFunctionInfo {
  name: string;
  route: string;
  methods: string[];
  authLevel: string;
}

const isTriggerType = (type: string): boolean => /trigger$/i.test(type);

/** Everything the app registered through `@azure/functions-core`. */
export class FunctionRegistry {
  private readonly functions = new Map<string, RegisteredFunction>();
  private readonly hookCallbacks = new Map<string, HookCallback[]>();
  private model: ProgrammingModel | undefined;
  /** Where the worker log calls go; replace it to capture logs. */
  logSink: LogSink = defaultLogSink;

  register(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    if (this.functions.has(metadata.name)) {
      throw new Error(
        `A function named "${metadata.name}" is already registered; function names must be unique.`,
      );
    }
    const triggerEntry = Object.entries(metadata.bindings).find(([, binding]) => isTriggerType(binding.type));
    if (!triggerEntry) {
      throw new Error(`Function "${metadata.name}" has no trigger binding.`);
    }
    const clientEntry = Object.entries(metadata.bindings).find(
      ([, binding]) => binding.type === 'durableClient' || binding.type === 'orchestrationClient',
    );
    this.functions.set(metadata.name, {
      name: metadata.name,
      metadata,
      callback,
      triggerBindingName: triggerEntry[0],
      trigger: triggerEntry[1],
      durableClientBindingName: clientEntry?.[0],
    });
    return { dispose: () => this.functions.delete(metadata.name) };
  }

  registerHook(hookName: string, callback: HookCallback): Disposable {
    const list = this.hookCallbacks.get(hookName) ?? [];
    list.push(callback);
    this.hookCallbacks.set(hookName, list);
    return {
      dispose: () => {
        const index = list.indexOf(callback);
        if (index >= 0) list.splice(index, 1);
      },
    };
  }

  setProgrammingModel(model: ProgrammingModel): void {
    this.model = model;
  }

  get programmingModel(): ProgrammingModel {
    if (!this.model) {
      throw new Error(
        'No programming model was set: no function has been registered through @azure/functions yet.',
      );
    }
    return this.model;
  }

  get(name: string): RegisteredFunction | undefined {
    return this.functions.get(name);
  }

  /** The function with that name and trigger type, or undefined. */
  find(name: string, triggerType: TriggerType): RegisteredFunction | undefined {
    const fn = this.functions.get(name);
    return fn && fn.trigger.type === triggerType ? fn : undefined;
  }

  list(triggerType?: TriggerType): RegisteredFunction[] {
    const all = [...this.functions.values()];
    return triggerType === undefined ? all : all.filter((fn) => fn.trigger.type === triggerType);
  }

  httpFunctions(): HttpFunctionInfo[] {
    return this.list('httpTrigger').map((fn) => ({
      name: fn.name,
      route: typeof fn.trigger.route === 'string' ? fn.trigger.route : fn.name,
      methods: Array.isArray(fn.trigger.methods) ? fn.trigger.methods.map(String) : ['GET', 'POST'],
      authLevel: typeof fn.trigger.authLevel === 'string' ? fn.trigger.authLevel : 'anonymous',
    }));
  }

  hooks(hookName: string): readonly HookCallback[] {
    return this.hookCallbacks.get(hookName) ?? [];
  }
}

function defaultLogSink(level: LogLevel, category: string, message: string): void {
  if (level === 'warning') console.warn(`[${category}] ${message}`);
  else if (level === 'error' || level === 'critical') console.error(`[${category}] ${message}`);
}

let installed: FunctionRegistry | undefined;

/**
 * Makes `require('@azure/functions-core')` return our stand-in, exactly as the worker does, and
 * returns the registry it fills. Idempotent. Call it before the app registers its first function:
 * `@azure/functions` looks the core module up once and stays in "test mode" if it is missing.
 */
export function installFunctionsCore(): FunctionRegistry {
  if (installed) return installed;
  const registry = new FunctionRegistry();
  const coreApi = {
    version: '3.10.1',
    hostVersion: '4.1000.0',
    registerFunction: (metadata: FunctionMetadata, callback: FunctionCallback) =>
      registry.register(metadata, callback),
    registerHook: (hookName: string, callback: HookCallback) => registry.registerHook(hookName, callback),
    setProgrammingModel: (model: ProgrammingModel) => registry.setProgrammingModel(model),
    getProgrammingModel: () => registry.programmingModel,
    log: (level: LogLevel, category: string, message: string) => registry.logSink(level, category, message),
    Disposable: class {
      constructor(private readonly callOnDispose: () => void) {}
      dispose(): void {
        this.callOnDispose();
      }
    },
  };
  const originalRequire = Module.prototype.require;
  Module.prototype.require = new Proxy(originalRequire, {
    apply(target, thisArg, args: [string]) {
      return args[0] === CORE_MODULE_NAME ? coreApi : Reflect.apply(target, thisArg, args);
    },
  });
  installed = registry;
  return registry;
}

/**
 * Installs the core module, then imports the app entry (for example `src/index.ts` under tsx or
 * vitest) so that every function module registers itself. Returns the filled registry.
 */
export async function loadApp(entryModulePath: string): Promise<FunctionRegistry> {
  const registry = installFunctionsCore();
  await import(pathToFileURL(entryModulePath).href);
  return registry;
}
