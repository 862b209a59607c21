/**
 * Reads what the infra build wrote to dist/infra/ (test/setup/infra.ts builds it when missing):
 * the compiled ARM templates and, per scenario of scripts/infra/scenarios.ts, the resources the
 * ARM engine would deploy (`bicep snapshot`), with every module expanded.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BUILD_DIR } from '../../scripts/infra/build';
import type { ScenarioName } from '../../scripts/infra/scenarios';

export { INFRA_DIR } from '../../scripts/infra/build';
export { SCENARIOS } from '../../scripts/infra/scenarios';

export interface ArmParameter {
  type: string;
  defaultValue?: unknown;
  minValue?: number;
  maxValue?: number;
  allowedValues?: unknown[];
  metadata?: { description?: string };
}

export interface ArmTemplate {
  $schema: string;
  metadata: { _generator: { name: string; version: string } };
  parameters: Record<string, ArmParameter>;
  variables: Record<string, unknown>;
  resources: Record<string, ArmResource> | ArmResource[];
  outputs: Record<string, { type: string; value: unknown }>;
}

export interface ArmResource {
  type: string;
  name: string;
  id?: string;
  apiVersion?: string;
  location?: string;
  kind?: string;
  tags?: Record<string, string>;
  properties?: Record<string, unknown> & { template?: ArmTemplate; parameters?: Record<string, unknown> };
}

export interface Snapshot {
  predictedResources: ArmResource[];
  /** Output values, evaluated where the engine could. */
  outputs: Record<string, unknown>;
}

const read = <T>(file: string): T => JSON.parse(readFileSync(path.join(BUILD_DIR, file), 'utf8')) as T;

export const compiled = (template: 'main' | 'alerting'): ArmTemplate => read(`${template}.json`);
export const snapshot = (scenario: ScenarioName): Snapshot => read(`snapshots/${scenario}.json`);

/** The predicted resources of one type (types compare case-insensitively, as in ARM). */
export function ofType(from: Snapshot, type: string): ArmResource[] {
  return from.predictedResources.filter((r) => r.type.toLowerCase() === type.toLowerCase());
}

/** The single predicted resource of `type` whose name starts with `namePrefix` and ends with `nameSuffix`. */
export function single(from: Snapshot, type: string, nameSuffix = '', namePrefix = ''): ArmResource {
  const found = ofType(from, type).filter(
    (r) => r.name.endsWith(nameSuffix) && r.name.startsWith(namePrefix),
  );
  if (found.length !== 1)
    throw new Error(`expected one ${type} named ${namePrefix}*${nameSuffix}, found ${found.length}`);
  return found[0] as ArmResource;
}

/** Nested deployments (modules) of a compiled template, by deployment name expression. */
export function modulesOf(template: ArmTemplate): ArmResource[] {
  const all = Array.isArray(template.resources) ? template.resources : Object.values(template.resources);
  return all.filter((r) => r.type === 'Microsoft.Resources/deployments');
}
