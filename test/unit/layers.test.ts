import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = join(__dirname, '..', '..', 'src');

/**
 * The layers of src/, lowest first. A module imports its own layer and the ones below, never one
 * above: the orchestrator knows the activities' contract, the triggers know the orchestrator's,
 * and nothing below knows the HTTP triggers. The most specific entry names a module's layer.
 */
const LAYERS: Record<string, number> = {
  errors: 0,
  pcap: 0,
  capture: 1,
  http: 1,
  runtime: 1,
  security: 1,
  'config.ts': 2,
  'security/alertToken.ts': 3,
  alerts: 3,
  azure: 3,
  notify: 3,
  activities: 4,
  sweep: 4,
  orchestrators: 5,
  triggers: 6,
  'index.ts': 7,
  'startup.ts': 7,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The modules of src/ a file imports: static imports, type imports, and the lazy `require`s. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [
    ...ts.preProcessFile(text, true, true).importedFiles.map((imported) => imported.fileName),
    ...[...text.matchAll(/\b(?:require|import)\(\s*'([^']+)'\s*\)/g)].map((match) => match[1]!),
  ];
  const targets = specifiers
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => resolve(dirname(file), specifier))
    .map((base) => [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate)))
    .filter((target): target is string => target !== undefined);
  return [...new Set(targets)];
}

function layerOf(file: string): number {
  const path = relative(SRC, file).split('\\').join('/');
  const matches = Object.keys(LAYERS).filter((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  const mostSpecific = matches.sort((a, b) => b.length - a.length)[0];
  if (mostSpecific === undefined) throw new Error(`${path} is in no layer: add its folder to LAYERS`);
  return LAYERS[mostSpecific]!;
}

/** The groups of modules that import each other, directly or around a loop (Tarjan's algorithm). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(relative(SRC, member));
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('the layers of src/', () => {
  const files = sourceFiles(SRC);
  const graph = new Map(files.map((file) => [file, importsOf(file)]));

  it('reads the imports of every module', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(graph.get(join(SRC, 'index.ts'))).toEqual(
      expect.arrayContaining([join(SRC, 'activities', 'index.ts'), join(SRC, 'triggers', 'index.ts')]),
    );
  });

  it('has no import cycle', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('never imports a higher layer', () => {
    const upward = [...graph].flatMap(([file, targets]) =>
      targets
        .filter((target) => layerOf(target) > layerOf(file))
        .map((target) => `${relative(SRC, file)} -> ${relative(SRC, target)}`),
    );
    expect(upward).toEqual([]);
  });
});
