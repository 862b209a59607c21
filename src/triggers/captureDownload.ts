import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { linkToCaptureBlob } from '../azure/downloadLink';
import { summaryBlobName } from '../capture/analysis';
import type { ReportFile } from '../capture/report';
import { AppError } from '../errors/AppError';
import { answerWithProblems, jsonResponse } from './responses';
import { requireRun, runIdFrom, vmIdOf } from './runRequest';

type FileKind = 'capture' | 'summary';

/**
 * `GET /api/captures/{instanceId}/download[?file=capture|summary]`: a fresh read-only link to the
 * run's capture file (or its JSON summary), valid DOWNLOAD_LINK_TTL_MINUTES. The link is made on
 * request, answered once with `no-store` and never logged or kept in the run's history: the
 * caller already holds the function key, which is what the link is worth.
 */
export async function captureDownload(
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  const client = df.getClient(context);
  return answerWithProblems('captureDownload', request, context, async (req, log) => {
    const instanceId = runIdFrom(req);
    const kind = fileKindFrom(req);
    const run = await requireRun(client, instanceId);
    const file = verifiedFileOf(run.output);
    if (file === undefined) {
      throw new AppError(
        'RUN_FILE_NOT_READY',
        `Capture run ${instanceId} has no verified capture file (${run.runtimeStatus}); ask again once it has completed.`,
        { details: { instanceId, runtimeStatus: run.runtimeStatus } },
      );
    }
    const blobUrl = kind === 'capture' ? file.url : (file.summaryUrl ?? summaryBlobName(file.url));
    const { location, link } = await linkToCaptureBlob(blobUrl);
    log.info('run.downloadLinkIssued', {
      instanceId,
      vm: vmIdOf(run.input),
      file: kind,
      blob: location.url,
      expiresOn: link.expiresOn,
    });
    return jsonResponse(200, { id: instanceId, file: kind, blobUrl: location.url, ...link });
  });
}

function fileKindFrom(request: HttpRequest): FileKind {
  const file = request.query.get('file') ?? 'capture';
  if (file !== 'capture' && file !== 'summary') {
    throw new AppError('REQUEST_INVALID', 'file must be "capture" or "summary".', {
      details: { field: 'file' },
    });
  }
  return file;
}

/** The verified capture file (blob URLs without SAS) from the run's report. */
function verifiedFileOf(output: unknown): Pick<ReportFile, 'url' | 'summaryUrl'> | undefined {
  if (typeof output !== 'object' || output === null) return undefined;
  const file = (output as { file?: Partial<ReportFile> }).file;
  if (typeof file?.url !== 'string') return undefined;
  return { url: file.url, ...(typeof file.summaryUrl === 'string' ? { summaryUrl: file.summaryUrl } : {}) };
}
