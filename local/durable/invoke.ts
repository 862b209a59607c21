import { randomUUID } from 'node:crypto';
import type {
  FunctionCallback,
  FunctionRegistry,
  InvocationResponse,
  LogSink,
  RegisteredFunction,
  RpcTypedData,
} from './functionsCore';

export interface InvokeOptions {
  /** The trigger value as the host would send it. */
  triggerData: RpcTypedData;
  /** Values for input bindings, by binding name (for example the durableClient binding data). */
  extraInputs?: Record<string, RpcTypedData>;
  triggerMetadata?: Record<string, RpcTypedData>;
  invocationId?: string;
  /** Runs instead of the registered callback, with the same conversions around it. */
  callback?: FunctionCallback;
}

/**
 * Invokes a registered function the way the Node worker does: through the programming model's
 * invocation model, so inputs and the return value go through the same conversions as in Azure.
 * A handler error is rethrown as is (the worker would report it to the host as a failure).
 */
export async function invokeFunction(
  registry: FunctionRegistry,
  fn: RegisteredFunction,
  options: InvokeOptions,
): Promise<InvocationResponse> {
  const inputData = [{ name: fn.triggerBindingName, data: options.triggerData }];
  for (const [name, data] of Object.entries(options.extraInputs ?? {})) {
    inputData.push({ name, data });
  }
  const log: LogSink = (level, category, message) =>
    registry.logSink(level, category, `${fn.name}: ${message}`);
  const model = registry.programmingModel.getInvocationModel({
    invocationId: options.invocationId ?? randomUUID(),
    request: { inputData, triggerMetadata: options.triggerMetadata },
    metadata: fn.metadata,
    log,
  });
  const { context, inputs } = await model.getArguments();
  const result = await model.invokeFunction(context, inputs, options.callback ?? fn.callback);
  return model.getResponse(context, result);
}

/** The JSON text the Durable extension records for a returned value (`"null"` when nothing). */
export function returnValueToJson(value: RpcTypedData | null | undefined): string {
  if (!value) return 'null';
  if (typeof value.json === 'string') return value.json;
  if (typeof value.string === 'string') return JSON.stringify(value.string);
  if (typeof value.int === 'number') return JSON.stringify(value.int);
  if (typeof value.double === 'number') return JSON.stringify(value.double);
  if (value.bytes) return JSON.stringify(Buffer.from(value.bytes).toString('base64'));
  return 'null';
}
