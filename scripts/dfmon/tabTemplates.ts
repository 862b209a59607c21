import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where Durable Functions Monitor looks for custom tabs: this container of the task hub's storage account… */
export const DFMON_CONTAINER = 'durable-functions-monitor';
/** …under this folder, one blob per tab, named `[Tab Name].[orchestration name].liquid`. */
export const TAB_TEMPLATES_FOLDER = 'tab-templates';

/** The repository's tab templates. */
export const TAB_TEMPLATES_DIR = join(__dirname, '..', '..', 'dfmon', 'tab-templates');

/** DfMon's naming rule: a tab name, optionally the orchestration (or entity) it is for, `.liquid`. */
const TEMPLATE_NAME = /^[^./\\]+(\.[A-Za-z_][A-Za-z0-9_-]*)?\.liquid$/;

/** The line each template carries for the app's URL; the upload fills it in. */
const APP_URL_LINE = '{%- assign appUrl = "" -%}';

export interface TabTemplate {
  /** File name, which is also the blob name under `tab-templates/`. */
  name: string;
  text: string;
}

/** The templates of `dir`, with the app's URL filled in when one is given. */
export function readTabTemplates(options: { dir?: string; appUrl?: string } = {}): TabTemplate[] {
  const dir = options.dir ?? TAB_TEMPLATES_DIR;
  const names = readdirSync(dir).filter((name) => name.endsWith('.liquid'));
  if (names.length === 0) throw new RangeError(`no .liquid template in ${dir}`);
  return names.sort().map((name) => {
    if (!TEMPLATE_NAME.test(name)) {
      throw new RangeError(`${name} is not a DfMon tab name: "[Tab Name].[orchestration name].liquid"`);
    }
    return { name, text: withAppUrl(readFileSync(join(dir, name), 'utf8'), options.appUrl) };
  });
}

/**
 * Sets the template's `appUrl` to the app's origin, so that the tab links to the status API. The
 * URL is checked first: it ends up inside a Liquid string and HTML attributes.
 */
export function withAppUrl(text: string, appUrl: string | undefined): string {
  if (!text.includes(APP_URL_LINE)) {
    throw new RangeError(`the template has no "${APP_URL_LINE}" line to set the app URL in`);
  }
  if (appUrl === undefined || appUrl === '') return text;
  return text.replace(APP_URL_LINE, APP_URL_LINE.replace('""', `"${appOrigin(appUrl)}"`));
}

/**
 * The origin of the function app's URL: https, or http on a loopback host (the dev host), with
 * no credentials, path, query or fragment.
 * @throws RangeError naming what is wrong.
 */
export function appOrigin(appUrl: string): string {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    throw new RangeError('the app URL is not a URL (expected https://<app>.azurewebsites.net)');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new RangeError(`the app URL must use https (http only on 127.0.0.1 or localhost): ${url.origin}`);
  }
  if (url.username || url.password || url.search || url.hash || url.pathname.replace(/\/+$/, '') !== '') {
    throw new RangeError(
      'the app URL must be the bare origin (https://<app>.azurewebsites.net): no credentials, path, query or fragment',
    );
  }
  return url.origin;
}
