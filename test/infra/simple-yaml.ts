/**
 * Reads the subset of YAML that azure.yaml uses: nested mappings of plain scalars, comments.
 * Anything else (lists, flow style, multi-line strings) is refused rather than misread.
 */
export type YamlMap = { [key: string]: string | YamlMap };

export function readSimpleYaml(source: string): YamlMap {
  const root: YamlMap = {};
  const stack: { indent: number; map: YamlMap }[] = [{ indent: -1, map: root }];
  for (const [index, raw] of source.split('\n').entries()) {
    const line = raw.replace(/\s+#.*$/, '').replace(/^\s*#.*$/, '');
    if (line.trim() === '') continue;
    const m = /^( *)([A-Za-z0-9_.-]+):(?: +(.*))?$/.exec(line);
    if (!m) throw new Error(`line ${index + 1}: not a "key: value" mapping line: ${raw}`);
    const indent = (m[1] as string).length;
    while ((stack[stack.length - 1] as { indent: number }).indent >= indent) stack.pop();
    const parent = (stack[stack.length - 1] as { map: YamlMap }).map;
    const value = m[3]?.trim();
    if (value === undefined || value === '') {
      const child: YamlMap = {};
      parent[m[2] as string] = child;
      stack.push({ indent, map: child });
    } else {
      if (/^[[{|>&*!]/.test(value)) throw new Error(`line ${index + 1}: unsupported YAML value ${value}`);
      parent[m[2] as string] = value.replace(/^(['"])(.*)\1$/, '$2');
    }
  }
  return root;
}
