import { TokenKind, Tokenizer, type TagToken, type TopLevelToken } from 'liquidjs';
import { describe, expect, it } from 'vitest';
import { CAPTURE_ON_ALERT_ORCHESTRATOR } from '../../src/orchestrators/contract';
import { appOrigin, readTabTemplates, withAppUrl } from '../../scripts/dfmon/tabTemplates';
import { CAPTURE_TAB, tabSource } from './support/tabRendering';

/** Tags of standard Liquid that Fluid (DfMon's renderer) and liquidjs both implement. */
const PORTABLE_TAGS = new Set(
  'assign capture endcapture if elsif else endif unless endunless case when endcase for endfor break continue comment endcomment'.split(
    ' ',
  ),
);

/** Standard filters that Fluid and liquidjs both implement. */
const PORTABLE_FILTERS = new Set(
  (
    'abs append at_least at_most capitalize ceil compact concat default divided_by downcase escape escape_once ' +
    'first floor join last lstrip map minus modulo plus prepend remove replace reverse round rstrip size slice ' +
    'sort split strip strip_html times truncate uniq upcase url_encode'
  ).split(' '),
);

/** Filters whose result is a number: safe to write without `escape`. */
const NUMERIC_FILTERS = new Set(['round', 'times', 'divided_by', 'plus', 'minus', 'size']);

const tokens = new Tokenizer(tabSource()).readTopLevelTokens();
const tags = tokens.filter((token): token is TagToken => token.kind === TokenKind.Tag);
/** `{{ … }}` tokens; liquidjs exports no type of their own for them. */
const outputs = tokens.filter(
  (token): token is TopLevelToken & { content: string } => token.kind === TokenKind.Output,
);

/** The filter names of an expression (quoted strings dropped first, they may hold a `|`). */
function filtersOf(expression: string): string[] {
  const unquoted = expression.replace(/"[^"]*"|'[^']*'/g, '""');
  return unquoted
    .split('|')
    .slice(1)
    .map((part) => /^\s*([a-z_]+)/.exec(part)?.[1] ?? `(unreadable: ${part})`);
}

describe('the Capture tab template', () => {
  it('is named the way DfMon finds it for captureOnAlert: [Tab Name].[orchestration].liquid', () => {
    expect(CAPTURE_TAB).toBe(`Capture.${CAPTURE_ON_ALERT_ORCHESTRATOR}.liquid`);
    expect(readTabTemplates().map((t) => t.name)).toContain(CAPTURE_TAB);
  });

  it('uses only tags and filters that both Fluid and liquidjs implement', () => {
    expect(tags.length).toBeGreaterThan(50);
    expect([...new Set(tags.map((tag) => tag.name))].filter((name) => !PORTABLE_TAGS.has(name))).toEqual([]);
    const used = [...tags.map((tag) => tag.args), ...outputs.map((output) => output.content)].flatMap(
      filtersOf,
    );
    expect(used).toContain('escape');
    expect([...new Set(used)].filter((name) => !PORTABLE_FILTERS.has(name))).toEqual([]);
  });

  it('escapes every value it writes (Fluid encodes nothing by itself), numbers aside', () => {
    const unescaped = outputs
      .map((output) => output.content.trim())
      .filter((content) => content !== 'forloop.index')
      .filter((content) => {
        const last = filtersOf(content).at(-1);
        return last !== 'escape' && !NUMERIC_FILTERS.has(last ?? '');
      });
    expect(unescaped).toEqual([]);
  });
});

describe('the app URL the upload writes into a template', () => {
  it('is reduced to its origin', () => {
    expect(appOrigin('https://func-alertcapture-x1.azurewebsites.net/')).toBe(
      'https://func-alertcapture-x1.azurewebsites.net',
    );
    expect(appOrigin('http://127.0.0.1:7071')).toBe('http://127.0.0.1:7071');
  });

  it('refuses anything but a bare https origin: a key in a query, credentials, a path, plain http', () => {
    for (const url of [
      'https://func.azurewebsites.net/api/alerts?code=abc',
      'https://user:secret@func.azurewebsites.net',
      'https://func.azurewebsites.net/api',
      'https://func.azurewebsites.net/#x',
      'http://func.azurewebsites.net',
      'javascript:alert(1)',
      'func.azurewebsites.net',
    ]) {
      expect(() => appOrigin(url), url).toThrow(RangeError);
    }
  });

  it('replaces the empty appUrl of the template, and only that', () => {
    const source = tabSource();
    const filled = withAppUrl(source, 'https://func-a.azurewebsites.net');
    expect(filled).toContain('{%- assign appUrl = "https://func-a.azurewebsites.net" -%}');
    expect(filled.replace('"https://func-a.azurewebsites.net"', '""')).toBe(source);
    expect(withAppUrl(source, undefined)).toBe(source);
    expect(() => withAppUrl('<p>no app URL line</p>', 'https://func-a.azurewebsites.net')).toThrow(
      RangeError,
    );
  });
});
