/** The ranges Network Watcher accepts for a (non-continuous) capture session. */
export const CAPTURE_LIMITS = {
  timeLimitSeconds: { min: 1, max: 18000 },
  bytesPerPacket: { min: 0, max: 4294967295 },
  bytesPerSession: { min: 1, max: 4294967295 },
} as const;

export type LimitName = keyof typeof CAPTURE_LIMITS;

export interface CaptureLimits {
  timeLimitSeconds: number;
  bytesPerPacket: number;
  bytesPerSession: number;
}

/** A requested value that was changed to fit the API, reported to operators. */
export interface LimitAdjustment {
  field: LimitName;
  requested: number;
  used: number;
}

export interface ResolvedLimits {
  limits: CaptureLimits;
  adjustments: LimitAdjustment[];
}

/**
 * The limits a capture is created with: the request's values, else the app's defaults, each
 * rounded down to an integer and clamped into the API's range (with a note of what changed)
 * rather than refused, because an alert cannot be asked to try again with other values.
 */
export function resolveCaptureLimits(
  options: Partial<CaptureLimits>,
  defaults: CaptureLimits,
): ResolvedLimits {
  const adjustments: LimitAdjustment[] = [];
  const pick = (field: LimitName): number => {
    const requested = options[field] ?? defaults[field];
    const { min, max } = CAPTURE_LIMITS[field];
    const used = Number.isFinite(requested)
      ? Math.min(max, Math.max(min, Math.floor(requested)))
      : defaults[field];
    if (used !== requested) adjustments.push({ field, requested, used });
    return used;
  };
  return {
    limits: {
      timeLimitSeconds: pick('timeLimitSeconds'),
      bytesPerPacket: pick('bytesPerPacket'),
      bytesPerSession: pick('bytesPerSession'),
    },
    adjustments,
  };
}
