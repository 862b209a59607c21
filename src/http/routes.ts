/** The host's route prefix (host.json `extensions.http.routePrefix`). */
export const ROUTE_PREFIX = 'api';

export const ALERTS_ROUTE = 'alerts';
export const CAPTURES_ROUTE = 'captures';
export const CAPTURE_ROUTE = 'captures/{instanceId}';
export const STOP_CAPTURE_ROUTE = 'captures/{instanceId}/stop';
export const DOWNLOAD_CAPTURE_ROUTE = 'captures/{instanceId}/download';

/** Where an operator follows, stops and downloads one run. None of these carries a key or a SAS. */
export interface CaptureLinks {
  status: string;
  stop: string;
  download: string;
}

/**
 * The status API links of a run, on the origin the caller used (behind the Functions front end
 * that is the app's public host name). The caller adds its own function key.
 */
export function captureLinks(requestUrl: string, instanceId: string): CaptureLinks {
  const status = `${new URL(requestUrl).origin}/${ROUTE_PREFIX}/${CAPTURES_ROUTE}/${encodeURIComponent(instanceId)}`;
  return { status, stop: `${status}/stop`, download: `${status}/download` };
}
