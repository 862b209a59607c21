/**
 * The speed-up of the offline stack's clocks: DEVHOST_TIME_SCALE (OFFLINE_CLOCK_FACTOR is the
 * emulator's older name for the same thing). Durable timers and capture sessions share it, so a
 * capture ends when the orchestration expects it to.
 */
export function timeScaleFromEnv(env: Record<string, string | undefined> = process.env): number {
  const name = env.DEVHOST_TIME_SCALE !== undefined ? 'DEVHOST_TIME_SCALE' : 'OFFLINE_CLOCK_FACTOR';
  const text = env[name];
  if (text === undefined || text.trim() === '') return 1;
  const scale = Number(text);
  if (!(scale > 0 && scale <= 100_000)) {
    throw new RangeError(
      `${name} must be a number above 0 and at most 100000 (1 = real time), got '${text}'.`,
    );
  }
  return scale;
}
