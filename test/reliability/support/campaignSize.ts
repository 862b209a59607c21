/**
 * How big the reliability campaign runs. `npm test` runs the bounded size (well under a minute on
 * two cores); `npm run test:reliability` sets RELIABILITY_SIZE=full for the figures the README
 * quotes. Both sizes run the same code and assert the same things.
 */
export interface CampaignSize {
  name: 'bounded' | 'full';
  vms: number;
  alerts: number;
  /** Share of alerts delivered more than once (an action group's duplicates and retries). */
  duplicateShare: number;
  /** Capture duration asked for in each alert, emulated seconds. */
  captureSeconds: number;
  /** Real milliseconds over which the alerts arrive. */
  stormMs: number;
  /** CAPTURE_SESSION_LIMIT: below the VM count, so that some runs wait for a free slot. */
  sessionLimit: number;
  /** Share of ARM requests, blob reads and notification posts answered with a fault. */
  faultRate: number;
  /** Requests held past the ARM client's 30 s timeout (each costs 30 s of real time). */
  timeouts: number;
  /** Webhook bodies the fuzzer posts. */
  fuzzBodies: number;
  /** Mutated capture files the reader and the verify activity read. */
  fuzzFiles: number;
}

const SIZES: Record<CampaignSize['name'], CampaignSize> = {
  bounded: {
    name: 'bounded',
    vms: 12,
    alerts: 24,
    duplicateShare: 0.3,
    captureSeconds: 240,
    stormMs: 1_500,
    sessionLimit: 4,
    faultRate: 0.2,
    timeouts: 0,
    fuzzBodies: 2_000,
    fuzzFiles: 300,
  },
  full: {
    name: 'full',
    vms: 50,
    alerts: 100,
    duplicateShare: 0.3,
    captureSeconds: 600,
    stormMs: 4_000,
    sessionLimit: 15,
    faultRate: 0.2,
    timeouts: 4,
    fuzzBodies: 12_000,
    fuzzFiles: 3_000,
  },
};

export function campaignSize(env: Record<string, string | undefined> = process.env): CampaignSize {
  const name = env.RELIABILITY_SIZE ?? 'bounded';
  if (name !== 'bounded' && name !== 'full') {
    throw new RangeError(`RELIABILITY_SIZE must be bounded or full, got ${name}`);
  }
  return SIZES[name];
}
