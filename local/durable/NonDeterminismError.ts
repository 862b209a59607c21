import { LocalError } from '../errors';
import type { ActionDescriptor } from './orchestratorState';

/** Something a replay produced: an action, or the custom status or output of an episode. */
export type ReplayObservation =
  ActionDescriptor | { kind: 'customStatus'; json: string | null } | { kind: 'output'; json: string | null };

export interface NonDeterminismDetails {
  instanceId: string;
  /**
   * Where the replay diverged: a task sequence number, an index in the action list, or (for custom
   * status and output) the history index where the episode began.
   */
  position: { sequenceNumber: number } | { actionIndex: number } | { episodeAt: number };
  /** What the history (or the recorded episode) holds there; null when nothing. */
  expected: ReplayObservation | null;
  /** What this replay produced there; null when nothing. */
  actual: ReplayObservation | null;
}

/**
 * A replay of an orchestrator did not produce what its history recorded: the orchestrator code
 * changed under a running instance, or it reads the clock, random numbers, module state or I/O
 * instead of the orchestration context. The Durable extension fails the instance with
 * "Non-Deterministic workflow detected"; so does the local engine.
 */
export class NonDeterminismError extends LocalError<'ORCHESTRATION_NON_DETERMINISTIC'> {
  override name = 'NonDeterminismError';
  declare readonly details: Record<string, unknown> & NonDeterminismDetails;

  constructor(details: NonDeterminismDetails, reason: string) {
    super(
      'ORCHESTRATION_NON_DETERMINISTIC',
      `Non-Deterministic workflow detected in instance '${details.instanceId}' at ${describePosition(details)}: ` +
        `${reason} (expected ${JSON.stringify(details.expected)}, got ${JSON.stringify(details.actual)}). ` +
        'Orchestrators must take time from context.df.currentUtcDateTime, ids from context.df.newGuid, and do I/O in activities; ' +
        'instances started by older code must finish before the code changes.',
      { details: { ...details } },
    );
  }
}

function describePosition({ position }: NonDeterminismDetails): string {
  if ('sequenceNumber' in position) return `task #${position.sequenceNumber}`;
  if ('actionIndex' in position) return `action #${position.actionIndex}`;
  return `the episode starting at history event ${position.episodeAt}`;
}
