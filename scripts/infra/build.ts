/**
 * `npm run infra:build`: compiles and lints infra/ with the pinned Bicep CLI and evaluates the
 * scenarios of scenarios.ts with `bicep snapshot`. Writes dist/infra/ (git-ignored):
 *   main.json, alerting.json            the ARM templates azd and the alert wiring deploy
 *   snapshots/<scenario>.json           what the ARM engine would deploy for that scenario
 *   inputs.sha256                       the inputs these were built from (see isInfraBuildCurrent)
 * Any error or warning from the compiler or the linter (infra/bicepconfig.json) fails the build.
 * Exit code: 0 built, 1 diagnostics or a failed step.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, TOOLS_PROJECT, parseDiagnostics, runBicep, type Diagnostic } from './bicepCli';
import { LOCATION, SCENARIOS, SUBSCRIPTION_ID, TENANT_ID, bicepparam } from './scenarios';

export const INFRA_DIR = path.join(ROOT, 'infra');
export const BUILD_DIR = path.join(ROOT, 'dist/infra');
export const ENTRY_TEMPLATES = ['main.bicep', 'alerting.bicep'] as const;
const STAMP = path.join(BUILD_DIR, 'inputs.sha256');

export class InfraBuildError extends Error {
  override readonly name = 'InfraBuildError';
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Hash of everything the build reads: infra/, the pinned CLI project and these scripts. */
function inputsHash(): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(INFRA_DIR), TOOLS_PROJECT, ...filesUnder(__dirname)]) {
    hash.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function isInfraBuildCurrent(): boolean {
  return existsSync(STAMP) && readFileSync(STAMP, 'utf8').trim() === inputsHash();
}

function check(step: string, run: { status: number; output: string }): void {
  const diagnostics = parseDiagnostics(run.output).filter((d) => d.level !== 'Info');
  if (run.status !== 0 || diagnostics.length > 0) {
    throw new InfraBuildError(`${step}: ${run.output.trim() || `exit code ${run.status}`}`, diagnostics);
  }
}

export function buildInfra(log: (line: string) => void = () => undefined): void {
  const hash = inputsHash();
  rmSync(BUILD_DIR, { recursive: true, force: true });
  mkdirSync(path.join(BUILD_DIR, 'snapshots'), { recursive: true });
  for (const template of ENTRY_TEMPLATES) {
    const source = path.join(INFRA_DIR, template);
    check(`bicep build ${template}`, runBicep(['build', source, '--outdir', BUILD_DIR]));
    check(`bicep lint ${template}`, runBicep(['lint', source]));
    log(`built and linted infra/${template}`);
  }
  const work = path.join(BUILD_DIR, 'scenarios');
  mkdirSync(work);
  for (const scenario of SCENARIOS) {
    const paramFile = path.join(work, `${scenario.name}.bicepparam`);
    const using = path.relative(work, path.join(INFRA_DIR, scenario.template)).split(path.sep).join('/');
    writeFileSync(paramFile, bicepparam(scenario, using));
    const scope =
      'resourceGroup' in scenario ? ['--resource-group', scenario.resourceGroup] : ([] as string[]);
    check(
      `bicep snapshot ${scenario.name}`,
      runBicep([
        'snapshot',
        paramFile,
        '--mode',
        'overwrite',
        '--tenant-id',
        TENANT_ID,
        '--subscription-id',
        SUBSCRIPTION_ID,
        '--location',
        LOCATION,
        '--deployment-name',
        scenario.name,
        ...scope,
      ]),
    );
    const snapshot = path.join(work, `${scenario.name}.snapshot.json`);
    const parsed = JSON.parse(readFileSync(snapshot, 'utf8')) as { diagnostics?: string[] };
    if (parsed.diagnostics?.length) {
      throw new InfraBuildError(`bicep snapshot ${scenario.name}: ${parsed.diagnostics.join('\n')}`);
    }
    writeFileSync(path.join(BUILD_DIR, 'snapshots', `${scenario.name}.json`), readFileSync(snapshot));
    log(`evaluated scenario ${scenario.name}`);
  }
  rmSync(work, { recursive: true });
  writeFileSync(STAMP, `${hash}\n`);
}

if (require.main === module) {
  try {
    buildInfra((line) => console.log(line));
    console.log(`infra: 0 errors, 0 warnings; output in ${path.relative(ROOT, BUILD_DIR)}/`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}
