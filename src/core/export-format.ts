// The export file users script against: versioned so later versions can import old files.

import type { ErrorRecord, ExportFile } from './record.ts';
import { maskSecrets } from './capture/mask-secrets.ts';

export const EXPORT_FORMAT = 'telegram-api-errors';
export const EXPORT_VERSION = 1;

export function buildExportFile(records: readonly ErrorRecord[], pageUrl: string | null, now: Date): ExportFile {
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    page: { url: pageUrl === null ? null : maskSecrets(pageUrl) },
    // Records are masked when built; masking again guards files built from imported data.
    errors: records.map((r) => ({ ...r, url: r.url === null ? null : maskSecrets(r.url) })),
  };
}

export function exportFileName(now: Date): string {
  return `telegram-api-errors-${now.toISOString().replace(/[:.]/g, '-')}.json`;
}
