import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpRequest, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureList } from '../../src/triggers/captureList';
import { runPages } from '../../src/triggers/runPages';
import { sampleAlert } from './support/alerts';
import { AppClient } from './support/appClient';
import { useAppHost } from './support/appHost';

const app = useAppHost({ label: 'e2e-list' });
const client = new AppClient(() => app.host);
const VMS = ['vm-list-a', 'vm-list-b', 'vm-list-c', 'vm-list-d', 'vm-list-e'];
const ids: string[] = [];

// Between the list trigger and the Durable extension: records each instance query it forwards.
let recorder: Server;
let recorderUrl = '';
const queries: URL[] = [];

beforeAll(async () => {
  const added = await app.stack.admin.upsertVms(
    VMS.map((name, i) => ({
      name,
      resourceGroup: 'rg-web',
      location: 'westeurope',
      privateIps: [`10.9.0.${i + 4}`],
    })),
  );
  for (const { id } of added) {
    const alert = sampleAlert('network-out-fired', {
      vmId: id,
      storageAccountId: app.stack.storageAccountId,
      timeLimitSeconds: 3600,
    });
    const answer = await client.postAlert(alert);
    expect(answer.status).toBe(202);
    ids.push(String(answer.body.id));
  }
  recorder = createServer((req, res) => {
    const target = new URL(req.url!.replace(/^\/durabletask\//, ''), app.host.rpcBaseUrl);
    queries.push(target);
    const headers: Record<string, string> = {};
    const token = req.headers['x-ms-continuation-token'];
    if (typeof token === 'string') headers['x-ms-continuation-token'] = token;
    fetch(target, { headers }).then(
      async (answer) => {
        const next = answer.headers.get('x-ms-continuation-token');
        res.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(next ? { 'x-ms-continuation-token': next } : {}),
        });
        res.end(await answer.text());
      },
      () => res.writeHead(502).end(),
    );
  });
  await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
  recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}/durabletask/`;
});

afterAll(async () => {
  for (const id of ids) await client.stop(id, 'test over');
  await new Promise<void>((resolve) => recorder.close(() => resolve()));
});

/** The invocation context the Functions host gives the list trigger, its durable client pointed at the recorder. */
function recordedContext(): InvocationContext {
  const durableClient = df.input.durableClient();
  const context = new InvocationContext({
    functionName: 'captureList',
    options: {
      trigger: { type: 'httpTrigger', name: 'request' },
      extraInputs: [durableClient],
      extraOutputs: [],
    },
  });
  context.extraInputs.set(durableClient, {
    taskHubName: app.host.taskHub,
    creationUrls: {},
    managementUrls: { id: 'INSTANCEID', statusQueryGetUri: `${app.host.url}/unused/INSTANCEID` },
    rpcBaseUrl: recorderUrl,
  });
  return context;
}

/** Calls the list trigger as the Functions host would, through the recorder. */
async function listThroughRecorder(search: string) {
  queries.length = 0;
  const context = recordedContext();
  const answer = await captureList(
    new HttpRequest({ method: 'GET', url: `http://127.0.0.1/api/captures${search}` }),
    context,
  );
  return {
    status: answer.status,
    body: JSON.parse(String(answer.body)) as { runs: { id: string }[]; truncated: boolean },
  };
}

describe('GET /api/captures on a task hub with many runs', () => {
  it('lets the Durable extension filter by run id prefix and reads pages only until the limit is reached', async () => {
    const listed = await listThroughRecorder('?limit=2');
    expect(listed.status).toBe(200);
    expect(listed.body.runs).toHaveLength(2);
    expect(listed.body.truncated).toBe(true);
    expect(queries).toHaveLength(1);
    expect(Object.fromEntries(queries[0]!.searchParams)).toMatchObject({
      instanceIdPrefix: 'capture-',
      top: '3',
      showInput: 'true',
    });
  });

  it('reads page after page with the continuation token, as far as the caller iterates', async () => {
    queries.length = 0;
    const pages: string[][] = [];
    for await (const page of runPages(recordedContext(), {
      instanceIdPrefix: 'capture-vm-list-',
      pageSize: 2,
    })) {
      pages.push(page.map((status) => status.instanceId));
    }
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().sort()).toEqual([...ids].sort());
    expect(queries.map((query) => query.searchParams.get('top'))).toEqual(['2', '2', '2']);
  });

  it('asks for one VM by its run id prefix and status', async () => {
    const byName = await listThroughRecorder('?vm=vm-list-c&status=running');
    expect(byName.body).toEqual({ runs: [expect.objectContaining({ id: ids[2] })], truncated: false });
    expect(queries[0]!.searchParams.get('instanceIdPrefix')).toMatch(/^capture-vm-list-c-$/);
    expect(queries[0]!.searchParams.get('runtimeStatus')).toBe('Running');

    const everything = await listThroughRecorder('?limit=500');
    expect(everything.body.runs.map((run) => run.id)).toEqual(expect.arrayContaining(ids));
    expect(everything.body.truncated).toBe(false);
  });

  it('answers over HTTP the same way: the first runs, newest first, and whether there are more', async () => {
    const some = await client.list({ limit: '3' });
    expect(some.body.runs).toHaveLength(3);
    expect(some.body.truncated).toBe(true);
    const created = some.body.runs.map((run) => Date.parse(run.createdTime));
    expect(created).toEqual([...created].sort((a, b) => b - a));
    expect((await client.list({ limit: '5' })).body).toMatchObject({ truncated: false });
  });
});
