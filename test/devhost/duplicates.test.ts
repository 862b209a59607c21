import { describe, expect, it } from 'vitest';
import { eventually, useDevHost } from './support';

interface Status {
  runtimeStatus: string;
  historyEvents?: Array<{ EventType: string }>;
}

const COPIES = 25;

describe('dev host: many identical start requests at once', () => {
  const fixture = useDevHost();
  const durable = (path: string) =>
    `${fixture.host.url}/runtime/webhooks/durabletask/${path}?code=${fixture.host.systemKey}`;
  const status = async (id: string) =>
    (await (await fetch(`${durable(`instances/${id}`)}&showHistory=true`)).json()) as Status;

  it('starts exactly one instance through the SDK; the others get the extension error', async () => {
    const answers = await Promise.all(
      Array.from({ length: COPIES }, () =>
        fetch(`${fixture.host.url}/api/orchestrations/approval/same-vm`, {
          method: 'POST',
          headers: { 'x-functions-key': fixture.host.functionKey },
          body: '{"delivery":"duplicate"}',
        }),
      ),
    );
    const codes = answers.map((a) => a.status).sort();
    expect(codes.filter((c) => c === 202)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(COPIES - 1);
    const refused = await Promise.all(answers.filter((a) => a.status === 409).map((a) => a.json()));
    expect(refused[0]).toEqual({ error: expect.stringContaining('unexpected status code: 500') });

    const running = await eventually(async () => {
      const current = await status('same-vm');
      return current.runtimeStatus === 'Running' ? current : undefined;
    });
    expect(running.historyEvents!.filter((e) => e.EventType === 'ExecutionStarted')).toHaveLength(1);
    const listed = (await (
      await fetch(`${durable('instances')}&instanceIdPrefix=same-vm`)
    ).json()) as unknown[];
    expect(listed).toHaveLength(1);
  });

  it('starts exactly one instance through the public URL; the others get 500', async () => {
    const answers = await Promise.all(
      Array.from({ length: COPIES }, () =>
        fetch(durable('orchestrators/approval/public-dup'), { method: 'POST' }),
      ),
    );
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    const refused = answers.filter((a) => a.status === 500);
    expect(refused).toHaveLength(COPIES - 1);
    expect(await refused[0]!.json()).toEqual({
      Message: 'Something went wrong while processing your request',
      ExceptionMessage: expect.stringMatching(
        /^An Orchestration instance with the status (Pending|Running) already exists\.$/,
      ),
    });
  });

  it('starts the same id again once the first instance has finished', async () => {
    await fetch(durable('instances/public-dup/raiseEvent/approve'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '"ok"',
    });
    await eventually(async () =>
      (await status('public-dup')).runtimeStatus === 'Completed' ? true : undefined,
    );
    const again = await fetch(durable('orchestrators/approval/public-dup'), { method: 'POST' });
    expect(again.status).toBe(202);
    const restarted = await eventually(async () => {
      const current = await status('public-dup');
      return current.runtimeStatus === 'Running' ? current : undefined;
    });
    expect(restarted.historyEvents!.map((e) => e.EventType)).toEqual(['ExecutionStarted']);
  });
});
