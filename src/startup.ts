/* eslint-disable @typescript-eslint/no-require-imports -- the settings module loads when the hook runs */
import { app } from '@azure/functions';

// Every setting is checked once when the worker starts, so that a malformed one stops the app with
// a message naming it instead of failing each webhook call. The settings module (and zod, which
// parses them: 95 modules, 64 of them zod's locale tables) is required by the hook, not by the
// entry: the entry only registers functions. The worker still runs the hook before it serves
// anything, and the first request then finds zod loaded.
app.hook.appStart(() => {
  (require('./config') as typeof import('./config')).getConfig();
});
