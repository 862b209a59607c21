/**
 * Every error code the app produces, in one place. `docs/errors.md` documents each one (a test
 * checks it). `retriable` tells the orchestrator whether running the same step again can help;
 * `status` is the HTTP status used when the error answers a request.
 */
export const ERROR_CATALOG = {
  CONFIG_INVALID: {
    status: 500,
    retriable: false,
    title: 'One or more app settings are missing or malformed',
  },
} as const satisfies Record<string, { status: number; retriable: boolean; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
