import { z } from 'zod';

/**
 * An informational text member: any string or number, cut to `max` characters (it travels through
 * orchestration history and into notifications), absent when null.
 */
export function text(max: number) {
  return z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (v === null || v === undefined ? undefined : String(v).slice(0, max)));
}

/** A status word compared without case, mapped to fired/resolved. */
export function alertState(fired: readonly string[], resolved: readonly string[]) {
  const expected = [...fired, ...resolved].join(', ');
  return z.string().transform((v, ctx) => {
    const word = v.toLowerCase();
    if (fired.some((f) => f.toLowerCase() === word)) return 'fired' as const;
    if (resolved.some((r) => r.toLowerCase() === word)) return 'resolved' as const;
    ctx.addIssue({ code: 'custom', message: `expected one of ${expected}` });
    return z.NEVER;
  });
}

/** Custom properties: a string map by contract, parsed loosely (values are checked per key). */
export const customProperties = z.record(z.string(), z.unknown()).nullish();

export const ORIGIN_TEXT = {
  alertId: text(512),
  ruleName: text(260),
  severity: text(16),
  firedAt: text(64),
  description: text(1024),
};
