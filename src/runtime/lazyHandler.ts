/**
 * A function handler whose module is loaded on its first call, not when the app starts. The
 * modules behind the handlers pull in zod, the Azure SDK wrappers, the alert schemas and jose;
 * registering thin handlers keeps the app entry, and so the Functions cold start, close to a bare
 * app's. Works for activities, HTTP triggers and orchestrators alike (an orchestrator's wrapper
 * returns the real generator).
 */
export function lazyHandler<A extends unknown[], R>(load: () => (...args: A) => R): (...args: A) => R {
  let handler: ((...args: A) => R) | undefined;
  return (...args) => {
    handler ??= load();
    return handler(...args);
  };
}
