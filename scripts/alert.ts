/**
 * `npm run alert -- <sample|file> [--vm <id>] [options]`: posts an alert to the app's webhook as an
 * action group would, then follows the run phase by phase until it ends and prints its outcome,
 * the capture summary and where the file is.
 *
 *   <sample|file>       a sample of samples/alerts by name (network-out-fired, metric-alert-v2, …) or a JSON file
 *   --vm <id>           point the alert at this VM (default: the first VM of the local inventory)
 *   --storage <id>      point a pinned storage account here (default: the local stack's capture account)
 *   --as-is             post the file unchanged
 *   --url <origin>      the app (default ALERT_CAPTURE_URL or http://127.0.0.1:7071)
 *   --key <key>         function key (default FUNCTION_KEY, or the dev host's .local/host-keys.json)
 *   --no-follow         print the answer and stop
 *   --interval <s>      seconds between status requests (default 1)
 *   --timeout <s>       stop following after this long (default 3600; the run goes on)
 *
 * Exit code: 0 when the run succeeded (or the alert was resolved), 2 when it failed, 1 when the
 * alert was refused or the app could not be reached.
 */
import { parseArgs } from 'node:util';
import type { RunView } from '../src/triggers/runView';
import { describeProblem, followRun } from './alert/followRun';
import {
  localDefaultVmId,
  localFunctionKey,
  localStorageAccountId,
  readAlertPayload,
} from './alert/localDefaults';
import { outcomeLines } from './alert/printOutcome';
import { retargetAlert } from './alert/retarget';
import { AppApi } from './alert/statusClient';

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      vm: { type: 'string' },
      storage: { type: 'string' },
      'as-is': { type: 'boolean', default: false },
      url: { type: 'string' },
      key: { type: 'string' },
      'no-follow': { type: 'boolean', default: false },
      interval: { type: 'string', default: '1' },
      timeout: { type: 'string', default: '3600' },
    },
  });
  const [input] = positionals;
  if (!input || positionals.length > 1) {
    throw new TypeError('usage: npm run alert -- <sample|file> [--vm <vm id>] (see scripts/alert.ts)');
  }
  const intervalMs = seconds(values.interval, 'interval') * 1000;
  const timeoutMs = seconds(values.timeout, 'timeout') * 1000;
  const origin = (values.url ?? process.env.ALERT_CAPTURE_URL ?? 'http://127.0.0.1:7071').replace(/\/+$/, '');
  const api = new AppApi(values.key ?? process.env.FUNCTION_KEY ?? localFunctionKey());

  const { source, payload } = readAlertPayload(input);
  const vmId = values.vm ?? localDefaultVmId();
  const storageAccountId = values.storage ?? localStorageAccountId();
  const body = values['as-is'] ? payload : retargetAlert(payload, { vmId, storageAccountId });
  console.log(`POST ${origin}/api/alerts  ${source}${values['as-is'] ? '' : ` -> ${vmId}`}`);
  const answer = await api.post(`${origin}/api/alerts`, body);

  if (answer.status === 200) {
    console.log(
      `200 ${String(answer.body.status)}: run ${String(answer.body.id)}, ${String(answer.body.outcome)}`,
    );
    return 0;
  }
  if (answer.status !== 202) {
    console.error(`${answer.status} refused: ${describeProblem(answer.body)}`);
    return 1;
  }
  const statusUrl = String(answer.body.statusQueryGetUri);
  console.log(`202 ${answer.body.joined ? 'joined the running' : 'started'} run ${String(answer.body.id)}`);
  console.log(`  status: GET ${statusUrl}   stop: POST ${String(answer.body.stopPostUri)}`);
  if (values['no-follow']) return 0;

  const view: RunView = await followRun(api, statusUrl, { intervalMs, timeoutMs, print: console.log });
  for (const line of outcomeLines(view)) console.log(line);
  return view.report?.outcome === 'succeeded' ? 0 : 2;
}

function seconds(text: string | undefined, name: string): number {
  const value = Number(text);
  if (!(value > 0)) throw new RangeError(`--${name} must be a number of seconds above 0, got ${text}`);
  return value;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
