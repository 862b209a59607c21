import type { EmulatorAdminClient } from '../../../local/emulator/adminClient';
import type { RequestRecord, RequestStats, SessionInfo } from '../../../local/emulator/types';

/**
 * Follows the emulator's request log and capture sessions while a campaign runs. The emulator
 * keeps only its latest 2,000 requests, so the ledger reads it often and appends what is new
 * (told apart by the per-route totals); `lost` says if a read came too late to see everything.
 * Sessions are remembered after the app deletes them, with the last state seen.
 */
/** A request as the ledger read it: `seenAtMs` is when its answer was in the log, at the latest. */
export interface LedgerRecord extends RequestRecord {
  seenAtMs: number;
}

export class EmulatorLedger {
  readonly requests: LedgerRecord[] = [];
  readonly sessions = new Map<string, SessionInfo>();
  /** The most sessions seen running (or about to start) at once, in any one read. */
  maxActiveSessions = 0;
  lost = 0;
  private seen = 0;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();

  constructor(
    private readonly admin: EmulatorAdminClient,
    private readonly intervalMs = 200,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.reading = this.reading.then(() => this.read()).catch(() => undefined);
    }, this.intervalMs);
  }

  /** Stops following after one last read. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.reading;
    await this.read();
  }

  /** Successful creates (PUT answered 201) of each capture name, lower-cased. */
  createdCaptures(): Map<string, RequestRecord[]> {
    const created = new Map<string, RequestRecord[]>();
    for (const record of this.requests) {
      if (record.route !== 'create' || record.status !== 201) continue;
      const name = record.path.split('/').at(-1)!.toLowerCase();
      created.set(name, [...(created.get(name) ?? []), record]);
    }
    return created;
  }

  /** The last state seen of the capture of that name. */
  sessionNamed(name: string): SessionInfo | undefined {
    return [...this.sessions.values()].find((s) => s.name.toLowerCase() === name.toLowerCase());
  }

  /** Requests answered with an injected fault, per kind (`timeout`: held longer than `timeoutMs`). */
  faultsByKind(timeoutMs: number): Record<string, number> {
    const faults: Record<string, number> = {};
    for (const record of this.requests) {
      if (!record.fault || record.route === 'blobUpload') continue;
      const kind =
        record.fault === 'slow' && record.seenAtMs - record.atMs > timeoutMs ? 'timeout' : record.fault;
      faults[kind] = (faults[kind] ?? 0) + 1;
    }
    return faults;
  }

  private async read(): Promise<void> {
    const [stats, sessions] = await Promise.all([this.admin.requests(), this.admin.sessions()]);
    this.append(stats);
    for (const session of sessions) this.sessions.set(session.id.toLowerCase(), session);
    const active = sessions.filter((s) => s.status === 'NotStarted' || s.status === 'Running').length;
    this.maxActiveSessions = Math.max(this.maxActiveSessions, active);
  }

  private append(stats: RequestStats): void {
    const total = Object.values(stats.counts).reduce((sum, count) => sum + (count?.requests ?? 0), 0);
    const fresh = total - this.seen;
    if (fresh <= 0) return;
    if (fresh > stats.recent.length) this.lost += fresh - stats.recent.length;
    const seenAtMs = Date.now();
    for (const record of stats.recent.slice(-Math.min(fresh, stats.recent.length))) {
      this.requests.push({ ...record, seenAtMs });
    }
    this.seen = total;
  }
}
