import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { activityFailureReason, hostExceptionText } from '../../src/runtime/wireContracts';
import type { FunctionCallback, FunctionRegistry, RegisteredFunction, RpcTypedData } from './functionsCore';
import type { FailureDetailsJson } from './historyEvents';
import { invokeFunction, returnValueToJson } from './invoke';

/** A stand-in for an activity, called like the real handler: `(input, context)`. */
export type ActivityHandler = (input: unknown, context: InvocationContext) => unknown;

/** What the engine records of one activity call: its JSON result, or the failure the extension would record. */
export type ActivityOutcome =
  | { ok: true; resultJson: string }
  | { ok: false; reason: string; details: string; failureDetails?: FailureDetailsJson };

export interface ActivityCall {
  name: string;
  /** The action input as the SDK sent it. */
  input: unknown;
  /** Runs instead of the registered activity (a per-test replacement). */
  replacement?: ActivityHandler;
}

// durable-functions wraps every activity handler with this (it turns errors into FailureDetails
// JSON when an exception properties provider is set); replacements get the same wrapping.
const { wrapActivityHandler } = df.app as unknown as {
  wrapActivityHandler: (handler: ActivityHandler) => FunctionCallback;
};

/**
 * Runs an activity as the extension and the worker would: the input goes through the same
 * conversion (the SDK sends string inputs as JSON text, the worker parses them once), the result
 * becomes the JSON text of `TaskCompleted.Result`, and a failure becomes `TaskFailed` fields.
 */
export async function invokeActivity(
  registry: FunctionRegistry,
  call: ActivityCall,
): Promise<ActivityOutcome> {
  const registered = registry.find(call.name, 'activityTrigger');
  const fn = registered ?? syntheticActivity(call.name);
  const triggerData: RpcTypedData =
    typeof call.input === 'string' ? { string: call.input } : { json: JSON.stringify(call.input ?? null) };
  try {
    const response = await invokeFunction(registry, fn, {
      triggerData,
      callback: call.replacement ? wrapActivityHandler(call.replacement) : undefined,
    });
    return { ok: true, resultJson: returnValueToJson(response.returnValue) };
  } catch (error) {
    return failureOf(call.name, error);
  }
}

function syntheticActivity(name: string): RegisteredFunction {
  const trigger = { type: 'activityTrigger', direction: 'in' as const, name: 'activityTrigger' };
  return {
    name,
    metadata: { name, bindings: { activityTrigger: trigger } },
    callback: () => {
      throw new Error(`Activity "${name}" has no handler.`);
    },
    triggerBindingName: 'activityTrigger',
    trigger,
  };
}

/**
 * The worker reports `message` and `stack`; the host wraps them in an RpcException and the
 * extension's activity shim records "Activity function '<name>' failed: <that message>" plus the
 * serialised exception. When the SDK serialised FailureDetails into the message (an exception
 * properties provider is set), the extension passes them on as structured `FailureDetails`.
 */
function failureOf(name: string, error: unknown): ActivityOutcome {
  const message = error instanceof Error ? error.message : String(error);
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const rpcMessage = hostExceptionText(message, stack);
  const details = JSON.stringify({
    $type: 'Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException, Microsoft.Azure.WebJobs.Script',
    ClassName: 'Microsoft.Azure.WebJobs.Script.Workers.Rpc.RpcException',
    Message: rpcMessage,
    RemoteMessage: message,
    RemoteStackTrace: stack,
  });
  return {
    ok: false,
    reason: activityFailureReason(name, rpcMessage),
    details,
    failureDetails: serializedFailureDetails(message),
  };
}

function serializedFailureDetails(message: string): FailureDetailsJson | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const payload = parsed as Record<string, unknown>;
  if (typeof payload.errorType !== 'string' || typeof payload.errorMessage !== 'string') return undefined;
  return {
    ErrorType: payload.errorType,
    ErrorMessage: payload.errorMessage,
    StackTrace: typeof payload.stackTrace === 'string' ? payload.stackTrace : undefined,
    IsNonRetriable: payload.isNonRetriable === true,
    Properties:
      typeof payload.properties === 'object' && payload.properties !== null
        ? (payload.properties as Record<string, unknown>)
        : undefined,
  };
}
