/* eslint-disable @typescript-eslint/no-require-imports -- each handler module loads on its first request */
import { app, type HttpHandler, type HttpMethod } from '@azure/functions';
import * as df from 'durable-functions';
import {
  ALERTS_ROUTE,
  CAPTURE_ROUTE,
  CAPTURES_ROUTE,
  DOWNLOAD_CAPTURE_ROUTE,
  STOP_CAPTURE_ROUTE,
} from '../http/routes';
import { lazyHandler } from '../runtime/lazyHandler';

/**
 * The HTTP triggers: each one's registered name is its file's and the name of the handler that file
 * exports. Every one needs the function key and a Durable client; its module is `require`d
 * (CommonJS, as the Functions host loads the app) on the first request.
 */
const TRIGGERS = triggerTable({
  alerts: trigger(ALERTS_ROUTE, 'POST', () => require('./alerts') as typeof import('./alerts')),
  captureStatus: trigger(
    CAPTURE_ROUTE,
    'GET',
    () => require('./captureStatus') as typeof import('./captureStatus'),
  ),
  captureList: trigger(
    CAPTURES_ROUTE,
    'GET',
    () => require('./captureList') as typeof import('./captureList'),
  ),
  captureStop: trigger(
    STOP_CAPTURE_ROUTE,
    'POST',
    () => require('./captureStop') as typeof import('./captureStop'),
  ),
  captureDownload: trigger(
    DOWNLOAD_CAPTURE_ROUTE,
    'GET',
    () => require('./captureDownload') as typeof import('./captureDownload'),
  ),
});

for (const [name, trigger] of Object.entries(TRIGGERS)) {
  app.http(name, {
    route: trigger.route,
    methods: [trigger.method],
    authLevel: 'function',
    extraInputs: [df.input.durableClient()],
    handler: lazyHandler(() => (trigger.load() as Record<string, HttpHandler>)[name]!),
  });
}

interface Trigger<N extends string> {
  route: string;
  method: HttpMethod;
  load: () => Record<N, HttpHandler>;
}

function trigger<M>(route: string, method: HttpMethod, load: () => M) {
  return { route, method, load };
}

/** Checks at compile time that each module exports its handler under the trigger's name. */
function triggerTable<T extends { [N in keyof T & string]: Trigger<N> }>(table: T): T {
  return table;
}

// The orphan sweep: a timer (NCRONTAB, every 5 minutes), with a Durable client to tell which runs
// are live. Its file and handler carry its name, as the HTTP triggers' do.
app.timer('sweepOrphanCaptures', {
  schedule: '0 */5 * * * *',
  extraInputs: [df.input.durableClient()],
  handler: lazyHandler(
    () => (require('./sweepOrphanCaptures') as typeof import('./sweepOrphanCaptures')).sweepOrphanCaptures,
  ),
});
