/**
 * `npm run dfmon:upload -- [--account <name>] [--app-url <url>]`: puts the Durable Functions
 * Monitor tab of `dfmon/tab-templates/` into the task hub's storage account, container
 * `durable-functions-monitor`, folder `tab-templates/`. Runs as the azd `postdeploy` hook, where
 * the environment's outputs supply the defaults.
 *
 *   --account <name>       the app's storage account (default APP_STORAGE_ACCOUNT_NAME)
 *   --blob-endpoint <url>  its blob endpoint, for clouds other than Azure public (default https://<account>.blob.core.windows.net)
 *   --app-url <url>        the function app, for the tab's status API links (default FUNCTION_APP_URL; none: no links)
 *
 * Signs in with DefaultAzureCredential (azd, Azure CLI, …): the caller needs Storage Blob Data
 * Contributor on the account. With DFMON_STORAGE_CONNECTION_STRING set (a key-based account, or
 * Azurite), that connection string is used instead; it is never printed.
 *
 * Exit code: 0 uploaded, 1 the upload failed, 2 bad arguments.
 */
import { DefaultAzureCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { parseArgs } from 'node:util';
import { readTabTemplates } from './dfmon/tabTemplates';
import { uploadTabTemplates } from './dfmon/uploadTabTemplates';

const CONNECTION_STRING_VARIABLE = 'DFMON_STORAGE_CONNECTION_STRING';

function blobService(account: string | undefined, endpoint: string | undefined): BlobServiceClient {
  const connectionString = process.env[CONNECTION_STRING_VARIABLE];
  if (connectionString) return BlobServiceClient.fromConnectionString(connectionString);
  if (!account && !endpoint) {
    throw new TypeError(
      'which storage account? Pass --account <name> or set APP_STORAGE_ACCOUNT_NAME (an azd output of this app)',
    );
  }
  const url = endpoint ?? `https://${account}.blob.core.windows.net`;
  return new BlobServiceClient(url, new DefaultAzureCredential());
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      account: { type: 'string' },
      'blob-endpoint': { type: 'string' },
      'app-url': { type: 'string' },
    },
  });
  let templates;
  let service;
  try {
    const appUrl = values['app-url'] ?? process.env.FUNCTION_APP_URL;
    templates = readTabTemplates({ appUrl });
    service = blobService(values.account ?? process.env.APP_STORAGE_ACCOUNT_NAME, values['blob-endpoint']);
    if (!appUrl)
      console.log('No app URL (--app-url or FUNCTION_APP_URL): the tab will not link to the status API.');
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const uploaded = await uploadTabTemplates(service, templates);
  for (const { url } of uploaded) console.log(`Uploaded ${url}`);
  console.log('Restart Durable Functions Monitor (or reattach to the task hub) to see the tab.');
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
