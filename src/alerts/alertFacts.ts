import type { AlertOrigin, AlertSchema } from '../capture/types';

/** A value in the payload that may name the target resource, with where it was found. */
export interface TargetCandidate {
  value: string;
  /** JSON Pointer of the value in the body. */
  field: string;
}

/** A payload member at a JSON Pointer, before validation. */
export interface RawField {
  value: unknown;
  field: string;
}

/** Capture options located in a payload, not yet validated. */
export interface RawCaptureOptions {
  timeLimitSeconds?: RawField;
  bytesPerPacket?: RawField;
  bytesPerSession?: RawField;
  /** An array of filters, or (from custom properties, which are strings) its JSON text. */
  filters?: RawField;
}

/** What every supported payload boils down to before targets and options are checked. */
export interface AlertFacts {
  schema: AlertSchema;
  state: 'fired' | 'resolved';
  origin: AlertOrigin;
  /** Every id-like value that may name the target, in the payload's order. */
  targets: TargetCandidate[];
  /** The rule's custom properties, where `capture…` options live (absent for the direct request). */
  customProperties?: RawField;
  /** Options given as body members (direct request only). */
  bodyOptions?: RawCaptureOptions;
  /** Resources a direct request pins; checked against the VM and the allow-list before use. */
  pinned?: PinnedResources;
}

export interface PinnedResources {
  /** The subscription the request says the VM and the watcher are in. */
  subscriptionId?: RawField;
  networkWatcher?: { resourceGroup?: RawField; name?: RawField };
  captureName?: RawField;
  storageAccountId?: RawField;
}
