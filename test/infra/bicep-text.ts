/**
 * Just enough of Bicep's lexical structure to check the templates as text (no Bicep compiler runs
 * here): comments, strings with `${}` interpolation, declarations, balanced blocks, object keys.
 * Every function keeps character positions, so a range found in one view can be read in another.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const INFRA_DIR = path.resolve(__dirname, '../../infra');

export interface BicepFile {
  /** Path relative to infra/, with forward slashes. */
  name: string;
  /** The source with comments blanked (string contents kept). */
  text: string;
  /** The source with comments and string contents blanked, `${...}` expressions kept. */
  code: string;
}

export interface ParamDecl {
  name: string;
  type: string;
  hasDefault: boolean;
  secure: boolean;
  /** The decorator lines above the declaration, as written (`@minValue(1)`, `@allowed([...])`). */
  decorators: string[];
  /** The default value's text, if any. */
  defaultText?: string;
  /** Index of the `param` keyword in the file. */
  at: number;
}

export interface ModuleDecl {
  symbol: string;
  /** The referenced file, relative to infra/. */
  target: string;
  /** Keys of the module's `params: { ... }` block. */
  passed: string[];
}

export interface OutputDecl {
  name: string;
  expression: string;
}

/** Blanks comments (and, with `blankStrings`, string contents except interpolations). */
export function blank(source: string, blankStrings: boolean): string {
  const out = source.split('');
  let i = 0;
  const wipe = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  while (i < source.length) {
    if (source.startsWith('//', i)) {
      const end = source.indexOf('\n', i);
      const stop = end === -1 ? source.length : end;
      wipe(i, stop);
      i = stop;
    } else if (source.startsWith('/*', i)) {
      const stop = source.indexOf('*/', i + 2) + 2;
      wipe(i, stop);
      i = stop;
    } else if (source.startsWith("'''", i)) {
      const stop = source.indexOf("'''", i + 3) + 3;
      if (blankStrings) wipe(i + 3, stop - 3);
      i = stop;
    } else if (source[i] === "'") {
      i = skipString(source, i + 1, blankStrings ? wipe : () => undefined);
    } else {
      i++;
    }
  }
  return out.join('');
}

/** Skips a single-quoted string whose opening quote is before `from`; returns the index after it. */
function skipString(source: string, from: number, wipe: (a: number, b: number) => void): number {
  let i = from;
  let literalStart = i;
  while (i < source.length && source[i] !== "'") {
    if (source[i] === '\\') {
      i += 2;
    } else if (source.startsWith('${', i)) {
      wipe(literalStart, i);
      i = matchClose(source, i + 1) + 1;
      literalStart = i;
    } else {
      i++;
    }
  }
  wipe(literalStart, i);
  return i + 1;
}

/** Index of the bracket closing the one at `open`, skipping strings. */
export function matchClose(source: string, open: number): number {
  const pairs: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const stack: string[] = [];
  for (let i = open; i < source.length; i++) {
    const c = source[i] as string;
    if (c === "'") {
      i = skipString(source, i + 1, () => undefined) - 1;
    } else if (c in pairs) {
      stack.push(pairs[c] as string);
    } else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i;
    }
  }
  throw new Error(`unbalanced bracket at ${open}`);
}

export function loadBicep(name: string): BicepFile {
  const source = readFileSync(path.join(INFRA_DIR, name), 'utf8');
  return { name, text: blank(source, false), code: blank(source, true) };
}

