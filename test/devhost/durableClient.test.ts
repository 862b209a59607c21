import { describe, expect, it } from 'vitest';
import { eventually, useDevHost } from './support';

interface CheckStatus {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

interface Status {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: Array<Record<string, unknown>>;
}

describe('dev host: the durable-functions client and the Durable HTTP API', () => {
  const fixture = useDevHost({ timeScale: 600 });
  const key = () => ({ 'x-functions-key': fixture.host.functionKey });
  const api = (path: string) => `${fixture.host.url}/api/${path}`;

  const start = async (name: string, input?: unknown, id?: string) => {
    const response = await fetch(api(`orchestrations/${name}${id ? `/${id}` : ''}`), {
      method: 'POST',
      headers: key(),
      body: input === undefined ? '' : JSON.stringify(input),
    });
    return { response, body: (await response.json()) as CheckStatus };
  };
  const op = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(api(`ops/${path}`), { ...init, headers: { ...key(), ...init.headers } });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  const publicStatus = async (uri: string) => {
    const response = await fetch(uri);
    return { response, body: response.status === 404 ? undefined : ((await response.json()) as Status) };
  };
  const untilStatus = (uri: string, runtimeStatus: string) =>
    eventually(async () => {
      const { body } = await publicStatus(uri);
      return body?.runtimeStatus === runtimeStatus ? body : undefined;
    });

  it('starts through the SDK and answers with the check-status payload pointing at this host', async () => {
    const { response, body } = await start('approval', { vm: 'web-1' }, 'approval-links');
    expect(response.status).toBe(202);
    expect(response.headers.get('retry-after')).toBe('10');
    expect(response.headers.get('location')).toBe(body.statusQueryGetUri);
    const base = `${fixture.host.url}/runtime/webhooks/durabletask/instances/approval-links`;
    const query = `taskHub=${fixture.taskHub}&connection=Storage&code=${fixture.host.systemKey}`;
    expect(body).toEqual({
      id: 'approval-links',
      statusQueryGetUri: `${base}?${query}`,
      sendEventPostUri: `${base}/raiseEvent/{eventName}?${query}`,
      terminatePostUri: `${base}/terminate?reason={text}&${query}`,
      rewindPostUri: `${base}/rewind?reason={text}&${query}`,
      purgeHistoryDeleteUri: `${base}?${query}`,
      restartPostUri: `${base}/restart?${query}`,
      suspendPostUri: `${base}/suspend?reason={text}&${query}`,
      resumePostUri: `${base}/resume?reason={text}&${query}`,
    });
  });

  it('reports status on the public URL: 202 with Location and Retry-After while running, 200 when done', async () => {
    const { body: links } = await start('approval', { vm: 'web-2' }, 'approval-status');
    const running = await eventually(async () => {
      const result = await publicStatus(links.statusQueryGetUri);
      return result.body?.customStatus ? result : undefined;
    });
    expect(running.response.status).toBe(202);
    expect(running.response.headers.get('location')).toBe(links.statusQueryGetUri);
    expect(running.response.headers.get('retry-after')).toBe('5');
    expect(running.body).toMatchObject({
      name: 'approval',
      instanceId: 'approval-status',
      runtimeStatus: 'Running',
      input: { vm: 'web-2' },
      output: null,
      customStatus: { phase: 'waiting for approval' },
    });
    expect(running.body!.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const raised = await fetch(links.sendEventPostUri.replace('{eventName}', 'approve'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: 'operator' }),
    });
    expect(raised.status).toBe(202);
    const done = await untilStatus(links.statusQueryGetUri, 'Completed');
    expect(done.output).toEqual({ approved: { by: 'operator' }, input: { vm: 'web-2' } });
    const final = await publicStatus(links.statusQueryGetUri);
    expect(final.response.status).toBe(200);
    expect(final.response.headers.get('location')).toBeNull();
    expect(
      (await publicStatus(links.statusQueryGetUri.replace('?', '?showInput=false&'))).body?.input,
    ).toBeNull();
  });

  it('raises events, reads status and terminates through the SDK client (rpcBaseUrl)', async () => {
    await start('approval', 'sdk', 'sdk-ops');
    const status = await eventually(async () => {
      const result = await op('status/sdk-ops');
      return (result.body as Status).customStatus ? (result.body as Status) : undefined;
    });
    expect(status).toMatchObject({ instanceId: 'sdk-ops', runtimeStatus: 'Running', input: 'sdk' });

    expect((await op('raise/sdk-ops', { method: 'POST', body: JSON.stringify('yes') })).status).toBe(202);
    const completed = await eventually(async () => {
      const result = (await op('status/sdk-ops')).body as Status;
      return result.runtimeStatus === 'Completed' ? result : undefined;
    });
    expect(completed.output).toEqual({ approved: 'yes', input: 'sdk' });
    // The SDK accepts 410 Gone for an event to a finished instance, and rejects an unknown one.
    expect((await op('raise/sdk-ops', { method: 'POST', body: '1' })).status).toBe(202);
    expect(await op('raise/nobody', { method: 'POST', body: '1' })).toEqual({
      status: 500,
      body: { error: "No instance with ID 'nobody' found." },
    });

    await start('approval', 'to stop', 'sdk-terminate');
    expect((await op('terminate/sdk-terminate?reason=enough')).status).toBe(202);
    const terminated = await eventually(async () => {
      const result = (await op('status/sdk-terminate')).body as Status;
      return result.runtimeStatus === 'Terminated' ? result : undefined;
    });
    expect(terminated.output).toBe('enough');
    expect((await op('terminate/sdk-terminate')).status).toBe(202); // 410, taken as done by the SDK
  });

  it('purges through the SDK and the public URL: 412 while running, 200 when finished, 404 after', async () => {
    const { body: links } = await start('approval', null, 'purge-me');
    await untilStatus(links.statusQueryGetUri, 'Running');
    const early = await fetch(links.purgeHistoryDeleteUri, { method: 'DELETE' });
    expect(early.status).toBe(412);
    await fetch(links.terminatePostUri.replace('{text}', 'done'), { method: 'POST' });
    await untilStatus(links.statusQueryGetUri, 'Terminated');
    const purged = await fetch(links.purgeHistoryDeleteUri, { method: 'DELETE' });
    expect([purged.status, await purged.json()]).toEqual([200, { instancesDeleted: 1 }]);
    expect((await fetch(links.statusQueryGetUri)).status).toBe(404);
    expect((await fetch(links.purgeHistoryDeleteUri, { method: 'DELETE' })).status).toBe(404);

    await start('approval', null, 'purge-sdk');
    await op('terminate/purge-sdk');
    await eventually(async () =>
      ((await op('status/purge-sdk')).body as Status).runtimeStatus === 'Terminated' ? true : undefined,
    );
    expect(await op('purge/purge-sdk', { method: 'DELETE' })).toEqual({
      status: 200,
      body: { instancesDeleted: 1 },
    });
    expect(await op('purge/purge-sdk', { method: 'DELETE' })).toEqual({
      status: 200,
      body: { instancesDeleted: 0 },
    });
    expect((await op('status/purge-sdk')).body).toEqual({
      error: expect.stringContaining('Durable Functions extension replied with HTTP 404'),
    });
  });

  it('answers the public terminate and raiseEvent URLs with the extension codes', async () => {
    const { body: links } = await start('approval', null, 'codes');
    await untilStatus(links.statusQueryGetUri, 'Running');
    const eventUri = links.sendEventPostUri.replace('{eventName}', 'other');
    expect((await fetch(eventUri, { method: 'POST', body: '{}' })).status).toBe(400); // not application/json
    const badJson = await fetch(eventUri, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(badJson.status).toBe(400);
    expect((await fetch(links.terminatePostUri.replace('{text}', 'bye'), { method: 'POST' })).status).toBe(
      202,
    );
    await untilStatus(links.statusQueryGetUri, 'Terminated');
    expect((await fetch(links.terminatePostUri.replace('{text}', 'again'), { method: 'POST' })).status).toBe(
      410,
    );
    expect(
      (await fetch(eventUri, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '1' }))
        .status,
    ).toBe(410);
    const missing = links.terminatePostUri.replace('/codes/', '/nobody/').replace('{text}', 'x');
    expect((await fetch(missing, { method: 'POST' })).status).toBe(404);
    expect((await fetch(links.suspendPostUri.replace('{text}', 'x'), { method: 'POST' })).status).toBe(410);
  });

  it('starts on the public URL, refusing unknown orchestrators, bad ids and bad JSON', async () => {
    const base = `${fixture.host.url}/runtime/webhooks/durabletask/orchestrators`;
    const code = `code=${fixture.host.systemKey}`;
    const started = await fetch(`${base}/timedProbe/public-start?${code}`, {
      method: 'POST',
      body: '{"seconds":1}',
    });
    expect(started.status).toBe(202);
    expect(((await started.json()) as CheckStatus).id).toBe('public-start');
    const generated = await fetch(`${base}/approval?${code}`, { method: 'POST' });
    expect(((await generated.json()) as CheckStatus).id).toMatch(/^[0-9a-f]{32}$/);
    expect((await fetch(`${base}/noSuchOrchestrator?${code}`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${base}/approval/@entity?${code}`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${base}/approval/x?${code}`, { method: 'POST', body: '{nope' })).status).toBe(400);
    expect((await fetch(`${base}/approval/x?taskHub=otherhub&${code}`, { method: 'POST' })).status).toBe(400);
  });

  it('waits for completion on request (timeout, pollingInterval) and restarts instances', async () => {
    const base = `${fixture.host.url}/runtime/webhooks/durabletask`;
    const code = `code=${fixture.host.systemKey}`;
    const waited = await fetch(
      `${base}/orchestrators/timedProbe/waited?timeout=10&pollingInterval=0.05&${code}`,
      {
        method: 'POST',
        body: '{"seconds":30}',
      },
    );
    expect([waited.status, await waited.json()]).toEqual([
      200,
      { before: `before@${process.pid}`, after: `after@${process.pid}` },
    ]);
    const impatient = await fetch(
      `${base}/orchestrators/approval/impatient?timeout=0.2&pollingInterval=0.1&${code}`,
      {
        method: 'POST',
      },
    );
    expect(impatient.status).toBe(202);
    expect(((await impatient.json()) as CheckStatus).id).toBe('impatient');

    const sameId = await fetch(`${base}/instances/waited/restart?restartWithNewInstanceId=false&${code}`, {
      method: 'POST',
    });
    expect([sameId.status, ((await sameId.json()) as CheckStatus).id]).toEqual([202, 'waited']);
    const renamed = await fetch(`${base}/instances/impatient/restart?${code}`, { method: 'POST' });
    const { id, statusQueryGetUri } = (await renamed.json()) as CheckStatus;
    expect([renamed.status, id]).toEqual([202, expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect((await publicStatus(statusQueryGetUri)).body).toMatchObject({ name: 'approval', input: null });
    expect((await fetch(`${base}/instances/nobody/restart?${code}`, { method: 'POST' })).status).toBe(400);
  });

  it('shows the history as the extension does, outputs only on request', async () => {
    const { body: links } = await start('timedProbe', { seconds: 2 }, 'history');
    await untilStatus(links.statusQueryGetUri, 'Completed');
    const plain = (await publicStatus(`${links.statusQueryGetUri}&showHistory=true`)).body!;
    expect(plain.historyEvents!.map((e) => e.EventType)).toEqual([
      'ExecutionStarted',
      'TaskCompleted',
      'TimerCreated',
      'TimerFired',
      'TaskCompleted',
      'ExecutionCompleted',
    ]);
    expect(plain.historyEvents![0]).toMatchObject({ FunctionName: 'timedProbe' });
    expect(plain.historyEvents![0]).not.toHaveProperty('Input');
    expect(plain.historyEvents![1]).toMatchObject({
      FunctionName: 'probe',
      ScheduledTime: expect.any(String),
    });
    expect(plain.historyEvents![1]).not.toHaveProperty('Result');
    expect(plain.historyEvents![5]).toMatchObject({ OrchestrationStatus: 'Completed' });
    const withOutput = (
      await publicStatus(`${links.statusQueryGetUri}&showHistory=true&showHistoryOutput=true`)
    ).body!;
    expect(withOutput.historyEvents![1]!.Result).toBe(`before@${process.pid}`);
    expect(withOutput.historyEvents![5]!.Result).toEqual(plain.output);
  });

  it('lists instances with filters, pages with a continuation token, and through the SDK', async () => {
    for (const id of ['list-a', 'list-b', 'list-c']) await start('approval', id, id);
    const base = `${fixture.host.url}/runtime/webhooks/durabletask/instances`;
    const code = `code=${fixture.host.systemKey}`;
    const first = await fetch(`${base}?instanceIdPrefix=list-&top=2&${code}`);
    expect(first.status).toBe(200);
    const token = first.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    const firstPage = (await first.json()) as Status[];
    const second = await fetch(`${base}?instanceIdPrefix=list-&top=2&${code}`, {
      headers: { 'x-ms-continuation-token': token! },
    });
    expect(second.headers.get('x-ms-continuation-token')).toBeNull();
    const ids = [...firstPage, ...((await second.json()) as Status[])].map((s) => s.instanceId);
    expect(ids).toEqual(['list-a', 'list-b', 'list-c']);

    const completed = await fetch(`${base}?runtimeStatus=Completed,Terminated&${code}`);
    const statuses = ((await completed.json()) as Status[]).map((s) => s.runtimeStatus);
    expect(statuses).toContain('Terminated');
    expect(statuses.every((s) => s === 'Completed' || s === 'Terminated')).toBe(true);

    const viaSdk = (await op('list/x?runtimeStatus=Running')).body as Status[];
    expect(viaSdk.map((s) => s.instanceId)).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c']));
    expect(viaSdk.every((s) => s.runtimeStatus === 'Running')).toBe(true);
  });

  it('gives functions binding data whose links point at this host, and serves the SDK on rpcBaseUrl', async () => {
    const payload = (await op('payload/some-id')).body as CheckStatus;
    expect(payload.statusQueryGetUri).toBe(
      `${fixture.host.url}/runtime/webhooks/durabletask/instances/some-id?taskHub=${fixture.taskHub}` +
        `&connection=Storage&code=${fixture.host.systemKey}`,
    );
    expect(fixture.host.rpcBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/durabletask\/$/);
    const rpc = await fetch(`${fixture.host.rpcBaseUrl}instances/sdk-ops`);
    expect([rpc.status, ((await rpc.json()) as Status).instanceId]).toEqual([200, 'sdk-ops']);
    expect((await fetch(`${fixture.host.rpcBaseUrl.replace('/durabletask/', '/api/')}echo/x`)).status).toBe(
      404,
    );
  });

  it('tells the SDK that suspend is not supported, without touching the instance', async () => {
    await start('approval', null, 'suspend-me');
    const result = await op('suspend/suspend-me', { method: 'POST' });
    expect(result).toEqual({
      status: 500,
      body: { error: expect.stringContaining('unexpected status code: 501') },
    });
    expect(((await op('status/suspend-me')).body as Status).runtimeStatus).toBe('Running');
  });
});
