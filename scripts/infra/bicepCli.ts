/**
 * The pinned Bicep CLI (tools/bicep/BicepCli.csproj), restored from NuGet with `dotnet restore`
 * and run from the NuGet packages folder. NuGet's restore output (obj/project.assets.json) says
 * where the package is, so no path or version is guessed here.
 */
import { accessSync, chmodSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../..');
export const TOOLS_PROJECT = path.join(ROOT, 'tools/bicep/BicepCli.csproj');
const ASSETS = path.join(ROOT, 'tools/bicep/obj/project.assets.json');
const PACKAGE_PREFIX = 'Azure.Bicep.CommandLine.';

export class BicepCliError extends Error {
  override readonly name = 'BicepCliError';
}

interface Assets {
  packageFolders: Record<string, unknown>;
  libraries: Record<string, { path: string }>;
}

/** The restored package's `bicep` binary, or undefined when the restore is missing or outdated. */
function restoredBinary(): string | undefined {
  if (!existsSync(ASSETS) || statSync(ASSETS).mtimeMs < statSync(TOOLS_PROJECT).mtimeMs) return undefined;
  const assets = JSON.parse(readFileSync(ASSETS, 'utf8')) as Assets;
  const library = Object.entries(assets.libraries).find(([id]) => id.startsWith(PACKAGE_PREFIX));
  if (!library) return undefined;
  for (const folder of Object.keys(assets.packageFolders)) {
    const dir = path.join(folder, library[1].path, 'tools');
    for (const name of ['bicep', 'bicep.exe']) {
      if (existsSync(path.join(dir, name))) return path.join(dir, name);
    }
  }
  return undefined;
}

/** Restores the pinned CLI if needed (one `dotnet restore`) and returns the binary's path. */
export function bicepBinary(): string {
  let binary = restoredBinary();
  if (!binary) {
    const restore = spawnSync('dotnet', ['restore', TOOLS_PROJECT, '--verbosity', 'quiet'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (restore.error || restore.status !== 0) {
      throw new BicepCliError(
        `dotnet restore ${path.relative(ROOT, TOOLS_PROJECT)} failed (the .NET SDK and a NuGet feed are needed): ${
          restore.error?.message ?? `${restore.stdout}${restore.stderr}`.trim()
        }`,
      );
    }
    binary = restoredBinary();
    if (!binary)
      throw new BicepCliError(`the restore of ${TOOLS_PROJECT} holds no ${PACKAGE_PREFIX}* package`);
  }
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    chmodSync(binary, 0o755);
  }
  return binary;
}

export interface BicepRun {
  status: number;
  /** What the CLI printed on stdout and stderr, in that order. */
  output: string;
}

export function runBicep(args: string[], cwd = ROOT): BicepRun {
  const run = spawnSync(bicepBinary(), args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error) throw new BicepCliError(`bicep ${args[0]} could not run: ${run.error.message}`);
  return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}

export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  level: 'Error' | 'Warning' | 'Info';
  code: string;
  message: string;
}

/** Parses the CLI's default diagnostic lines: `path(line,col) : Level code: message`. */
export function parseDiagnostics(output: string): Diagnostic[] {
  return [...output.matchAll(/^(.+)\((\d+),(\d+)\) : (Error|Warning|Info) ([\w-]+): (.*)$/gm)].map((m) => ({
    file: m[1] as string,
    line: Number(m[2]),
    column: Number(m[3]),
    level: m[4] as Diagnostic['level'],
    code: m[5] as string,
    message: m[6] as string,
  }));
}
