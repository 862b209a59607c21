import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Liquid } from 'liquidjs';
import { TAB_TEMPLATES_DIR } from '../../../scripts/dfmon/tabTemplates';
import type { DfmonModel } from './dfmonModel';

export const CAPTURE_TAB = 'Capture.captureOnAlert.liquid';

export function tabSource(name = CAPTURE_TAB): string {
  return readFileSync(join(TAB_TEMPLATES_DIR, name), 'utf8');
}

/**
 * Renders a tab as DfMon does, with liquidjs standing in for Fluid: the model's members at the
 * top level, no output encoding (Fluid's default), and an unknown filter is an error rather than
 * a silent no-op.
 */
export function renderTab(source: string, model: DfmonModel): string {
  const liquid = new Liquid({ strictFilters: true });
  return liquid.parseAndRenderSync(source, model as unknown as Record<string, unknown>) as string;
}

/** The cells of each row of the table with that id, as text (tags dropped, entities decoded). */
export function tableRows(html: string, id: string): string[][] {
  const table = new RegExp(`<table id="${id}">([\\s\\S]*?)</table>`).exec(html);
  if (!table) throw new Error(`no table with id ${id} in the rendered tab`);
  return [...table[1]!.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => textOf(cell[1]!)),
  );
}

/** Rows of a two-column table as a map from heading to value. */
export function tableFields(html: string, id: string): Map<string, string> {
  return new Map(tableRows(html, id).map(([heading, value]) => [heading ?? '', value ?? '']));
}

/** Text of an element by id (tags dropped, entities decoded), or undefined. */
export function elementText(html: string, id: string): string | undefined {
  const element = new RegExp(`<(\\w+)[^>]* id="${id}"[^>]*>([\\s\\S]*?)</\\1>`).exec(html);
  return element ? textOf(element[2]!) : undefined;
}

export function textOf(fragment: string): string {
  return fragment
    .replace(/<[^>]*>/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_entity, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}
