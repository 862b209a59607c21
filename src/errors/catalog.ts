/**
 * Every error code the app produces, in one place. `docs/errors.md` documents each one (a test
 * checks it). The offline stack's own codes are in local/errors.ts. `retriable` tells the orchestrator whether running the same step again can help;
 * `status` is the HTTP status used when the error answers a request.
 */
export const ERROR_CATALOG = {
  CONFIG_INVALID: {
    // 503 so that Azure Monitor retries the alert while someone fixes the setting.
    status: 503,
    retriable: true,
    title: 'One or more app settings are missing or malformed',
  },
  ACTIVITY_INPUT_INVALID: {
    status: 400,
    retriable: false,
    title: 'An activity was called with an input it cannot use',
  },
  INTERNAL_ERROR: {
    status: 500,
    retriable: false,
    title: 'An unexpected error; the details carry the original error',
  },
  ARM_THROTTLED: {
    status: 429,
    retriable: true,
    title: 'Azure Resource Manager throttled the request (429); retry after the advertised delay',
  },
  ARM_UNAVAILABLE: {
    status: 503,
    retriable: true,
    title: 'Azure Resource Manager failed or did not answer (5xx, timeout, connection error)',
  },
  ARM_FORBIDDEN: {
    status: 403,
    retriable: false,
    title: "The app's identity is not allowed to perform an Azure operation",
  },
  PERMISSIONS_NOT_EFFECTIVE: {
    status: 403,
    // Not retried by the step's retry policy: the run waits for it with its own timers, up to the
    // end of PERMISSION_GRACE_SECONDS, and reports the wait.
    retriable: false,
    title:
      "Azure refused the app's identity shortly after the app started: role assignments not yet in effect",
  },
  ARM_REQUEST_REJECTED: {
    status: 400,
    retriable: false,
    title: 'Azure Resource Manager rejected the request as invalid',
  },
  ARM_CONFLICT: {
    status: 409,
    retriable: true,
    title: 'Azure Resource Manager reported a conflicting operation in progress',
  },
  NETWORK_INTERFACE_UNREADABLE: {
    // A warning, never the outcome: the addresses only feed the report.
    status: 403,
    retriable: false,
    title: 'A network interface of the VM could not be read; the report lacks its addresses',
  },
  VM_NOT_FOUND: {
    status: 404,
    retriable: false,
    title: 'The target virtual machine does not exist',
  },
  VM_NOT_RUNNING: {
    status: 409,
    retriable: false,
    title: 'The target virtual machine is not running',
  },
  NETWORK_WATCHER_NOT_FOUND: {
    status: 404,
    retriable: false,
    title: "No Network Watcher serves the virtual machine's region",
  },
  AGENT_EXTENSION_MISSING: {
    status: 424,
    retriable: false,
    title: 'The Network Watcher agent extension is not installed on the virtual machine',
  },
  AGENT_EXTENSION_FAILED: {
    status: 424,
    retriable: false,
    title: 'The Network Watcher agent extension is installed but not healthy',
  },
  AGENT_EXTENSION_PENDING: {
    status: 503,
    retriable: true,
    title: 'The Network Watcher agent extension is still being installed',
  },
  CAPTURE_FILTER_INVALID: {
    status: 400,
    retriable: false,
    title: 'A capture filter is not in a form Network Watcher accepts',
  },
  CAPTURE_NAME_CONFLICT: {
    status: 409,
    retriable: false,
    title: 'A different capture with the same name is still running',
  },
  CAPTURE_NOT_FOUND: {
    status: 404,
    retriable: false,
    title: 'The packet capture does not exist (deleted or never created)',
  },
  CAPTURE_PROVISIONING_FAILED: {
    status: 502,
    retriable: false,
    title: 'Network Watcher could not provision the packet capture',
  },
  CAPTURE_PROVISIONING_PENDING: {
    status: 503,
    retriable: true,
    title: 'The packet capture did not finish provisioning in time',
  },
  CAPTURE_SLOT_TIMEOUT: {
    status: 503,
    retriable: false,
    title: 'No capture session slot became free within CAPTURE_SLOT_WAIT_SECONDS',
  },
  CAPTURE_SESSIONS_EXHAUSTED: {
    // Not retried as a step: the run waits for a slot with its own timers, up to CAPTURE_SLOT_WAIT_SECONDS.
    status: 503,
    retriable: false,
    title: "Network Watcher refused the capture: the watcher's session limit is reached",
  },
  CAPTURE_FAILED: {
    status: 502,
    retriable: false,
    title: 'Network Watcher reported the packet capture ended in error',
  },
  CAPTURE_NOT_STARTED: {
    status: 504,
    retriable: false,
    title: 'The packet capture ended without ever starting',
  },
  CAPTURE_DEADLINE_EXCEEDED: {
    status: 504,
    retriable: false,
    title: 'The packet capture did not end by its deadline',
  },
  RUN_CANCELLED: {
    status: 409,
    retriable: false,
    title: 'The run was stopped before a capture was created',
  },
  CAPTURE_KEPT_UNENDED: {
    status: 409,
    retriable: false,
    title: 'The capture was not known to have ended, so its resource was kept',
  },
  BLOB_LOCATION_INVALID: {
    status: 400,
    retriable: false,
    title: 'The capture storage path is not a blob of the configured capture storage account',
  },
  BLOB_NOT_FOUND: {
    status: 404,
    retriable: true,
    title: 'The capture file is not (yet) in blob storage',
  },
  BLOB_CHANGED: {
    // The run goes back to waiting for the file to settle; it never retries the same read.
    status: 409,
    retriable: false,
    title: 'The capture file changed while it was read: Network Watcher is still writing it',
  },
  BLOB_EMPTY: {
    status: 422,
    retriable: false,
    title: 'The capture file is empty',
  },
  BLOB_NOT_A_CAPTURE: {
    status: 422,
    retriable: false,
    title: 'The capture file is neither pcap nor pcapng',
  },
  CAPTURE_STREAM_FAILED: {
    status: 503,
    retriable: true,
    title: 'The capture file stream failed while it was being read',
  },
  STORAGE_FORBIDDEN: {
    status: 403,
    retriable: false,
    title: "The app's identity is not allowed to read the capture storage",
  },
  STORAGE_UNAVAILABLE: {
    status: 503,
    retriable: true,
    title: 'Blob storage failed or did not answer',
  },
  NOTIFY_TARGET_FAILED: {
    status: 502,
    retriable: false,
    title: 'A notification target did not accept the message',
  },
  ALERT_BODY_TOO_LARGE: {
    status: 413,
    retriable: false,
    title: 'The request body is larger than 256 KB',
  },
  ALERT_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    retriable: false,
    title: 'The request body is not declared as JSON',
  },
  ALERT_NOT_JSON: {
    status: 400,
    retriable: false,
    title: 'The request body is empty or not valid UTF-8 JSON',
  },
  ALERT_SCHEMA_UNKNOWN: {
    status: 400,
    retriable: false,
    title: 'The body is JSON but not an alert schema this app supports',
  },
  ALERT_SCHEMA_INVALID: {
    status: 400,
    retriable: false,
    title: 'A field of a supported alert schema is missing or has the wrong type',
  },
  ALERT_TARGET_MISSING: {
    status: 422,
    retriable: false,
    title: 'The alert names no target resource',
  },
  ALERT_TARGET_INVALID: {
    status: 400,
    retriable: false,
    title: 'A target id in the alert is not a well-formed Azure resource id',
  },
  ALERT_TARGET_NOT_VM: {
    status: 422,
    retriable: false,
    title: 'The alert target is not a virtual machine',
  },
  ALERT_TARGET_AMBIGUOUS: {
    status: 422,
    retriable: false,
    title: 'The alert names more than one virtual machine',
  },
  ALERT_TARGET_NOT_ALLOWED: {
    status: 403,
    retriable: false,
    title: 'The target virtual machine is outside the allowed scopes',
  },
  CAPTURE_OPTION_INVALID: {
    status: 400,
    retriable: false,
    title: 'A capture option in the alert or request is unknown or out of range',
  },
  CAPTURE_STORAGE_NOT_ALLOWED: {
    status: 403,
    retriable: false,
    title: 'The requested capture storage account is not allowed',
  },
  AUTH_TOKEN_MISSING: {
    status: 401,
    retriable: false,
    title: 'Secure webhook: the request carries no bearer token',
  },
  AUTH_TOKEN_INVALID: {
    status: 401,
    retriable: false,
    title: 'Secure webhook: the bearer token was refused',
  },
  AUTH_KEYS_UNAVAILABLE: {
    status: 503,
    retriable: true,
    title: 'Secure webhook: the token signing keys could not be fetched',
  },
  REQUEST_INVALID: {
    status: 400,
    retriable: false,
    title: 'A path segment or query parameter of the request is malformed',
  },
  RUN_NOT_FOUND: {
    status: 404,
    retriable: false,
    title: 'No capture run has this instance id',
  },
  RUN_NOT_RUNNING: {
    status: 409,
    retriable: false,
    title: 'The capture run has already ended',
  },
  RUN_FILE_NOT_READY: {
    status: 409,
    retriable: false,
    title: 'The capture run has no verified capture file',
  },
  DURABLE_UNAVAILABLE: {
    status: 503,
    retriable: true,
    title: 'The Durable Functions backend did not answer as expected',
  },
} as const satisfies Record<string, { status: number; retriable: boolean; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
