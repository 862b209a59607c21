import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { createTestHost, EventType, installFunctionsCore } from '../../local/durable';
import { AppError } from '../../src/errors/AppError';

installFunctionsCore();

// With a provider, durable-functions serialises FailureDetails into the activity error and the
// extension hands them to the orchestrator as structured data (a TaskFailedError).
df.app.setExceptionPropertiesProvider({
  getExceptionProperties: (error: unknown) =>
    error instanceof AppError
      ? { code: error.code, retriable: error.retriable, ...error.details }
      : undefined,
});

df.app.activity('CreateCapture', {
  handler: () => {
    throw new AppError('ARM_THROTTLED', 'Azure Resource Manager throttled the request', {
      details: { retryAfterMs: 2000 },
    });
  },
});

df.app.orchestration('SeesFailureDetails', function* (context: OrchestrationContext) {
  try {
    yield context.df.callActivity('CreateCapture');
    return 'created';
  } catch (error) {
    if (!(error instanceof df.TaskFailedError)) return { plain: (error as Error).message };
    return {
      message: error.message,
      errorType: error.failureDetails.errorType,
      properties: error.failureDetails.properties,
      taskName: error.taskName,
      taskId: error.taskId,
    };
  }
});

describe('structured failure details', () => {
  it('turns an activity error into FailureDetails the orchestrator reads as TaskFailedError', async () => {
    const host = await createTestHost();
    const id = await host.start('SeesFailureDetails');
    const status = await host.runToCompletion(id);

    expect(status.output).toEqual({
      message: 'AppError: Azure Resource Manager throttled the request',
      errorType: 'AppError',
      properties: { code: 'ARM_THROTTLED', retriable: true, retryAfterMs: 2000 },
      taskName: 'CreateCapture',
      taskId: 0,
    });
    const failed = host.history(id).find((event) => event.EventType === EventType.TaskFailed);
    expect(failed).toMatchObject({
      FailureDetails: { ErrorType: 'AppError', IsNonRetriable: false, Properties: { code: 'ARM_THROTTLED' } },
    });
    expect((failed as { FailureDetails: { StackTrace: string } }).FailureDetails.StackTrace).toMatch(
      /^AppError: /,
    );
  });
});
