// The status bar's account of what the extension saw and did not list, by reason: captures
// dropped before decoding (rate cap, malformed) and error-shaped things that are not API
// errors (a worker's own errors, Web A's companion notices).

import type { DropReason } from '../../shared/messages.ts';

const LABELS: Record<DropReason, [one: string, many: string]> = {
  'local-error': ['client-local error (not from the server) not listed', 'client-local errors (not from the server) not listed'],
  'companion-notice': ['companion notice of an error already listed', 'companion notices of errors already listed'],
  'repeated-wait': [
    'wait the client repeated from an error already listed (no request sent)',
    'waits the client repeated from errors already listed (no request sent)',
  ],
  'rate-limited': ['capture dropped by the rate cap', 'captures dropped by the rate cap'],
  'too-large': ['capture too large to read', 'captures too large to read'],
  'not-json': ['capture that was not JSON', 'captures that were not JSON'],
  'bad-schema': ['malformed capture', 'malformed captures'],
  'bad-base64': ['malformed binary capture', 'malformed binary captures'],
};

/** "2 client-local errors (not from the server) not listed; 1 capture dropped by the rate cap", or null. */
export function dropSummary(dropped: Partial<Record<DropReason, number>>): string | null {
  const parts: string[] = [];
  for (const reason of Object.keys(LABELS) as DropReason[]) {
    const n = dropped[reason] ?? 0;
    if (n > 0) parts.push(`${n.toLocaleString('en-US')} ${LABELS[reason][n === 1 ? 0 : 1]}`);
  }
  return parts.length === 0 ? null : parts.join('; ');
}
