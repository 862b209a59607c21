/**
 * Every error code of the offline stack (the local Durable engine and the dev host), in one place.
 * None of them occurs in Azure, where the Functions host and the Durable extension do this work:
 * the app's own codes are in src/errors/catalog.ts. docs/offline-stack.md documents each one (a
 * test checks it), and no code is in both catalogues.
 */
export const LOCAL_ERROR_CATALOG = {
  ORCHESTRATION_NON_DETERMINISTIC: {
    status: 500,
    retriable: false,
    title: 'An orchestrator replay did not reproduce the actions its history recorded',
  },
  DURABLE_FUNCTION_NOT_FOUND: {
    status: 400,
    retriable: false,
    title: 'Local Durable engine: no orchestrator function with that name is registered',
  },
  DURABLE_INSTANCE_ID_INVALID: {
    status: 400,
    retriable: false,
    title: 'Local Durable engine: the instance id is empty or contains a forbidden character',
  },
  DURABLE_INSTANCE_NOT_FOUND: {
    status: 404,
    retriable: false,
    title: 'Local Durable engine: no orchestration instance with that id',
  },
  DURABLE_INSTANCE_EXISTS: {
    status: 409,
    retriable: false,
    title: 'Local Durable engine: an instance with that id is still pending or running',
  },
  DURABLE_INSTANCE_COMPLETED: {
    status: 410,
    retriable: false,
    title: 'Local Durable engine: the instance has finished and takes no more events',
  },
  DURABLE_INSTANCE_STUCK: {
    status: 500,
    retriable: false,
    title: 'Local Durable engine: nothing is left to run and the awaited condition does not hold',
  },
  DEVHOST_SETUP_INVALID: {
    status: 500,
    retriable: false,
    title: 'Dev host: host.json, the keys file, the task hub name or a start option is invalid',
  },
  DEVHOST_ALREADY_RUNNING: {
    status: 500,
    retriable: false,
    title: 'Dev host: another dev host already runs in this process',
  },
  DEVHOST_STATE_TOO_LARGE: {
    status: 500,
    retriable: false,
    title: 'Dev host: an instance record or history event is too large for a table entity',
  },
  DEVHOST_STATE_CORRUPT: {
    status: 500,
    retriable: false,
    title: 'Dev host: an instance stored in the task hub tables is incomplete or unreadable',
  },
} as const satisfies Record<string, { status: number; retriable: boolean; title: string }>;

export type LocalErrorCode = keyof typeof LOCAL_ERROR_CATALOG;

export interface LocalErrorOptions {
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** An error of the offline stack: a catalogued code, a message a person can act on, details. */
export class LocalError<C extends LocalErrorCode = LocalErrorCode> extends Error {
  override name = 'LocalError';
  readonly code: C;
  readonly details: Record<string, unknown>;

  constructor(code: C, message: string, options: LocalErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  get status(): number {
    return LOCAL_ERROR_CATALOG[this.code].status;
  }

  get retriable(): boolean {
    return LOCAL_ERROR_CATALOG[this.code].retriable;
  }
}
