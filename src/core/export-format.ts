// The export file users script against: versioned so later versions can import old files.

import type { ErrorRecord, ExportFile } from './record.ts';
import { maskSecrets } from './capture/mask-secrets.ts';
import type { CallRecord, ExportedCall } from './calls/call.ts';
import { exportCalls } from './calls/export-calls.ts';

export const EXPORT_FORMAT = 'telegram-api-errors';
export const EXPORT_VERSION = 1;

/** The export file with the call log (version 1 still: fields are only added). */
export interface ExportFileWithCalls extends ExportFile {
  /** The tab's calls in time order (src/core/calls/): written by Export all; absent in older files. */
  calls?: ExportedCall[];
}

/** `calls`: the tab's call log (Export all); absent in exports of a filtered view. */
export function buildExportFile(records: readonly ErrorRecord[], pageUrl: string | null, now: Date, calls?: readonly CallRecord[]): ExportFileWithCalls {
  const file: ExportFileWithCalls = {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    page: { url: pageUrl === null ? null : maskSecrets(pageUrl) },
    // Records are masked when built; masking again guards files built from imported data.
    errors: records.map((r) => ({ ...r, url: r.url === null ? null : maskSecrets(r.url) })),
  };
  // Version stays 1: `calls` (and each record's `before`) are only added.
  if (calls !== undefined) file.calls = exportCalls(calls);
  return file;
}

export function exportFileName(now: Date): string {
  return `telegram-api-errors-${now.toISOString().replace(/[:.]/g, '-')}.json`;
}
