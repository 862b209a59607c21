import { formatSummary } from '../../src/pcap/formatSummary';
import type { RunView } from '../../src/triggers/runView';

const formatSize = (bytes: number): string =>
  bytes >= 1e6
    ? `${(bytes / 1e6).toFixed(1)} MB`
    : bytes >= 1e3
      ? `${(bytes / 1e3).toFixed(1)} kB`
      : `${bytes} B`;

/** The end of a run for a terminal: outcome and why the capture ended, where the file is, the summary. */
export function outcomeLines(view: RunView): string[] {
  const report = view.report;
  const lines = [''];
  lines.push(`Run ${view.id}: ${view.runtimeStatus}${report ? `, ${report.outcome}` : ''}`);
  const capture = report?.capture;
  if (capture) {
    const errors = capture.errors.length > 0 ? `, errors ${capture.errors.join(', ')}` : '';
    lines.push(
      `Capture ${capture.name} (${capture.mode}): ${capture.status ?? 'status unknown'}` +
        `${capture.stopReason ? `, stop reason ${capture.stopReason}` : ''}` +
        `${capture.stoppedBy ? `, stopped by ${capture.stoppedBy}` : ''}${errors}`,
    );
  }
  const error = view.error;
  if (error) lines.push(`Error ${error.code}: ${error.message}`);
  if (view.file) {
    lines.push(`File: ${view.file.url} (${formatSize(view.file.size)}, ${view.file.format})`);
    if (view.file.summaryUrl) lines.push(`Summary: ${view.file.summaryUrl}`);
    lines.push(`Download link (fresh, read-only): GET ${view.links.download} with the function key`);
  } else if (typeof report === 'undefined' && view.runtimeStatus === 'Failed') {
    lines.push('The run failed before writing a report; see the host log.');
  }
  if (view.summary) lines.push('', formatSummary(view.summary, view.file?.url.split('/').pop() ?? 'capture'));
  return lines;
}
