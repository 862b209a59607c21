import { CAPTURE_INSTANCE_ID_PREFIX, captureInstanceId } from '../alerts/instanceId';
import { AppError } from '../errors/AppError';
import { CAPTURE_ON_ALERT_ORCHESTRATOR } from '../orchestrators/contract';
import { isResourceType, parseArmResourceId } from '../security/armResourceId';

const RUNTIME_STATUSES = ['Pending', 'Running', 'Suspended', 'Completed', 'Failed', 'Terminated'] as const;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const RUN_HASH_LENGTH = 16;
const RUN_HASH = new RegExp(`^[0-9a-f]{${RUN_HASH_LENGTH}}$`);

/** What `GET /api/captures` was asked for. */
export interface ListQuery {
  /** The exact run id (the VM given by resource id), or the `capture-<name>-` prefix (by name). */
  vm?: { instanceId: string } | { prefix: string };
  statuses?: string[];
  since?: Date;
  limit: number;
}

/**
 * Reads `vm` (a VM resource id, or a VM name), `status` (comma-separated runtime statuses, any
 * case), `since` (ISO 8601 creation time) and `limit` (1-500, default 50).
 * @throws AppError REQUEST_INVALID naming the parameter.
 */
export function listQueryFrom(query: URLSearchParams): ListQuery {
  const vm = query.get('vm')?.trim();
  const status = query.get('status')?.trim();
  const since = query.get('since')?.trim();
  const limit = query.get('limit')?.trim();
  return {
    ...(vm ? { vm: vmFilter(vm) } : {}),
    ...(status ? { statuses: statusFilter(status) } : {}),
    ...(since ? { since: sinceFilter(since) } : {}),
    limit: limit ? limitOf(limit) : DEFAULT_LIMIT,
  };
}

/** The instance id prefix the Durable extension filters on: the narrowest the query allows. */
export function instanceIdPrefixOf(query: ListQuery): string {
  if (!query.vm) return CAPTURE_INSTANCE_ID_PREFIX;
  return 'instanceId' in query.vm ? query.vm.instanceId : query.vm.prefix;
}

/** Whether a status belongs to a capture run that the query asks for. */
export function matchesRunFilter(status: { name: string; instanceId: string }, query: ListQuery): boolean {
  if (status.name !== CAPTURE_ON_ALERT_ORCHESTRATOR) return false;
  if (!query.vm) return true;
  if ('instanceId' in query.vm) return status.instanceId === query.vm.instanceId;
  const { prefix } = query.vm;
  return status.instanceId.startsWith(prefix) && RUN_HASH.test(status.instanceId.slice(prefix.length));
}

function vmFilter(vm: string): NonNullable<ListQuery['vm']> {
  if (vm.startsWith('/')) {
    const parsed = parseArmResourceId(vm);
    if (!parsed.ok || !isResourceType(parsed.value, 'Microsoft.Compute/virtualMachines')) {
      throw invalid('vm', 'vm must be a virtual machine resource id or a VM name.');
    }
    return { instanceId: captureInstanceId(parsed.value) };
  }
  if (!/^[A-Za-z0-9._()-]{1,64}$/.test(vm)) throw invalid('vm', 'vm is not a virtual machine name.');
  // Every VM of that name, in any group: the run id without its hash of the whole resource id.
  const anyVmOfThatName = captureInstanceId({ key: '', names: [vm] });
  return { prefix: anyVmOfThatName.slice(0, anyVmOfThatName.length - RUN_HASH_LENGTH) };
}

function statusFilter(text: string): string[] {
  return text.split(',').map((word) => {
    const match = RUNTIME_STATUSES.find((s) => s.toLowerCase() === word.trim().toLowerCase());
    if (!match) {
      throw invalid(
        'status',
        `status "${word.trim().slice(0, 40)}" is not one of ${RUNTIME_STATUSES.join(', ')}.`,
      );
    }
    return match;
  });
}

function sinceFilter(text: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.exec(text);
  const date = match ? new Date(text) : undefined;
  // Date parsing rolls an impossible day over (2025-02-30 becomes March 2): check the calendar date.
  const [year, month, day] = (match ?? []).slice(1, 4).map(Number);
  const calendar = new Date(Date.UTC(year ?? NaN, (month ?? NaN) - 1, day ?? NaN));
  if (
    !date ||
    Number.isNaN(date.getTime()) ||
    calendar.getUTCDate() !== day ||
    calendar.getUTCMonth() + 1 !== month
  ) {
    throw invalid('since', 'since must be an ISO 8601 date or time (2025-01-31 or 2025-01-31T16:00:00Z).');
  }
  return date;
}

function limitOf(text: string): number {
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT)) {
    throw invalid('limit', `limit must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  return limit;
}

function invalid(field: string, message: string): AppError {
  return new AppError('REQUEST_INVALID', message, { details: { field } });
}
