import { RestError, type BlobServiceClient } from '@azure/storage-blob';
import { DFMON_CONTAINER, TAB_TEMPLATES_FOLDER, type TabTemplate } from './tabTemplates';

export interface UploadedTemplate {
  blobName: string;
  /** Without any query: a SAS connection string's signature stays out of it. */
  url: string;
}

/**
 * Writes the templates to `durable-functions-monitor/tab-templates/` of the account behind
 * `service` (the task hub's account, where DfMon reads them), creating the private container when
 * it is missing. Uploading again replaces them. DfMon reads templates when it starts.
 * @throws Error with the role to grant when the caller may not write blobs there.
 */
export async function uploadTabTemplates(
  service: BlobServiceClient,
  templates: readonly TabTemplate[],
): Promise<UploadedTemplate[]> {
  const container = service.getContainerClient(DFMON_CONTAINER);
  try {
    await container.createIfNotExists();
    const uploaded: UploadedTemplate[] = [];
    for (const template of templates) {
      const blob = container.getBlockBlobClient(`${TAB_TEMPLATES_FOLDER}/${template.name}`);
      const body = Buffer.from(template.text, 'utf8');
      await blob.upload(body, body.length, {
        blobHTTPHeaders: { blobContentType: 'text/plain; charset=utf-8' },
      });
      uploaded.push({ blobName: blob.name, url: blob.url.split('?')[0]! });
    }
    return uploaded;
  } catch (error) {
    if (error instanceof RestError && error.statusCode === 403) {
      throw new Error(
        `Not allowed to write to container ${DFMON_CONTAINER} of ${service.accountName} (${error.code ?? 403}). ` +
          'Grant yourself Storage Blob Data Contributor on that storage account (shared keys are off), wait a minute, and run it again.',
        { cause: error },
      );
    }
    throw error;
  }
}
