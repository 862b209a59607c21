import { beforeAll, describe, expect, it } from 'vitest';
import type { CaptureReport } from '../../src/capture/report';
import { readTabTemplates } from '../../scripts/dfmon/tabTemplates';
import { useNotificationReceiver } from '../orchestrators/support/notificationReceiver';
import { createRunHarness } from '../orchestrators/support/runHarness';
import { useOfflineStack } from '../support/stack';
import { dfmonModel, type DfmonModel } from './support/dfmonModel';
import { CAPTURE_TAB, elementText, renderTab, tableFields, tableRows } from './support/tabRendering';

const stack = useOfflineStack({ label: 'dfmon-tab' });
const receiver = useNotificationReceiver();
const APP_URL = 'https://func-alertcapture.azurewebsites.net';
/** An alert rule name is whatever someone typed in the portal: it must come out as text. */
const HOSTILE_RULE = 'Network Out <img src=x onerror="alert(1)"> & more';

/** The tab as the deploy uploads it: with the app's URL. */
const tab = readTabTemplates({ appUrl: APP_URL }).find((t) => t.name === CAPTURE_TAB)!.text;

/** An address and port as people write them: IPv6 in brackets. */
function endpointText({ ip, port }: { ip: string; port: number | null }): string {
  if (port === null) return ip;
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

describe('the Capture tab of a run that captured for its time limit', () => {
  let running: DfmonModel;
  let finished: DfmonModel;
  let report: CaptureReport;

  // One real run: the app's orchestrator and activities on the replay engine, against the
  // Network Watcher emulator and Azurite; the tab is rendered mid-capture and at the end.
  beforeAll(async () => {
    const run = await createRunHarness(stack);
    const id = await run.start(
      'vm-web-01',
      { timeLimitSeconds: 600, filters: [{ protocol: 'TCP', remotePort: '443' }] },
      { alert: { schema: 'commonAlertSchema', ruleName: HOSTILE_RULE, severity: 'Sev2' } },
    );
    await run.untilPhase(id, 'capturing');
    running = dfmonModel(run.host.getStatus(id)!);
    report = await run.finish(id);
    finished = dfmonModel(run.host.getStatus(id)!);
  });

  it('shows the phase, the target and the capture while it runs, and how to stop it', () => {
    const html = renderTab(tab, running);
    expect(elementText(html, 'phase')).toBe('capturing');
    expect(elementText(html, 'runtime')).toBe('Running');
    const target = tableFields(html, 'target');
    expect(target.get('VM')).toBe('vm-web-01');
    expect(target.get('Resource id')).toBe(stack.vmId('vm-web-01'));
    const capture = tableFields(html, 'capture');
    expect(capture.get('Name')).toBe(report.capture!.name);
    expect(capture.get('Status')).toBe('not checked yet');
    expect(capture.get('Expected end')).toBe(report.timings.expectedEndAt);
    expect(html).toContain(`POST ${APP_URL}/api/captures/${running.InstanceId}/stop`);
    expect(html).not.toContain('id="summary"');
  });

  it('shows the outcome, the capture as it ended, the file and where to get it', () => {
    const html = renderTab(tab, finished);
    expect(elementText(html, 'phase')).toBe('succeeded');
    expect(elementText(html, 'runtime')).toBe('Completed');
    expect(elementText(html, 'outcome')).toBe('succeeded');
    expect(Object.fromEntries(tableFields(html, 'target'))).toMatchObject({
      VM: 'vm-web-01',
      Region: 'westeurope',
      'Private IPs': report.target.privateIpAddresses!.join(', '),
      'Network Watcher': report.target.networkWatcherId!,
      'Agent extension': expect.stringMatching(/^AzureNetworkWatcherExtension .*\(present\)$/),
    });
    const capture = tableFields(html, 'capture');
    expect(capture.get('Name')).toBe(report.capture!.name);
    expect(capture.get('Status')).toBe('Stopped, stop reason TimeExceeded, stopped by service');
    expect(capture.get('Time limit')).toBe('600 s');
    expect(capture.get('Bytes per packet')).toBe('whole packets');
    expect(capture.get('Filter 1')).toBe('TCP local *:* remote *:443');
    expect(capture.get('Resource afterwards')).toBe('deleted');
    const file = tableFields(html, 'file');
    expect(file.get('Capture')).toBe(report.file!.url);
    expect(file.get('Format, size')).toMatch(
      new RegExp(`^pcap, ${report.file!.size} bytes \\(\\d+\\.?\\d* MiB\\)$`),
    );
    expect(html).toContain(`href="${APP_URL}/api/captures/${finished.InstanceId}/download"`);
    expect(html).toContain(`href="https://portal.azure.com/#resource${report.target.vmId}/overview"`);
    expect(html).not.toContain('/stop');
  });

  it('shows the summary: totals, TCP signs, and the top talkers, conversations and ports row by row', () => {
    const html = renderTab(tab, finished);
    const summary = report.summary!;
    const totals = tableFields(html, 'summary');
    expect(totals.get('Packets')).toBe(String(summary.packets));
    expect(summary.packets).toBeGreaterThan(0);
    expect(totals.get('Bytes on the wire')).toBe(String(summary.bytesOnWire));
    expect(totals.get('Bytes captured')).toBe(String(summary.bytesCaptured));
    expect(totals.get('TCP SYN / SYN-ACK / RST / FIN')).toBe(
      `${summary.tcp.syn} / ${summary.tcp.synAck} / ${summary.tcp.rst} / ${summary.tcp.fin}`,
    );
    expect(totals.get('Peak packets/s')).toBe(
      `${summary.timeline.peakPacketsPerSecond} at ${summary.timeline.peakAt}`,
    );

    const talkers = summary.topTalkers.byBytes.entries.slice(0, 10);
    expect(talkers.length).toBeGreaterThan(1);
    expect(tableRows(html, 'talkers').slice(1)).toEqual(
      talkers.map((t) => [
        t.ip,
        String(t.packets),
        String(t.bytes),
        String(t.sent.bytes),
        String(t.received.bytes),
      ]),
    );
    expect(tableRows(html, 'conversations').slice(1)).toEqual(
      summary.topConversations.entries
        .slice(0, 10)
        .map((c) => [
          c.protocol,
          endpointText(c.a),
          endpointText(c.b),
          String(c.packets),
          String(c.bytes),
          String(Math.round(c.durationSeconds * 10) / 10),
        ]),
    );
    expect(tableRows(html, 'ports').slice(1)).toEqual(
      summary.topPorts.entries
        .slice(0, 10)
        .map((p) => [p.protocol, String(p.port), String(p.packets), String(p.bytes)]),
    );
    expect(tableRows(html, 'transport').slice(1)).toEqual(
      summary.transport.map((t) => [t.protocol, String(t.packets), String(t.bytes)]),
    );
  });

  it('lists the notifications, and holds no signed link although one was sent', () => {
    const html = renderTab(tab, finished);
    expect(tableRows(html, 'notifications').slice(1)).toEqual([
      ['webhook', new URL(receiver.url('/')).host, 'yes', '1', '200'],
    ]);
    // The generic webhook got a download link with a SAS signature; the report and the tab did not.
    expect(receiver.received('/hook')[0]!.body).toMatch(/[?&]sig=/);
    expect(html).not.toMatch(/[?&]sig=/i);
    expect(html).not.toContain(receiver.url('/hook'));
  });

  it('writes what the alert said as text, never as markup', () => {
    for (const model of [running, finished]) {
      const html = renderTab(tab, model);
      expect(tableFields(html, 'alert').get('Rule')).toBe(HOSTILE_RULE);
      expect(html).not.toContain('<img');
      expect(html).toMatch(/&lt;img src=x onerror=&(quot|#34);alert\(1\)&(quot|#34);&gt; &amp; more/);
    }
  });

  it('reads the runtime status whether the host gives its number (Fluid) or its name', () => {
    const byName = renderTab(tab, { ...finished, RuntimeStatus: 'Completed' });
    expect(byName).toBe(renderTab(tab, finished));
  });

  it('leaves the app links out when the upload had no app URL', () => {
    const html = renderTab(readTabTemplates().find((t) => t.name === CAPTURE_TAB)!.text, finished);
    expect(html).not.toContain('/api/captures');
    expect(tableFields(html, 'capture').get('Name')).toBe(report.capture!.name);
  });
});

describe('the Capture tab of a run that failed', () => {
  it("shows the error with Network Watcher's words, and the capture as it ended", async () => {
    const run = await createRunHarness(stack);
    await stack.admin.addFaults({ capture: [{ kind: 'agentStopped', afterSeconds: 60 }] });
    const id = await run.start('vm-web-02', { timeLimitSeconds: 1200 });
    const report = await run.finish(id);
    expect(report.outcome).toBe('failed');

    const html = renderTab(tab, dfmonModel(run.host.getStatus(id)!));
    expect(elementText(html, 'phase')).toBe('failed');
    expect(elementText(html, 'outcome')).toBe('failed');
    const error = tableFields(html, 'error');
    expect(error.get('Code')).toBe('CAPTURE_FAILED');
    expect(error.get('Message')).toBe(report.error!.message);
    expect(error.get('Message')).toContain('AgentStopped');
    expect(tableFields(html, 'capture').get('Network Watcher errors')).toBe('AgentStopped');
    expect(tableFields(html, 'target').get('VM')).toBe('vm-web-02');
    expect(html).not.toContain('id="summary"');
  });
});
