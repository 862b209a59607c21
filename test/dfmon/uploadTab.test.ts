import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AccountSASPermissions,
  AccountSASResourceTypes,
  AccountSASServices,
  BlobServiceClient,
  generateAccountSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { describe, expect, it } from 'vitest';
import { DFMON_CONTAINER, readTabTemplates, TAB_TEMPLATES_FOLDER } from '../../scripts/dfmon/tabTemplates';
import { parse as parseYaml } from 'yaml';
import { useOfflineStack } from '../support/stack';
import { CAPTURE_TAB } from './support/tabRendering';

const stack = useOfflineStack({ label: 'dfmon-upload' });
const ROOT = join(__dirname, '..', '..');
const APP_URL = 'https://func-alertcapture-e2e.azurewebsites.net';

interface Run {
  code: number | null;
  output: string;
}

/** Runs `npm run dfmon:upload`'s script as the azd hook would, with only the given environment added. */
function upload(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts', 'upload-dfmon-tab.ts'), ...args],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, output })));
}

function blobService(): BlobServiceClient {
  return BlobServiceClient.fromConnectionString(stack.azurite.connectionString);
}

async function uploadedTab(): Promise<string> {
  const blob = blobService()
    .getContainerClient(DFMON_CONTAINER)
    .getBlobClient(`${TAB_TEMPLATES_FOLDER}/${CAPTURE_TAB}`);
  return (await blob.downloadToBuffer()).toString('utf8');
}

/** A connection string with a SAS that may only read: what a caller without the data role gets. */
function readOnlyConnectionString(): string {
  const { accountName, accountKey, blobEndpoint } = stack.azurite;
  const sas = generateAccountSASQueryParameters(
    {
      expiresOn: new Date(Date.now() + 3_600_000),
      permissions: AccountSASPermissions.parse('rl'),
      resourceTypes: AccountSASResourceTypes.parse('sco').toString(),
      services: AccountSASServices.parse('b').toString(),
    },
    new StorageSharedKeyCredential(accountName, accountKey),
  ).toString();
  return `BlobEndpoint=${blobEndpoint};SharedAccessSignature=${sas}`;
}

describe('npm run dfmon:upload', () => {
  it('puts the tab into durable-functions-monitor/tab-templates with the app URL, and again over it', async () => {
    for (const appUrl of [`${APP_URL}/`, APP_URL]) {
      const run = await upload(['--app-url', appUrl], {
        DFMON_STORAGE_CONNECTION_STRING: stack.azurite.connectionString,
      });
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain(`/${DFMON_CONTAINER}/${TAB_TEMPLATES_FOLDER}/${CAPTURE_TAB}`);
      expect(run.output).not.toContain(stack.azurite.accountKey);
    }
    const expected = readTabTemplates({ appUrl: APP_URL }).find((t) => t.name === CAPTURE_TAB)!.text;
    expect(await uploadedTab()).toBe(expected);
    const properties = await blobService().getContainerClient(DFMON_CONTAINER).getProperties();
    expect(properties.blobPublicAccess).toBeUndefined();
  }, 30_000);

  it('takes the app URL from the azd output FUNCTION_APP_URL', async () => {
    const run = await upload([], {
      DFMON_STORAGE_CONNECTION_STRING: stack.azurite.connectionString,
      FUNCTION_APP_URL: 'https://func-from-azd.azurewebsites.net',
    });
    expect(run.code, run.output).toBe(0);
    expect(await uploadedTab()).toContain(
      '{%- assign appUrl = "https://func-from-azd.azurewebsites.net" -%}',
    );
  }, 30_000);

  it('says which role is missing when it may not write, without printing the signature it used', async () => {
    const connection = readOnlyConnectionString();
    const run = await upload(['--app-url', APP_URL], { DFMON_STORAGE_CONNECTION_STRING: connection });
    expect(run.code).toBe(1);
    expect(run.output).toContain('Storage Blob Data Contributor');
    expect(run.output).not.toMatch(/sig=/);
  }, 30_000);

  it('refuses an app URL that is not a bare https origin, and a missing account, before any upload', async () => {
    const withKey = await upload(['--app-url', `${APP_URL}/api/alerts?code=secret-key`], {
      DFMON_STORAGE_CONNECTION_STRING: stack.azurite.connectionString,
    });
    expect(withKey.code).toBe(2);
    expect(withKey.output).toMatch(/bare origin/);
    expect(withKey.output).not.toContain('secret-key');

    const noAccount = await upload(['--app-url', APP_URL], {});
    expect(noAccount.code).toBe(2);
    expect(noAccount.output).toMatch(/--account <name> or set APP_STORAGE_ACCOUNT_NAME/);
  }, 30_000);
});

describe('azd', () => {
  it('runs the upload after each deploy, on every OS, without failing the deploy when it cannot', () => {
    const azureYaml = parseYaml(readFileSync(join(ROOT, 'azure.yaml'), 'utf8')) as {
      hooks: { postdeploy: Record<string, { run: string }> };
    };
    // The hook fails the deploy for the alert wiring only; an upload that cannot run is reported.
    expect(azureYaml.hooks.postdeploy.posix?.run).toMatch(/\(npm run dfmon:upload \|\| echo '[^']+'\)$/);
    expect(azureYaml.hooks.postdeploy.windows?.run).toMatch(
      /npm run dfmon:upload; if \(\$LASTEXITCODE -ne 0\) \{ Write-Host '[^']+' \}; exit 0$/,
    );
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts['dfmon:upload']).toBe('tsx scripts/upload-dfmon-tab.ts');
  });
});
