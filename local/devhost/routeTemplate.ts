import { DevHostError } from './DevHostError';

/**
 * HTTP trigger route templates as the Functions host reads them (ASP.NET Core syntax): literal
 * segments, `{name}`, `{name?}`, `{name:constraint}`, `{name=default}` and a final `{*name}`.
 * A segment mixing literal text and a parameter is not supported here.
 */
export interface RouteTemplate {
  template: string;
  segments: Segment[];
  /** Orders templates the way ASP.NET does: literal segments before parameters, catch-all last. */
  precedence: number[];
}

type Segment =
  | { kind: 'literal'; text: string }
  | {
      kind: 'parameter';
      name: string;
      optional: boolean;
      catchAll: boolean;
      defaultValue?: string;
      constraints: Array<(value: string) => boolean>;
    };

const CONSTRAINTS: Record<string, (value: string) => boolean> = {
  int: (v) => /^-?\d+$/.test(v) && Math.abs(Number(v)) <= 2 ** 31,
  long: (v) => /^-?\d+$/.test(v),
  bool: (v) => /^(true|false)$/i.test(v),
  guid: (v) => /^\{?[0-9a-f]{8}-?([0-9a-f]{4}-?){3}[0-9a-f]{12}\}?$/i.test(v),
  alpha: (v) => /^[a-z]+$/i.test(v),
  double: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  float: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  decimal: (v) => v.trim() !== '' && Number.isFinite(Number(v)),
  datetime: (v) => !Number.isNaN(Date.parse(v)),
};

const PARAMETER = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)((?::[A-Za-z]+(?:\([^)]*\))?)*)(\?)?(?:=([^}]*))?\}$/;

export function parseRouteTemplate(template: string): RouteTemplate {
  const text = template.replace(/^\/+|\/+$/g, '');
  const segments: Segment[] = text === '' ? [] : text.split('/').map((part) => parseSegment(part, template));
  segments.forEach((segment, index) => {
    if (segment.kind === 'parameter' && segment.catchAll && index !== segments.length - 1) {
      throw invalidRoute(template, 'a catch-all parameter must be the last segment');
    }
  });
  const precedence = segments.map((segment) => {
    if (segment.kind === 'literal') return 0;
    if (segment.catchAll) return 4;
    if (segment.optional || segment.defaultValue !== undefined) return 3;
    return segment.constraints.length > 0 ? 1 : 2;
  });
  return { template, segments, precedence };
}

function parseSegment(part: string, template: string): Segment {
  if (!part.includes('{') && !part.includes('}')) {
    if (part === '') throw invalidRoute(template, 'empty segment');
    return { kind: 'literal', text: part };
  }
  const match = PARAMETER.exec(part);
  if (!match) {
    throw invalidRoute(template, `segment '${part}' must be literal text or a single {parameter}`);
  }
  const [, star, name, constraintText, question, defaultValue] = match;
  const constraints = (constraintText ?? '')
    .split(':')
    .filter(Boolean)
    .map((spec) => parseConstraint(spec, template));
  return {
    kind: 'parameter',
    name: name!,
    optional: question === '?' || star === '*',
    catchAll: star === '*',
    defaultValue,
    constraints,
  };
}

function parseConstraint(spec: string, template: string): (value: string) => boolean {
  const [, name, argText] = /^([A-Za-z]+)(?:\(([^)]*)\))?$/.exec(spec) ?? [];
  const args = argText === undefined ? [] : argText.split(',').map((a) => Number(a.trim()));
  const simple = name === undefined ? undefined : CONSTRAINTS[name.toLowerCase()];
  if (simple && args.length === 0) return simple;
  const [a = NaN, b = NaN] = args;
  switch (name?.toLowerCase()) {
    case 'min':
      return (v) => Number(v) >= a;
    case 'max':
      return (v) => Number(v) <= a;
    case 'range':
      return (v) => Number(v) >= a && Number(v) <= b;
    case 'minlength':
      return (v) => v.length >= a;
    case 'maxlength':
      return (v) => v.length <= a;
    case 'length':
      return args.length === 2 ? (v) => v.length >= a && v.length <= b : (v) => v.length === a;
    default:
      throw invalidRoute(template, `route constraint '${spec}' is not supported by the dev host`);
  }
}

function invalidRoute(template: string, problem: string): DevHostError {
  return new DevHostError('DEVHOST_SETUP_INVALID', `HTTP trigger route '${template}': ${problem}.`, {
    details: { route: template, problem },
  });
}

/**
 * Matches decoded path segments (below the route prefix) against a template. Literals match
 * case-insensitively. Returns the parameters, without the optional ones that were not given.
 */
export function matchRoute(route: RouteTemplate, pathSegments: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < route.segments.length; i++) {
    const segment = route.segments[i]!;
    const value = pathSegments[i];
    if (segment.kind === 'literal') {
      if (value === undefined || value.toLowerCase() !== segment.text.toLowerCase()) return undefined;
      continue;
    }
    if (segment.catchAll) {
      const rest = pathSegments.slice(i).join('/');
      if (rest !== '') params[segment.name] = rest;
      else if (segment.defaultValue !== undefined) params[segment.name] = segment.defaultValue;
      return params;
    }
    if (value === undefined) {
      if (segment.defaultValue !== undefined) params[segment.name] = segment.defaultValue;
      else if (!segment.optional) return undefined;
      continue;
    }
    if (!segment.constraints.every((accepts) => accepts(value))) return undefined;
    params[segment.name] = value;
  }
  return pathSegments.length <= route.segments.length ? params : undefined;
}

/** Sorts templates so that the first match is the one ASP.NET routing would pick. */
export function compareRoutes(a: RouteTemplate, b: RouteTemplate): number {
  const length = Math.max(a.precedence.length, b.precedence.length);
  for (let i = 0; i < length; i++) {
    const diff = (a.precedence[i] ?? -1) - (b.precedence[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
