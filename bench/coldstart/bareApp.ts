// The baseline for the cold-start benchmark: the smallest Durable Functions app, one orchestration
// and one HTTP trigger that starts it. Only @azure/functions and durable-functions load.
import { app } from '@azure/functions';
import * as df from 'durable-functions';

df.app.orchestration('bareOrchestration', function* () {
  yield* [];
  return 'done';
});

app.http('bareStarter', {
  route: 'bare',
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: async (request, context) => {
    const instanceId = await df.getClient(context).startNew('bareOrchestration');
    return { status: 202, jsonBody: { id: instanceId } };
  },
});
