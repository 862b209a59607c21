/**
 * The six-field NCRONTAB schedules of Azure Functions timer triggers, `{second} {minute} {hour}
 * {day} {month} {day-of-week}` (functions-bindings-timer, "NCRONTAB expressions"): `*`, values,
 * ranges `a-b`, steps `*\/n` and `a-b/n`, and lists `a,b`, evaluated in UTC (the default when
 * WEBSITE_TIME_ZONE is unset). Month and day names and the TimeSpan form (`hh:mm:ss`, App Service
 * plans only) are not supported; day of month and day of week must both match.
 */
export interface CronSchedule {
  /** The first occurrence strictly after `after`. */
  next(after: Date): Date;
}

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 6 },
] as const;

/** Steps tried before giving up on a schedule that never matches (31 February). */
const MAX_STEPS = 100_000;

export function parseNcrontab(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new RangeError(
      `timer schedule '${expression}' must have six fields: {second} {minute} {hour} {day} {month} {day-of-week}`,
    );
  }
  const [seconds, minutes, hours, days, months, weekdays] = FIELDS.map((field, i) =>
    parseField(parts[i]!, field, expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  return {
    next(after) {
      let t = Math.floor(after.getTime() / 1000) * 1000 + 1000;
      for (let step = 0; step < MAX_STEPS; step += 1) {
        const d = new Date(t);
        const [y, mo, day, h, mi] = [
          d.getUTCFullYear(),
          d.getUTCMonth(),
          d.getUTCDate(),
          d.getUTCHours(),
          d.getUTCMinutes(),
        ];
        if (!months.has(mo + 1)) t = Date.UTC(y, mo + 1, 1);
        else if (!days.has(day) || !weekdays.has(d.getUTCDay())) t = Date.UTC(y, mo, day + 1);
        else if (!hours.has(h)) t = Date.UTC(y, mo, day, h + 1);
        else if (!minutes.has(mi)) t = Date.UTC(y, mo, day, h, mi + 1);
        else if (!seconds.has(d.getUTCSeconds())) t += 1000;
        else return d;
      }
      throw new RangeError(`timer schedule '${expression}' has no occurrence`);
    },
  };
}

function parseField(text: string, field: (typeof FIELDS)[number], expression: string): Set<number> {
  const values = new Set<number>();
  const bad = () =>
    new RangeError(
      `timer schedule '${expression}': '${text}' is not a valid ${field.name} (${field.min}-${field.max})`,
    );
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    let lo: number = field.min;
    let hi: number = field.max;
    if (range !== '*') {
      const [a, b] = range.split('-').map(Number);
      if (a === undefined || !Number.isInteger(a)) throw bad();
      lo = a;
      hi = b === undefined ? (stepText === undefined ? a : field.max) : b;
    }
    // Sunday is 0, and also 7.
    const sundayAsSeven = field.name === 'day of week' && hi === 7 && step === 1;
    if (sundayAsSeven) {
      values.add(0);
      hi = 6;
      if (lo === 7) continue;
    }
    const valid = Number.isInteger(hi) && Number.isInteger(step) && step >= 1;
    if (!valid || lo < field.min || hi > field.max || lo > hi) throw bad();
    for (let v = lo; v <= hi; v += step) values.add(v);
  }
  return values;
}
