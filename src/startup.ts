import { app } from '@azure/functions';
import { getConfig } from './config';

// Every setting is checked once when the worker starts, so that a malformed one stops the app with
// a message naming it instead of failing each webhook call. Parsing the settings needs only zod,
// which the triggers load anyway: cold start is not slowed.
app.hook.appStart(() => {
  getConfig();
});
