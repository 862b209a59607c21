import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestHost, installFunctionsCore, invokeFunction, loadApp } from '../../local/durable';

describe('the @azure/functions-core stand-in', () => {
  it('captures the registrations of an app entry with their triggers and bindings', async () => {
    const registry = await loadApp(join(__dirname, 'fixtures/sampleApp.ts'));
    expect(installFunctionsCore()).toBe(registry);

    expect(registry.list('orchestrationTrigger').map((fn) => fn.name)).toEqual(['SampleOrchestrator']);
    expect(registry.list('activityTrigger').map((fn) => fn.name)).toEqual(['SampleActivity']);
    expect(registry.list('entityTrigger').map((fn) => fn.name)).toEqual(['SampleEntity']);
    expect(registry.httpFunctions()).toEqual([
      { name: 'SampleStarter', route: 'alerts/{vm}', methods: ['POST'], authLevel: 'function' },
      { name: 'SampleHealth', route: 'health', methods: ['GET'], authLevel: 'anonymous' },
    ]);
    const starter = registry.get('SampleStarter')!;
    expect(starter.durableClientBindingName).toMatch(/^durableClientInput/);
    expect(starter.metadata.bindings[starter.durableClientBindingName!]).toMatchObject({
      type: 'durableClient',
      direction: 'in',
    });
    expect(registry.get('SampleHealth')?.durableClientBindingName).toBeUndefined();
    expect(registry.hooks('appStart')).toHaveLength(1);
    expect(registry.programmingModel.name).toBe('@azure/functions');
  });

  it('refuses a second function with the same name', async () => {
    const registry = await loadApp(join(__dirname, 'fixtures/sampleApp.ts'));
    const { metadata, callback } = registry.get('SampleActivity')!;
    expect(() => registry.register(metadata, callback)).toThrow(/already registered/);
  });

  it('invokes a function through the programming model with the worker conversions', async () => {
    const registry = await loadApp(join(__dirname, 'fixtures/sampleApp.ts'));
    const activity = registry.get('SampleActivity')!;
    // The SDK sends a string input as JSON text; the worker parses string data once.
    const response = await invokeFunction(registry, activity, { triggerData: { string: '"Tokyo"' } });
    expect(response.returnValue).toEqual({ json: JSON.stringify({ received: 'Tokyo', type: 'string' }) });
  });

  it('invokes an HTTP starter with the durableClient binding data a host supplies', async () => {
    const registry = await loadApp(join(__dirname, 'fixtures/sampleApp.ts'));
    const starter = registry.get('SampleStarter')!;
    const base = 'http://127.0.0.1:7071/runtime/webhooks/durabletask';
    const query = 'taskHub=hub&connection=Storage';
    const clientData = {
      taskHubName: 'hub',
      creationUrls: {
        createNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?${query}`,
        createAndWaitOnNewInstancePostUri: `${base}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
      },
      managementUrls: {
        id: 'INSTANCEID',
        statusQueryGetUri: `${base}/instances/INSTANCEID?${query}`,
        sendEventPostUri: `${base}/instances/INSTANCEID/raiseEvent/{eventName}?${query}`,
        terminatePostUri: `${base}/instances/INSTANCEID/terminate?reason={text}&${query}`,
        rewindPostUri: `${base}/instances/INSTANCEID/rewind?reason={text}&${query}`,
        purgeHistoryDeleteUri: `${base}/instances/INSTANCEID?${query}`,
        restartPostUri: `${base}/instances/INSTANCEID/restart?${query}`,
        suspendPostUri: `${base}/instances/INSTANCEID/suspend?reason={text}&${query}`,
        resumePostUri: `${base}/instances/INSTANCEID/resume?reason={text}&${query}`,
      },
      baseUrl: base,
      requiredQueryStringParameters: query,
      rpcBaseUrl: 'http://127.0.0.1:17071/durabletask/',
    };
    const response = await invokeFunction(registry, starter, {
      triggerData: {
        http: {
          method: 'POST',
          url: 'http://127.0.0.1:7071/api/alerts/vm1',
          headers: {},
          params: { vm: 'vm1' },
        },
      },
      extraInputs: { [starter.durableClientBindingName!]: { string: JSON.stringify(clientData) } },
    });
    const http = (response.returnValue as { http: { statusCode: string; body: { bytes: Uint8Array } } }).http;
    expect(http.statusCode).toBe('202');
    const body = JSON.parse(Buffer.from(http.body.bytes).toString('utf8')) as unknown;
    // The SDK fills in the instance id (and, without WEBSITE_HOSTNAME, points the links at localhost:7071).
    expect(body).toMatchObject({
      vm: 'vm1',
      links: {
        id: 'capture-vm',
        statusQueryGetUri: expect.stringMatching(
          /\/runtime\/webhooks\/durabletask\/instances\/capture-vm\?taskHub=hub&connection=Storage$/,
        ),
      },
    });
  });

  it('runs the loaded app end to end, string input included', async () => {
    const host = await createTestHost({ entry: join(__dirname, 'fixtures/sampleApp.ts') });
    const status = await host.runToCompletion(await host.start('SampleOrchestrator', 'vm-42'));
    expect(status.output).toEqual({ received: 'vm-42', type: 'string' });
  });
});
