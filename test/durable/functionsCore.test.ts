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

  it('runs the loaded app end to end, string input included', async () => {
    const host = await createTestHost({ entry: join(__dirname, 'fixtures/sampleApp.ts') });
    const status = await host.runToCompletion(await host.start('SampleOrchestrator', 'vm-42'));
    expect(status.output).toEqual({ received: 'vm-42', type: 'string' });
  });
});
