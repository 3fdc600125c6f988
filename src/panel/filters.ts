// Filtering the timeline; pure so the counts and the view agree by construction.

import type { ErrorRecord } from '../core/record.ts';

export const CODE_BUCKETS = ['303', '400', '401', '403', '404', '406', '420', '500', 'other'] as const;
export type CodeBucket = (typeof CODE_BUCKETS)[number];

const KNOWN = new Set<string>(CODE_BUCKETS);

export function codeBucket(record: ErrorRecord): CodeBucket {
  // Bot API / TDLib 429 floods are shown with the 420 floods they are.
  if (record.class === 'FLOOD') return '420';
  const code = String(record.code);
  return KNOWN.has(code) ? (code as CodeBucket) : 'other';
}

export function countByBucket(records: readonly ErrorRecord[]): Record<CodeBucket, number> {
  const counts = Object.fromEntries(CODE_BUCKETS.map((b) => [b, 0])) as Record<CodeBucket, number>;
  for (const r of records) counts[codeBucket(r)]++;
  return counts;
}

/** An empty selection means "all codes". */
export function filterByBuckets(records: ErrorRecord[], selected: ReadonlySet<CodeBucket>): ErrorRecord[] {
  if (selected.size === 0) return records;
  return records.filter((r) => selected.has(codeBucket(r)));
}
