// Filtering the timeline; pure so the counts and the view agree by construction.

import type { Channel, ErrorRecord } from '../../core/record.ts';
import { capturedMsOf, retryMsOf, searchKeyOf, typeKeyOf } from './record-facts.ts';

export const CODE_BUCKETS = ['303', '400', '401', '403', '404', '406', '420', '500', 'other'] as const;
export type CodeBucket = (typeof CODE_BUCKETS)[number];

export function codeBucket(record: ErrorRecord): CodeBucket {
  // Bot API / TDLib 429 floods are shown with the 420 floods they are.
  if (record.class === 'FLOOD') return '420';
  // A switch on the number: this runs for every record on every filter change.
  switch (record.code) {
    case 303:
      return '303';
    case 400:
      return '400';
    case 401:
      return '401';
    case 403:
      return '403';
    case 404:
      return '404';
    case 406:
      return '406';
    case 420:
      return '420';
    case 500:
      return '500';
    default:
      return 'other';
  }
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

/** Everything the user can narrow the timeline by. */
export interface TimelineFilter {
  /** Empty: every code. */
  buckets: ReadonlySet<CodeBucket>;
  /** Free text over type, message, method and URL; space-separated words must all match. */
  text: string;
  method: string | null;
  channel: Channel | null;
  /** Only waits whose retry time is still ahead. */
  waitingNow: boolean;
  /** Only errors the client mishandled (handling audit verdict `violation`). */
  violations: boolean;
  /** A type group picked in the overview (`typeKeyOf`). */
  typeKey: string | null;
  /** A time slice picked in the overview: epoch ms, `from` included, `to` excluded. */
  timeRange: { from: number; to: number } | null;
}

export const NO_FILTER: TimelineFilter = {
  buckets: new Set(),
  text: '',
  method: null,
  channel: null,
  waitingNow: false,
  violations: false,
  typeKey: null,
  timeRange: null,
};

export function isFiltering(filter: TimelineFilter): boolean {
  return (
    filter.buckets.size > 0 ||
    filter.text.trim() !== '' ||
    filter.method !== null ||
    filter.channel !== null ||
    filter.waitingNow ||
    filter.violations ||
    filter.typeKey !== null ||
    filter.timeRange !== null
  );
}

/**
 * One predicate for the whole filter, built once per filter change: the checks that need
 * no string work come first, and the search words are lower-cased once here.
 */
export function compileFilter(filter: TimelineFilter, now: number): (record: ErrorRecord) => boolean {
  const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
  const { buckets, method, channel, waitingNow, violations, typeKey, timeRange } = filter;
  return (record) => {
    if (buckets.size > 0 && !buckets.has(codeBucket(record))) return false;
    if (method !== null && record.method !== method) return false;
    if (channel !== null && record.channel !== channel) return false;
    if (typeKey !== null && typeKeyOf(record) !== typeKey) return false;
    if (waitingNow && !(retryMsOf(record) > now)) return false;
    if (violations && record.handling?.verdict !== 'violation') return false;
    if (timeRange !== null) {
      const at = capturedMsOf(record);
      if (at < timeRange.from || at >= timeRange.to) return false;
    }
    if (words.length > 0) {
      const key = searchKeyOf(record);
      for (const word of words) if (!key.includes(word)) return false;
    }
    return true;
  };
}

export function filterRecords(records: ErrorRecord[], filter: TimelineFilter, now: number): ErrorRecord[] {
  if (!isFiltering(filter)) return records;
  return records.filter(compileFilter(filter, now));
}

/** Distinct values for the method and channel menus, most frequent first. */
export function distinctValues(records: readonly ErrorRecord[], pick: (r: ErrorRecord) => string | null): string[] {
  const counts = new Map<string, number>();
  for (const r of records) {
    const value = pick(r);
    if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([value]) => value);
}
