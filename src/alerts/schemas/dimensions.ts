import type { TargetCandidate } from '../alertFacts';
import { jsonPointer } from '../jsonPointer';

// Dimensions that carry an ARM id: multi-resource metric rules (`microsoft.resourceId`) and log
// search rules split by resource (`_ResourceId`, `ResourceId`). `ResourceId` can also be a GUID,
// so only values shaped like a path are taken.
const RESOURCE_ID_DIMENSIONS = new Set(['microsoft.resourceid', '_resourceid', 'resourceid']);

/**
 * The resource-id dimensions of a metric or log search condition (`condition.allOf[].dimensions[]`).
 * The alert context differs by monitoring service, so it is walked defensively: anything not
 * shaped as expected is skipped rather than refused.
 */
export function resourceIdDimensions(condition: unknown, base: string): TargetCandidate[] {
  const allOf = objectOf(condition)?.allOf;
  if (!Array.isArray(allOf)) return [];
  const found: TargetCandidate[] = [];
  allOf.forEach((criterion: unknown, i) => {
    const dimensions = objectOf(criterion)?.dimensions;
    if (!Array.isArray(dimensions)) return;
    dimensions.forEach((dimension: unknown, j) => {
      const { name, value } = objectOf(dimension) ?? {};
      if (typeof name !== 'string' || typeof value !== 'string') return;
      if (!RESOURCE_ID_DIMENSIONS.has(name.toLowerCase()) || !value.startsWith('/')) return;
      found.push({ value, field: base + jsonPointer('allOf', i, 'dimensions', j, 'value') });
    });
  });
  return found;
}

export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
