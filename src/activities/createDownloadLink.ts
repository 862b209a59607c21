import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { linkToCaptureBlob, type DownloadLink } from '../azure/downloadLink';
import { runActivity, type ActivityResult } from './activityResult';
import { instanceIdSchema, vmIdSchema } from './schemas';
import { CREATE_DOWNLOAD_LINK_ACTIVITY } from './names';

export { CREATE_DOWNLOAD_LINK_ACTIVITY };

const inputSchema = z.object({
  instanceId: instanceIdSchema,
  vmId: vmIdSchema.optional(),
  /** Blob URL (no SAS) of the capture file or its summary. */
  blobUrl: z.string().min(1),
});

export type CreateDownloadLinkInput = z.input<typeof inputSchema>;
export type CreateDownloadLinkOutput = DownloadLink;

/**
 * A read-only link valid for DOWNLOAD_LINK_TTL_MINUTES. The URL is a secret: it is returned,
 * never logged. Prefer letting `notify` sign the link itself (`download.blobUrl`), which keeps
 * it out of the orchestration history.
 */
export function createDownloadLink(
  input: unknown,
  context: InvocationContext,
): Promise<ActivityResult<DownloadLink>> {
  return runActivity(
    {
      name: CREATE_DOWNLOAD_LINK_ACTIVITY,
      schema: inputSchema,
      scope: (i) => ({ instanceId: i.instanceId, vm: i.vmId }),
      run: async ({ blobUrl }, log) => {
        const { location, link } = await linkToCaptureBlob(blobUrl);
        log.info('link.created', { blob: location.url, expiresOn: link.expiresOn, kind: link.kind });
        return link;
      },
    },
    input,
    context,
  );
}
