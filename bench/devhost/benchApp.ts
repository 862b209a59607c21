// The app the dev host benchmark serves: an anonymous HTTP function, an activity chain, and a
// long durable timer (instances that are still running when the host restarts).
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

app.get('ping', { route: 'ping', authLevel: 'anonymous', handler: async () => ({ body: 'pong' }) });

df.app.activity('step', { handler: (n: number) => n + 1 });

df.app.orchestration('chain', function* (context: OrchestrationContext) {
  let value = 0;
  const steps = (context.df.getInput() as { steps: number }).steps;
  for (let i = 0; i < steps; i++) value = (yield context.df.callActivity('step', value)) as number;
  return value;
});

df.app.orchestration('sleeper', function* (context: OrchestrationContext) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 24 * 3600 * 1000));
  return 'woke';
});
