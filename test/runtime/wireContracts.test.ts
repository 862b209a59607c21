import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, installFunctionsCore } from '../../local/durable';
import { activityErrorCode, RetriableActivityError } from '../../src/activities/activityResult';
import { AppError } from '../../src/errors/AppError';
import {
  activityFailureMessage,
  codesIn,
  existingInstanceStatus,
  instanceExistsText,
  isStatusNotFound,
  WIRE_SAMPLES,
  withCode,
} from '../../src/runtime/wireContracts';

// The installed durable-functions SDK, talking to a stand-in for the extension's HTTP API that
// answers what the real extension answers: what the SDK then makes of it is what the app reads.
interface Answer {
  status: number;
  body?: unknown;
}
let next: Answer = { status: 200 };
let server: Server;
let rpcBaseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    response.writeHead(next.status, { 'content-type': 'application/json' });
    response.end(next.body === undefined ? '' : JSON.stringify(next.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  rpcBaseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/durabletask/`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The SDK's client, as a function with a durable client input gets it. */
function sdkClient(): df.DurableClient {
  const input = df.input.durableClient();
  const context = new InvocationContext({
    functionName: 'wire',
    options: { trigger: { type: 'httpTrigger', name: 'request' }, extraInputs: [input], extraOutputs: [] },
  });
  context.extraInputs.set(input, {
    taskHubName: 'wire',
    creationUrls: {},
    managementUrls: { id: 'INSTANCEID', statusQueryGetUri: 'http://127.0.0.1/unused/INSTANCEID' },
    rpcBaseUrl,
  });
  return df.getClient(context);
}

async function failureOf(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}

describe('wire contracts, against the installed durable-functions SDK', () => {
  it('reads "no such run" only from the SDK’s answer to a 404', async () => {
    next = { status: 404 };
    expect(isStatusNotFound(await failureOf(() => sdkClient().getStatus('capture-vm-1-0')))).toBe(true);
    next = { status: 500, body: { Message: 'Something went wrong while processing your request' } };
    expect(isStatusNotFound(await failureOf(() => sdkClient().getStatus('capture-vm-1-0')))).toBe(false);
    expect(isStatusNotFound(new Error(WIRE_SAMPLES.statusNotFound!.sample))).toBe(true);
  });

  it('reads the status of an instance that refused a start from what the SDK passes on', async () => {
    next = {
      status: 500,
      body: {
        Message: 'Something went wrong while processing your request',
        ExceptionMessage: instanceExistsText('Running'),
      },
    };
    const refused = await failureOf(() =>
      sdkClient().startNew('captureOnAlert', { instanceId: 'capture-vm-1-0' }),
    );
    expect(existingInstanceStatus(refused)).toBe('Running');
    next = { status: 500, body: { Message: 'Something went wrong', ExceptionMessage: 'storage is down' } };
    const failed = await failureOf(() =>
      sdkClient().startNew('captureOnAlert', { instanceId: 'capture-vm-1-0' }),
    );
    expect(existingInstanceStatus(failed)).toBeUndefined();
  });

  it('reads the code and the message of an activity failure from the error the SDK fails the task with', async () => {
    installFunctionsCore();
    df.app.activity('throttled', {
      handler: () => {
        throw new RetriableActivityError(new AppError('ARM_THROTTLED', 'Azure Resource Manager throttled'));
      },
    });
    df.app.orchestration('callsThrottled', function* (context: OrchestrationContext) {
      try {
        yield context.df.callActivity('throttled');
        return 'no failure';
      } catch (error) {
        return { code: activityErrorCode(error), message: activityFailureMessage(error) };
      }
    });
    const host = await createTestHost();
    const status = await host.runToCompletion(await host.start('callsThrottled'));
    expect(status.output).toEqual({
      code: 'ARM_THROTTLED',
      message: withCode('ARM_THROTTLED', 'Azure Resource Manager throttled'),
    });
  });

  it('keeps every sample readable by its reader', () => {
    expect(existingInstanceStatus(new Error(WIRE_SAMPLES.instanceExists!.sample))).toBe('Running');
    expect(activityFailureMessage(new Error(WIRE_SAMPLES.activityFailure!.sample))).toBe(
      WIRE_SAMPLES.codeInMessage!.sample,
    );
    expect(codesIn(WIRE_SAMPLES.hostException!.sample)).toEqual(['ARM_THROTTLED']);
  });
});
