import * as df from 'durable-functions';
import { lazyHandler } from '../runtime/lazyHandler';
import { ACTIVITIES, loadActivity, type ActivityName } from './contract';

// Registers every activity of the table with the Durable Functions app. An activity's module is
// `require`d when the activity first runs, not at start-up.
for (const name of Object.keys(ACTIVITIES) as ActivityName[]) {
  df.app.activity(name, { handler: lazyHandler(() => loadActivity(name)) });
}
