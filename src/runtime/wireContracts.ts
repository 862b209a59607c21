/**
 * The texts this app reads out of messages that cross the Durable boundary, in one place. The
 * durable-functions SDK, the Durable extension and the Functions host report some outcomes only as
 * message text, so the app matches text; each contract below names who writes it, gives a sample as
 * that component writes it, and reads it.
 *
 * test/runtime/wireContracts.test.ts checks the SDK's part against the installed durable-functions
 * package. The extension's and the host's part are what the real extension answers: `WIRE_SAMPLES`
 * is what a conformance run against it compares with, and the dev host writes these texts from here,
 * so a wording changed upstream shows there and nowhere else.
 */

/** Who writes a text, and so who could change it. */
export type Writer = 'durable-functions' | 'Durable extension' | 'Functions host' | 'this app';

// ---- The status of an instance that does not exist ----

/**
 * `DurableClient.getStatus` turns the extension's 404 into a plain Error with this text (and every
 * other failure into another text): the only way to tell "no such run" from a failing backend.
 */
const STATUS_NOT_FOUND = /replied with HTTP 404 response/;

export function isStatusNotFound(error: unknown): boolean {
  return error instanceof Error && STATUS_NOT_FOUND.test(error.message);
}

// ---- A start refused because the instance is pending or running ----

/**
 * The Durable extension refuses to start an id that is pending or running with this exception
 * message (DTFx's "OrchestrationAlreadyExistsException", answered as HTTP 500), which the SDK's
 * `startNew` passes on inside its own error message.
 */
export function instanceExistsText(runtimeStatus: string): string {
  return `An Orchestration instance with the status ${runtimeStatus} already exists.`;
}

const INSTANCE_EXISTS = /An Orchestration instance with the status (\w+) already exists/i;

/** The runtime status named by a start refused for an existing instance, or undefined. */
export function existingInstanceStatus(error: unknown): string | undefined {
  return error instanceof Error ? INSTANCE_EXISTS.exec(error.message)?.[1] : undefined;
}

// ---- An activity that failed after its last attempt ----

/** The Functions host reports an activity's exception (its message and stack) as this text. */
export function hostExceptionText(message: string, stack: string): string {
  return `Result: Failure\nException: ${message}\nStack: ${stack}`;
}

/**
 * The Durable extension's activity shim records the host's text as the task's failure reason. The
 * SDK then fails the orchestrator's task with an Error whose message starts with the reason, or
 * is `errorType: errorMessage` when the extension passes structured FailureDetails.
 */
export function activityFailureReason(activity: string, hostText: string): string {
  return `Activity function '${activity}' failed: ${hostText}`;
}

const EXCEPTION_LINE = /Exception: ([^\n]*)/;

/** The exception's own message out of an activity failure: the `Exception:` line, else the first line. */
export function activityFailureMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return EXCEPTION_LINE.exec(message)?.[1] ?? message.split('\n')[0] ?? '';
}

// ---- This app's own convention: the code at the start of a retriable failure ----

/**
 * A retriable activity failure is thrown, and only its message crosses the Durable boundary: the
 * message starts with the catalogued code in brackets, so the orchestrator can name it after the
 * retries have run out.
 */
export function withCode(code: string, message: string): string {
  return `[${code}] ${message}`;
}

const CODE_IN_MESSAGE = /\[([A-Z][A-Z0-9_]*)\]/g;

/** Every bracketed code in a failure's message, in order (the caller keeps the catalogued ones). */
export function codesIn(message: string): string[] {
  return [...message.matchAll(CODE_IN_MESSAGE)].map((match) => match[1]!);
}

/** One sample per contract as its writer writes it: what a conformance run checks against the real writer. */
export const WIRE_SAMPLES: Record<string, { writer: Writer; sample: string }> = {
  statusNotFound: {
    writer: 'durable-functions',
    sample:
      'DurableClient error: Durable Functions extension replied with HTTP 404 response. ' +
      'This usually means we could not find any data associated with the instanceId provided: capture-vm-1-0123456789abcdef.',
  },
  instanceExists: { writer: 'Durable extension', sample: instanceExistsText('Running') },
  hostException: {
    writer: 'Functions host',
    sample: hostExceptionText(
      withCode('ARM_THROTTLED', 'throttled'),
      'RetriableActivityError: …\n    at run',
    ),
  },
  activityFailure: {
    writer: 'Durable extension',
    sample: activityFailureReason(
      'createCapture',
      hostExceptionText(withCode('ARM_THROTTLED', 'throttled'), ''),
    ),
  },
  codeInMessage: { writer: 'this app', sample: withCode('ARM_THROTTLED', 'throttled') },
};
