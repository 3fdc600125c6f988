/** First index whose id is >= `id`; the items (records, calls) are in increasing id order. */
export function lowerBoundById(records: readonly { id: number }[], id: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
