import { AppError } from '../../errors/AppError';
import { validateCaptureFilters, type FilterProblem } from '../../capture/filters';
import { CAPTURE_LIMITS, type LimitName } from '../../capture/limits';
import type { CaptureOptions } from '../../capture/types';
import type { ProblemItem } from '../../http/problem';
import type { RawCaptureOptions, RawField } from '../alertFacts';
import { quote } from '../jsonPointer';

/** This app's cap on filters per capture: enough for any 5-tuple need, small enough for history. */
export const MAX_CAPTURE_FILTERS = 20;
const MAX_LISTED_PROBLEMS = 5;

/**
 * Validates capture options, collecting every problem before refusing: limits must be whole numbers
 * within Network Watcher's ranges, filters must be in its syntax.
 * @throws AppError CAPTURE_FILTER_INVALID when only filter values are wrong, else CAPTURE_OPTION_INVALID.
 */
export function validateCaptureOptions(
  raw: RawCaptureOptions,
  preProblems: ProblemItem[] = [],
): CaptureOptions {
  const problems = [...preProblems];
  const options: CaptureOptions = {};
  for (const name of ['timeLimitSeconds', 'bytesPerPacket', 'bytesPerSession'] as const) {
    const field = raw[name];
    if (field === undefined) continue;
    const value = wholeNumber(field, name, problems);
    if (value !== undefined) options[name] = value;
  }
  let filterProblems: ProblemItem[] = [];
  let filterCause: unknown;
  if (raw.filters !== undefined) {
    const list = filterList(raw.filters, problems);
    if (list !== undefined) {
      try {
        options.filters = validateCaptureFilters(list);
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== 'CAPTURE_FILTER_INVALID') throw error;
        filterCause = error;
        const field = raw.filters.field;
        filterProblems = ((error.details.problems ?? []) as FilterProblem[]).map((p) => ({
          field,
          detail: `filter ${p.filter} ${p.field} ${quote(p.value, 60)}: ${p.problem}`,
        }));
      }
    }
  }
  const all = [...problems, ...filterProblems];
  if (all.length === 0) return options;
  const code = problems.length === 0 ? 'CAPTURE_FILTER_INVALID' : 'CAPTURE_OPTION_INVALID';
  const hint =
    filterProblems.length > 0
      ? ' Filter values are one value ("10.0.0.4", "443"), one range ("10.0.0.1-10.0.0.9") or a list ("80;443;").'
      : '';
  const listed = all.slice(0, MAX_LISTED_PROBLEMS).map((p) => `${p.field}: ${p.detail}`);
  const more =
    all.length > MAX_LISTED_PROBLEMS ? ` (and ${all.length - MAX_LISTED_PROBLEMS} more in errors)` : '';
  throw new AppError(code, `Invalid capture options: ${listed.join('; ')}${more}.${hint}`, {
    details: { field: all[0]!.field, errors: all },
    cause: filterCause,
  });
}

function wholeNumber(raw: RawField, name: LimitName, problems: ProblemItem[]): number | undefined {
  const { min, max } = CAPTURE_LIMITS[name];
  const { value } = raw;
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d{1,10}$/.test(value)
        ? Number(value)
        : NaN;
  if (Number.isSafeInteger(number) && number >= min && number <= max) return number;
  problems.push({
    field: raw.field,
    detail: `${quote(value, 40)} must be a whole number from ${min} to ${max}`,
  });
  return undefined;
}

function filterList(raw: RawField, problems: ProblemItem[]): unknown[] | undefined {
  let value = raw.value;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      problems.push({
        field: raw.field,
        detail: 'must be a JSON array of filters, e.g. [{"protocol":"TCP","remotePort":"443"}]',
      });
      return undefined;
    }
  }
  if (!Array.isArray(value)) {
    problems.push({ field: raw.field, detail: 'must be an array of filters' });
    return undefined;
  }
  if (value.length > MAX_CAPTURE_FILTERS) {
    problems.push({
      field: raw.field,
      detail: `has ${value.length} filters; at most ${MAX_CAPTURE_FILTERS} are accepted`,
    });
    return undefined;
  }
  return value;
}
