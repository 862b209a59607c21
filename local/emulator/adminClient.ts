import { Agent, request } from 'node:https';
import type {
  ClockState,
  CreateNamespaceRequest,
  FaultSet,
  NamespaceInfo,
  NamespaceSettings,
  RequestStats,
  SessionInfo,
  VmSpec,
} from './types';

export interface EmulatorAdminClientOptions {
  /** The emulator's base URL, e.g. https://127.0.0.1:8443. */
  url: string;
  /** The emulator's certificate: the only one this client trusts. */
  certPem: string;
  /** Namespace the per-namespace calls address. Default: `default`. */
  namespace?: string;
}

/** Raised when the admin API answers with an error. */
export class EmulatorAdminError extends Error {
  override name = 'EmulatorAdminError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A typed client of the emulator's `/_admin` API, bound to one namespace. */
export class EmulatorAdminClient {
  readonly namespace: string;
  private readonly agent: Agent;

  constructor(private readonly options: EmulatorAdminClientOptions) {
    this.namespace = options.namespace ?? 'default';
    this.agent = new Agent({ ca: options.certPem, keepAlive: false });
  }

  /** The same emulator, addressing another namespace. */
  forNamespace(namespace: string): EmulatorAdminClient {
    return new EmulatorAdminClient({ ...this.options, namespace });
  }

  health(): Promise<{ status: string }> {
    return this.call('GET', '/_admin/health');
  }

  /** Creates a namespace and returns a client bound to it along with its description. */
  async createNamespace(
    create: CreateNamespaceRequest,
  ): Promise<{ client: EmulatorAdminClient; info: NamespaceInfo }> {
    const info = await this.call<NamespaceInfo>('POST', '/_admin/namespaces', create);
    return { client: this.forNamespace(info.name), info };
  }

  listNamespaces(): Promise<NamespaceInfo[]> {
    return this.call('GET', '/_admin/namespaces');
  }

  deleteNamespace(): Promise<void> {
    return this.call('DELETE', this.path(''));
  }

  info(): Promise<NamespaceInfo> {
    return this.call('GET', this.path(''));
  }

  /** Back to the namespace's initial state: inventory, clock, settings, faults; no captures, no counts. */
  reset(): Promise<NamespaceInfo> {
    return this.call('POST', this.path('/reset'), {});
  }

  updateSettings(patch: Partial<NamespaceSettings>): Promise<NamespaceInfo> {
    return this.call('PATCH', this.path('/settings'), patch);
  }

  clock(): Promise<ClockState> {
    return this.call('GET', this.path('/clock'));
  }

  /** Moves a manual clock forward; sessions that end meanwhile have their files uploaded on return. */
  advanceClock(ms: number): Promise<ClockState> {
    return this.call('POST', this.path('/clock/advance'), { ms });
  }

  setClock(time: Date | number | string): Promise<ClockState> {
    return this.call('POST', this.path('/clock/set'), {
      time: time instanceof Date ? time.toISOString() : time,
    });
  }

  addFaults(faults: FaultSet): Promise<FaultSet> {
    return this.call('POST', this.path('/faults'), faults);
  }

  faults(): Promise<FaultSet> {
    return this.call('GET', this.path('/faults'));
  }

  clearFaults(): Promise<void> {
    return this.call('DELETE', this.path('/faults'));
  }

  sessions(): Promise<SessionInfo[]> {
    return this.call('GET', this.path('/sessions'));
  }

  /** Adds VMs (or updates those with the same subscription, group and name). */
  upsertVms(vms: VmSpec[]): Promise<{ id: string; name: string; nicId: string; vmId: string }[]> {
    return this.call('PUT', this.path('/vms'), vms);
  }

  requests(): Promise<RequestStats> {
    return this.call('GET', this.path('/requests'));
  }

  clearRequests(): Promise<void> {
    return this.call('DELETE', this.path('/requests'));
  }

  private path(rest: string): string {
    return `/_admin/namespaces/${encodeURIComponent(this.namespace)}${rest}`;
  }

  private call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    return new Promise<T>((resolve, reject) => {
      const req = request(
        new URL(path, this.options.url),
        {
          method,
          agent: this.agent,
          headers: payload
            ? { 'content-type': 'application/json', 'content-length': String(payload.length) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const parsed = text ? (JSON.parse(text) as unknown) : undefined;
            const status = res.statusCode ?? 0;
            if (status >= 400) {
              const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
              reject(
                new EmulatorAdminError(
                  status,
                  error?.code ?? 'Unknown',
                  `${method} ${path}: ${error?.message ?? text}`,
                ),
              );
            } else resolve(parsed as T);
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }
}
