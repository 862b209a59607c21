import {
  odata,
  TableClient,
  type TableEntity,
  type TableEntityResult,
  type TransactionAction,
} from '@azure/data-tables';
import type { HistoryEvent, InstanceRecord, InstanceStore } from '../durable';
import { DevHostError } from './DevHostError';
import { readTextProperties, textProperties } from './entityText';

export interface TableInstanceStoreOptions {
  /** Storage connection string (Azurite's, or `UseDevelopmentStorage=true`). */
  connectionString: string;
  taskHub: string;
  /** Told about every failed write (the engine itself only keeps the first fault). */
  onWriteError?: (error: unknown, instanceId: string) => void;
}

type Row = TableEntity<Record<string, unknown>>;
type StoredRow = TableEntityResult<Record<string, unknown>>;

const BATCH_LIMIT = 100;
// A batch must stay under 4 MiB; entity text is at most ~0.9 M UTF-16 units, ~2.7 MB as UTF-8.
const BATCH_TEXT_BUDGET = 1_000_000;
const LOAD_CONCURRENCY = 8;
/** Reads of an instance whose execution changed under the read, before giving up. */
const MAX_READ_ATTEMPTS = 5;

const rowKeyOf = (sequence: number): string => sequence.toString(16).toUpperCase().padStart(16, '0');

/**
 * Keeps the engine's instances in two Azure tables named after the task hub: `{hub}DevInstances`
 * (one entity per instance: status columns for people, the whole record as JSON for the host) and
 * `{hub}DevHistory` (one row per history event, RowKey = sequence number, tagged with the execution).
 * History rows are written before the instance row, whose HistoryLength says how many of them
 * count, so a host that dies between the two writes leaves a consistent instance behind.
 */
export class TableInstanceStore implements InstanceStore {
  readonly instancesTable: string;
  readonly historyTable: string;
  private readonly instances: TableClient;
  private readonly history: TableClient;
  /** Per instance, the execution and number of history rows known to be stored. */
  private readonly stored = new Map<string, { executionId: string; length: number }>();
  private fenced = false;

  constructor(private readonly options: TableInstanceStoreOptions) {
    this.instancesTable = `${options.taskHub}DevInstances`;
    this.historyTable = `${options.taskHub}DevHistory`;
    const clientOptions = { allowInsecureConnection: true };
    this.instances = TableClient.fromConnectionString(
      options.connectionString,
      this.instancesTable,
      clientOptions,
    );
    this.history = TableClient.fromConnectionString(
      options.connectionString,
      this.historyTable,
      clientOptions,
    );
  }

  /** Creates the tables when they do not exist yet. */
  async init(): Promise<void> {
    await Promise.all([this.instances.createTable(), this.history.createTable()]);
  }

  /**
   * Stops writing: later puts and deletes are dropped, as if the process had died. A host that is
   * killed fences its store so that work still in flight cannot overwrite what a new host writes.
   */
  fence(): void {
    this.fenced = true;
  }

  async put(record: InstanceRecord): Promise<void> {
    if (this.fenced) return;
    try {
      await this.write(record);
    } catch (error) {
      this.options.onWriteError?.(error, record.instanceId);
      throw error;
    }
  }

  async get(instanceId: string): Promise<InstanceRecord | undefined> {
    const row = await this.instanceRow(instanceId);
    return row && this.loadLatest(row);
  }

  /**
   * The instance of `row` with its history. A new execution (continueAsNew, a restart of the id)
   * rewrites the history rows before its instance row, so a read in between finds its execution's
   * rows gone: the instance row has moved on by then, and is read again. Only a row that stays the
   * same is really corrupt.
   */
  private async loadLatest(first: StoredRow): Promise<InstanceRecord | undefined> {
    let row: StoredRow | undefined = first;
    for (let attempt = 1; row; attempt++) {
      try {
        return await this.load(row);
      } catch (error) {
        const again = await this.instanceRow(row.partitionKey ?? '');
        if (!(error instanceof DevHostError) || attempt >= MAX_READ_ATTEMPTS || again?.etag === row.etag) {
          throw error;
        }
        row = again;
      }
    }
    return undefined;
  }

