/* eslint-disable @typescript-eslint/no-require-imports -- handlers load on first request (lazyHandler) */
import { app } from '@azure/functions';
import * as df from 'durable-functions';
import { lazyHandler } from '../runtime/lazyHandler';
import {
  ALERTS_ROUTE,
  CAPTURE_ROUTE,
  CAPTURES_ROUTE,
  DOWNLOAD_CAPTURE_ROUTE,
  STOP_CAPTURE_ROUTE,
} from '../http/routes';

// The HTTP triggers. Every one needs the function key and a Durable client; its module is
// `require`d (CommonJS, like the Functions host loads the app) on the first request.

app.http('alerts', {
  route: ALERTS_ROUTE,
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: lazyHandler(() => (require('./alertWebhook') as typeof import('./alertWebhook')).alertWebhook),
});

app.http('captureStatus', {
  route: CAPTURE_ROUTE,
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: lazyHandler(() => (require('./captureStatus') as typeof import('./captureStatus')).captureStatus),
});

app.http('captureList', {
  route: CAPTURES_ROUTE,
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: lazyHandler(() => (require('./captureList') as typeof import('./captureList')).listCaptures),
});

app.http('captureStop', {
  route: STOP_CAPTURE_ROUTE,
  methods: ['POST'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: lazyHandler(() => (require('./stopRun') as typeof import('./stopRun')).stopRun),
});

app.http('captureDownload', {
  route: DOWNLOAD_CAPTURE_ROUTE,
  methods: ['GET'],
  authLevel: 'function',
  extraInputs: [df.input.durableClient()],
  handler: lazyHandler(
    () => (require('./captureDownload') as typeof import('./captureDownload')).captureDownload,
  ),
});