export function allBicepFiles(): BicepFile[] {
  const walk = (dir: string): string[] =>
    readdirSync(path.join(INFRA_DIR, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? walk(path.posix.join(dir, entry.name))
        : entry.name.endsWith('.bicep')
          ? [path.posix.join(dir, entry.name)]
          : [],
    );
  return walk('.').map((name) => loadBicep(path.posix.normalize(name)));
}

export function params(file: BicepFile): ParamDecl[] {
  const found: ParamDecl[] = [];
  for (const m of file.code.matchAll(/^[ \t]*param\s+(\w+)\s+(\w+)([ \t]*=)?/gm)) {
    const above = file.text.slice(0, m.index).split('\n').reverse().slice(1);
    const decorators: string[] = [];
    for (const line of above) {
      if (!line.trim().startsWith('@')) break;
      decorators.unshift(line.trim());
    }
    const lineEnd = file.text.indexOf('\n', m.index);
    found.push({
      name: m[1] as string,
      type: m[2] as string,
      hasDefault: Boolean(m[3]),
      secure: decorators.some((d) => d.startsWith('@secure(')),
      decorators,
      defaultText: m[3] ? file.text.slice(m.index + m[0].length, lineEnd).trim() : undefined,
      at: m.index,
    });
  }
  return found;
}

/** Places where `name` is read: not its declaration, not an object key, not a property name. */
export function usages(file: BicepFile, name: string): number[] {
  const hits: number[] = [];
  for (const m of file.code.matchAll(new RegExp(`\\b${name}\\b`, 'g'))) {
    const before = file.code.slice(0, m.index);
    const lineStart = before.lastIndexOf('\n') + 1;
    const lineBefore = before.slice(lineStart);
    const after = file.code.slice(m.index + name.length);
    if (/^\s*(param|var|resource|module|output|func)\s+$/.test(lineBefore)) continue;
    if (/(\.|::)\s*$/.test(lineBefore)) continue;
    const keyPosition = /^\s*$/.test(lineBefore) || /\{\s*$/.test(lineBefore);
    if (keyPosition && /^\s*:/.test(after)) continue;
    hits.push(m.index);
  }
  return hits;
}

/** The text of a `var` declaration's value, possibly spanning several lines. */
export function varValue(file: BicepFile, name: string): { text: string; code: string } {
  const m = new RegExp(`^var\\s+${name}\\s*=`, 'm').exec(file.code);
  if (!m) throw new Error(`${file.name}: no var ${name}`);
  const start = m.index + m[0].length;
  let end = start;
  for (;;) {
    while (end < file.code.length && file.code[end] !== '\n') {
      end = '{[('.includes(file.code[end] as string) ? matchClose(file.code, end) + 1 : end + 1;
    }
    const nextLine = /^[^\n]*/.exec(file.code.slice(end + 1))?.[0] ?? '';
    if (end >= file.code.length || !/^\s*[?:]/.test(nextLine)) break;
    end += 1;
  }
  return { text: file.text.slice(start, end), code: file.code.slice(start, end) };
}

/** Keys at the top level of the `{ ... }` block opening at `open` (one key per line). */
export function topLevelKeys(file: BicepFile, open: number): string[] {
  const close = matchClose(file.code, open);
  const keys: string[] = [];
  let i = open + 1;
  while (i < close) {
    const c = file.code[i] as string;
    if ('{[('.includes(c)) {
      i = matchClose(file.code, i) + 1;
      continue;
    }
    if (c === '\n' || i === open + 1) {
      const rest = file.text.slice(i, close);
      const key = /^\s*('([^']*)'|[A-Za-z_]\w*)\s*:/.exec(rest);
      if (key) keys.push(key[2] ?? key[1]!);
    }
    i++;
  }
  return keys;
}

/** Object keys anywhere in `code`, written at a line start or right after `{`. */
export function objectKeys(code: string): string[] {
  return [...code.matchAll(/(?:^|\{)[ \t]*([A-Za-z_]\w*)[ \t]*:/gm)].map((m) => m[1] as string);
}

export function modules(file: BicepFile): ModuleDecl[] {
  const found: ModuleDecl[] = [];
  for (const m of file.text.matchAll(/^module\s+(\w+)\s+'([^']+)'\s*=/gm)) {
    const bodyOpen = file.code.indexOf('{', m.index + m[0].length);
    const bodyClose = matchClose(file.code, bodyOpen);
    const paramsAt = file.code.slice(bodyOpen, bodyClose).search(/\n\s*params\s*:\s*\{/);
    const passed = paramsAt === -1 ? [] : topLevelKeys(file, file.code.indexOf('{', bodyOpen + paramsAt + 1));
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file.name), m[2] as string));
    found.push({ symbol: m[1] as string, target, passed });
  }
  return found;
}

export function outputs(file: BicepFile): OutputDecl[] {
  return [...file.text.matchAll(/^output\s+(\w+)\s+\w+\s*=\s*(.+)$/gm)].map((m) => ({
    name: m[1] as string,
    expression: m[2] as string,
  }));
}
