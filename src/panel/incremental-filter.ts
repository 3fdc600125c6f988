// Keeps the filtered view up to date as the log grows: while the filter is unchanged and the
// new log only appended records (and maybe dropped its oldest), only the new records are
// tested, so a busy page does not re-filter 100,000 records on every append.

import type { ErrorRecord } from '../core/record.ts';

export class IncrementalFilter {
  private source: ErrorRecord[] = [];
  private result: ErrorRecord[] = [];
  private predicateKey: unknown = undefined;

  /**
   * `key` identifies the predicate: a different key means a different filter and a full pass.
   * A null predicate means "no filter" and returns `records` itself.
   */
  update(records: ErrorRecord[], key: unknown, predicate: ((r: ErrorRecord) => boolean) | null): ErrorRecord[] {
    if (predicate === null) {
      this.remember(records, key, records);
      return records;
    }
    if (key === this.predicateKey && this.result !== this.source) {
      const appended = this.appendedFrom(records);
      if (appended !== null) {
        const firstId = records.length > 0 ? records[0].id : Number.POSITIVE_INFINITY;
        let result = this.result;
        // Records dropped from the front of the log leave the view too (ids only grow).
        const dropped = lowerBoundById(result, firstId);
        if (dropped > 0) result = result.slice(dropped);
        const fresh: ErrorRecord[] = [];
        for (let i = appended; i < records.length; i++) if (predicate(records[i])) fresh.push(records[i]);
        if (fresh.length > 0) result = result.concat(fresh);
        else if (dropped === 0 && records === this.source) return this.result;
        this.remember(records, key, result);
        return result;
      }
    }
    const result = records.filter(predicate);
    this.remember(records, key, result);
    return result;
  }

  private remember(records: ErrorRecord[], key: unknown, result: ErrorRecord[]): void {
    this.source = records;
    this.predicateKey = key;
    this.result = result;
  }

  /** Index in `records` where records not in the previous source start, or null if not an append. */
  private appendedFrom(records: ErrorRecord[]): number | null {
    const old = this.source;
    if (old.length === 0) return records.length === 0 ? 0 : null;
    const lastOld = old[old.length - 1];
    // The previous last record must still be there, at or before its old position.
    const at = lowerBoundById(records, lastOld.id);
    if (at >= records.length || records[at] !== lastOld) {
      return null;
    }
    // And the records before it must be a suffix of the old log.
    const shift = old.length - 1 - at;
    if (shift < 0 || (records.length > 0 && old[shift] !== records[0])) return null;
    return at + 1;
  }
}

/** First index whose id is >= `id`; records are in increasing id order. */
export function lowerBoundById(records: readonly ErrorRecord[], id: number): number {
  let lo = 0;
  let hi = records.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (records[mid].id < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