  private async instanceRow(instanceId: string): Promise<StoredRow | undefined> {
    try {
      return await this.instances.getEntity<Record<string, unknown>>(instanceId, '');
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  async list(): Promise<InstanceRecord[]> {
    const rows: StoredRow[] = [];
    for await (const row of this.instances.listEntities<Record<string, unknown>>()) rows.push(row);
    const records: InstanceRecord[] = [];
    for (let i = 0; i < rows.length; i += LOAD_CONCURRENCY) {
      const loaded = await Promise.all(
        rows.slice(i, i + LOAD_CONCURRENCY).map((row) => this.loadLatest(row)),
      );
      records.push(...loaded.filter((record): record is InstanceRecord => record !== undefined));
    }
    // A host lists its instances when it starts: later writes append to what is stored.
    for (const record of records) {
      this.stored.set(record.instanceId, { executionId: record.executionId, length: record.history.length });
    }
    return records;
  }

  async delete(instanceId: string): Promise<boolean> {
    if (this.fenced) return false;
    const historyRows: Row[] = [];
    const filter = odata`PartitionKey eq ${instanceId}`;
    for await (const row of this.history.listEntities({ queryOptions: { filter, select: ['RowKey'] } })) {
      historyRows.push({ partitionKey: instanceId, rowKey: row.rowKey! });
    }
    for (let i = 0; i < historyRows.length; i += BATCH_LIMIT) {
      await this.history.submitTransaction(
        historyRows.slice(i, i + BATCH_LIMIT).map((row) => ['delete', row]),
      );
    }
    this.stored.delete(instanceId);
    try {
      await this.instances.deleteEntity(instanceId, '');
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  private async write(record: InstanceRecord): Promise<void> {
    const known = this.stored.get(record.instanceId);
    const from =
      known && known.executionId === record.executionId && known.length <= record.history.length
        ? known.length
        : 0;
    await this.writeHistory(record, from);
    const { history: _history, ...state } = record;
    const entity: Row = {
      partitionKey: record.instanceId,
      rowKey: '',
      Name: record.name,
      RuntimeStatus: record.runtimeStatus,
      ExecutionId: record.executionId,
      CreatedTime: record.createdTime,
      LastUpdatedTime: record.lastUpdatedTime,
      HistoryLength: record.history.length,
      ...textProperties('State', JSON.stringify(state), () => `The state of instance '${record.instanceId}'`),
    };
    await this.instances.upsertEntity(entity, 'Replace');
    this.stored.set(record.instanceId, { executionId: record.executionId, length: record.history.length });
  }

  private async writeHistory(record: InstanceRecord, from: number): Promise<void> {
    let batch: TransactionAction[] = [];
    let batchText = 0;
    const flush = async (): Promise<void> => {
      if (batch.length > 0) await this.history.submitTransaction(batch);
      batch = [];
      batchText = 0;
    };
    for (let sequence = from; sequence < record.history.length; sequence++) {
      const event = record.history[sequence]!;
      const json = JSON.stringify(event);
      if (batch.length === BATCH_LIMIT || (batch.length > 0 && batchText + json.length > BATCH_TEXT_BUDGET)) {
        await flush();
      }
      const row: Row = {
        partitionKey: record.instanceId,
        rowKey: rowKeyOf(sequence),
        ExecutionId: record.executionId,
        EventType: event.EventType,
        ...textProperties(
          'Event',
          json,
          () => `History event ${sequence} (type ${event.EventType}) of instance '${record.instanceId}'`,
        ),
      };
      batch.push(['upsert', row, 'Replace']);
      batchText += json.length;
    }
    await flush();
  }

  private async load(row: StoredRow): Promise<InstanceRecord> {
    const instanceId = row.partitionKey ?? '';
    const stateText = readTextProperties(row, 'State');
    const length = row.HistoryLength;
    if (stateText === undefined || typeof length !== 'number') {
      throw corrupt(instanceId, this.instancesTable, 'the instance row lacks its State or HistoryLength');
    }
    const state = parse(stateText, instanceId, this.instancesTable) as Omit<InstanceRecord, 'history'>;
    const events: HistoryEvent[] = [];
    const filter = odata`PartitionKey eq ${instanceId} and ExecutionId eq ${state.executionId}`;
    for await (const event of this.history.listEntities<Record<string, unknown>>({
      queryOptions: { filter },
    })) {
      const sequence = parseInt(event.rowKey ?? '', 16);
      if (sequence >= length) continue; // written by a host that died before its instance row
      const text = readTextProperties(event, 'Event');
      if (text === undefined)
        throw corrupt(instanceId, this.historyTable, `row ${String(event.rowKey)} has no event`);
      events[sequence] = parse(text, instanceId, this.historyTable) as HistoryEvent;
    }
    for (let sequence = 0; sequence < length; sequence++) {
      if (!events[sequence]) {
        throw corrupt(instanceId, this.historyTable, `history event ${sequence} of ${length} is missing`);
      }
    }
    return { ...state, history: events };
  }
}

function parse(text: string, instanceId: string, table: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw corrupt(instanceId, table, 'it holds text that is not JSON', error);
  }
}

function corrupt(instanceId: string, table: string, problem: string, cause?: unknown): DevHostError {
  return new DevHostError(
    'DEVHOST_STATE_CORRUPT',
    `Instance '${instanceId}' in table ${table} cannot be read: ${problem}. Purge it, or delete the task hub tables.`,
    { details: { instanceId, table, problem }, cause },
  );
}
