import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IntakeSettings } from '../../src/alerts/interpretAlert';

export const SUB = '00000000-0000-0000-0000-000000000000';
export const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Compute/virtualMachines/vm-web-01`;
export const STORAGE_ID = `/subscriptions/${SUB}/resourceGroups/rg-capture/providers/Microsoft.Storage/storageAccounts/stcaptures`;

export const SETTINGS: IntakeSettings = {
  ALLOWED_SCOPES: [`/subscriptions/${SUB}/resourceGroups/rg-web`],
  CAPTURE_STORAGE_ACCOUNT_ID: STORAGE_ID,
};

/** A payload that tests reach into and mutate freely, as an alert sender could. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Payload = Record<string, any>;

/** A fresh copy of a payload from test/alerts/fixtures, free to mutate. */
export function fixture(name: string): Payload {
  return JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Payload;
}
