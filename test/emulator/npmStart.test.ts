import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmulatorAdminClient } from '../../local/emulator';
import { AZURITE_ACCOUNT_KEY } from '../../local/azurite';

const ROOT = join(__dirname, '..', '..');

describe('npm start', () => {
  it('brings up Azurite and the emulator, prints where they listen and the settings, stops on SIGINT with exit 0', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe('tsx local/start.ts');
    const dir = mkdtempSync(join(tmpdir(), 'npm-start-'));
    // The script itself, as npm runs it; npm in between would only add its own signal handling.
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['local/start.ts'], {
      cwd: ROOT,
      env: { ...process.env, OFFLINE_STACK_DIR: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ready line within 45 s:\n${output}`)), 45_000);
      child.stdout.on('data', () => {
        if (output.includes('Offline stack ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((code) => reject(new Error(`npm start exited early (${code}):\n${output}`)));
    });

    const emulatorUrl = /Network Watcher emulator\s+(https:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1] ?? '';
    expect(output).toMatch(/Azurite\s+blob http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1/);
    expect(output).toContain('ARM_ENDPOINT=' + emulatorUrl);
    expect(output).toContain(
      'CAPTURE_STORAGE_CONNECTION=<Azurite connection string, account devstoreaccount1>',
    );
    expect(output).not.toContain(AZURITE_ACCOUNT_KEY);
    const settings = JSON.parse(readFileSync(join(dir, 'local.settings.offline.json'), 'utf8')) as {
      Values: Record<string, string>;
    };
    expect(settings.Values).toMatchObject({
      ARM_ENDPOINT: emulatorUrl,
      AZURE_CREDENTIAL_MODE: 'emulator',
      EMULATOR_CA_CERT: join(dir, 'emulator-cert.pem'),
    });
    const admin = new EmulatorAdminClient({
      url: emulatorUrl,
      certPem: readFileSync(join(dir, 'emulator-cert.pem'), 'utf8'),
    });
    expect(await admin.health()).toEqual({ status: 'ok' });
    expect((await admin.clock()).mode).toBe('real');

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Offline stack stopped.');
    await expect(admin.health()).rejects.toThrow();
    expect(existsSync(join(dir, 'emulator-cert.pem'))).toBe(true);
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});
