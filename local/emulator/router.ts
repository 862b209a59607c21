import type { Provider } from './apiVersions';
import type { RouteName } from './types';

export type Params = Record<string, string>;

export interface Route<H> {
  name: RouteName;
  method: string;
  provider: Provider;
  pattern: RegExp;
  keys: string[];
  handler: H;
}

/**
 * ARM paths matched case-insensitively, as ARM does: `{name}` captures one path segment. The
 * captured values keep the caller's casing; handlers restore the canonical one from the inventory.
 */
export class Router<H> {
  private readonly routes: Route<H>[] = [];

  add(name: RouteName, method: string, provider: Provider, template: string, handler: H): this {
    const keys: string[] = [];
    const source = template
      .split('/')
      .map((segment) => {
        const key = /^\{(\w+)\}$/.exec(segment)?.[1];
        if (key) {
          keys.push(key);
          return '([^/]+)';
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.routes.push({ name, method, provider, pattern: new RegExp(`^${source}/?$`, 'i'), keys, handler });
    return this;
  }

  /** The route for this method and path; `methodMismatch` when only the method is wrong. */
  match(method: string, path: string): { route: Route<H>; params: Params } | { methodMismatch: boolean } {
    let methodMismatch = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        methodMismatch = true;
        continue;
      }
      const params: Params = {};
      route.keys.forEach((key, i) => (params[key] = decodeURIComponent(found[i + 1] as string)));
      return { route, params };
    }
    return { methodMismatch };
  }
}
