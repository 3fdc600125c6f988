// One error, two sightings: with "Capture inside workers" on, an error a worker's socket
// received is read on the wire (chrome.debugger), and, when the worker's client passes it on,
// again at the page-worker boundary (the page hook's worker channel). They are one record:
// the wire's (method, DC, request, evidence), carrying the second sighting as `reachedPage`.
//
// The matching rule: a wire record and a page-boundary record (channel `worker`) of the same
// tab are the same error when
//   - their error type is the same (`type`, or `message` when there is no upper-case type), or
//     the page's is the unnumbered name of the wire's with the same code (GramJS's FloodWaitError
//     reaches the page as `FLOOD` for the wire's `FLOOD_WAIT_3600`),
//   - their methods agree where both name one (the page record's `method` or `clientCall`
//     equals the wire's `method`; a page record naming none matches any), and
//   - they were seen within WINDOW_MS of each other.
// Each record merges at most once, the oldest candidate first. A wire record is stored at once
// and remembered for the window; a page-boundary record that matches none is held for the
// window (a wire record may still come) and then stored on its own. Errors a client retries
// (a 500 it repeats, then passes on) merge only their last wire sighting within the window.
// Pure: the caller supplies the clock and a timer.

import type { NewRecord } from './decode-capture.ts';
import type { ErrorRecord, PageSighting } from '../record.ts';

export const SIGHTING_WINDOW_MS = 1500;

interface Remembered {
  id: number;
  key: string;
  code: number;
  method: string | null;
  at: number;
}

interface Held {
  record: NewRecord;
  key: string;
  at: number;
  done: boolean;
}

export interface SightingUpdate {
  id: number;
  reachedPage: PageSighting;
}

export interface SightingClock {
  now(): number;
  /** Runs `fn` after `ms` (the background: setTimeout). */
  later(fn: () => void, ms: number): void;
}

const keyOf = (r: Pick<NewRecord, 'type' | 'message'>): string => r.type ?? r.message;

/** Same error type, or the page's is the unnumbered name of the wire's (FLOOD for FLOOD_WAIT_3600) with the same code. */
function sameType(wireKey: string, wireCode: number, page: Pick<NewRecord, 'type' | 'message' | 'code'>): boolean {
  const pageKey = keyOf(page);
  if (pageKey === wireKey) return true;
  return page.code === wireCode && /^[A-Z_]+$/.test(pageKey) && wireKey.startsWith(pageKey + '_') && /\d/.test(wireKey);
}

function methodsAgree(wireMethod: string | null, page: Pick<NewRecord, 'method' | 'clientCall'>): boolean {
  if (wireMethod === null || (page.method === null && page.clientCall === undefined)) return true;
  return page.method === wireMethod || page.clientCall === wireMethod;
}

/** What a page-boundary record says, as the second sighting of a wire record. */
export function sightingOf(record: NewRecord): PageSighting {
  const sighting: PageSighting = {
    capturedAt: record.capturedAt,
    channel: record.channel,
    dialect: record.dialect,
    message: record.message,
    code: record.code,
    method: record.method,
    evidence: record.evidence,
  };
  if (record.clientCall !== undefined) sighting.clientCall = record.clientCall;
  if (record.note !== undefined) sighting.note = record.note;
  return sighting;
}

/** The merge window of one tab as plain data (see SightingMerger.save); at most 256 of each. */
export interface SavedSightings {
  v: 1;
  wire: Remembered[];
  held: Array<{ record: NewRecord; at: number }>;
}

const SAVED_SIGHTINGS_CAP = 256;

export const isPageBoundary = (record: Pick<NewRecord, 'channel'>): boolean => record.channel === 'worker';

export class SightingMerger {
  private readonly wire = new Map<number, Remembered[]>();
  private readonly held = new Map<number, Held[]>();

  constructor(
    private readonly clock: SightingClock,
    /** Held page-boundary records whose window ended unmatched: the caller stores them. */
    private readonly flush: (tabId: number, records: NewRecord[]) => void,
    private readonly windowMs = SIGHTING_WINDOW_MS,
  ) {}

  /**
   * Wire records about to be stored: each takes the oldest held page-boundary record it
   * matches as `reachedPage` (that record is then not stored). Returns the records to store.
   */
  wireRecords(tabId: number, records: NewRecord[]): NewRecord[] {
    const held = this.held.get(tabId);
    if (!held || held.length === 0) return records;
    const now = this.clock.now();
    return records.map((record) => {
      const key = keyOf(record);
      const match = held.find((h) => !h.done && sameType(key, record.code, h.record) && now - h.at <= this.windowMs && methodsAgree(record.method, h.record));
      if (!match) return record;
      match.done = true;
      return { ...record, reachedPage: sightingOf(match.record) };
    });
  }

  /** Stored wire records (with their ids), remembered for the window. */
  rememberWire(tabId: number, stored: readonly ErrorRecord[]): void {
    const now = this.clock.now();
    const list = this.prune(this.wire.get(tabId) ?? [], now);
    for (const record of stored) if (record.reachedPage === undefined) list.push({ id: record.id, key: keyOf(record), code: record.code, method: record.method, at: now });
    this.wire.set(tabId, list.slice(-256));
  }

  /**
   * Records from the page hook. Page-boundary ones that match a remembered wire record become
   * its `reachedPage` (returned as updates); others are held for the window. Returns the
   * records to store now (every record that is not a page-boundary one) and the updates.
   */
  pageRecords(tabId: number, records: NewRecord[]): { store: NewRecord[]; updates: SightingUpdate[] } {
    const now = this.clock.now();
    const store: NewRecord[] = [];
    const updates: SightingUpdate[] = [];
    const remembered = this.prune(this.wire.get(tabId) ?? [], now);
    this.wire.set(tabId, remembered);
    const holding: Held[] = [];
    for (const record of records) {
      if (!isPageBoundary(record)) {
        store.push(record);
        continue;
      }
      const key = keyOf(record);
      const at = remembered.findIndex((w) => sameType(w.key, w.code, record) && methodsAgree(w.method, record));
      if (at >= 0) {
        updates.push({ id: remembered[at].id, reachedPage: sightingOf(record) });
        remembered.splice(at, 1);
        continue;
      }
      holding.push({ record, key, at: now, done: false });
    }
    if (holding.length > 0) {
      const list = this.held.get(tabId) ?? [];
      list.push(...holding);
      this.held.set(tabId, list);
      this.clock.later(() => this.release(tabId, holding), this.windowMs);
    }
    return { store, updates };
  }

  /**
   * The tab's merge window: wire records remembered and page-boundary records held (their
   * records as they will be stored: masked like the log). Null when the window is empty.
   */
  save(tabId: number): SavedSightings | null {
    const now = this.clock.now();
    const wire = this.prune(this.wire.get(tabId) ?? [], now).slice(-SAVED_SIGHTINGS_CAP);
    const held = (this.held.get(tabId) ?? []).filter((h) => !h.done).slice(-SAVED_SIGHTINGS_CAP).map((h) => ({ record: h.record, at: h.at }));
    return wire.length === 0 && held.length === 0 ? null : { v: 1, wire, held };
  }

  /**
   * Takes a saved window back after a restart: held records whose window has passed go to
   * `flush` at once (stored on their own, as they would have been), the others wait out the
   * rest of theirs. Malformed entries are left out; never throws.
   */
  restore(tabId: number, saved: unknown): void {
    const s = saved as Partial<SavedSightings> | null;
    if (s === null || typeof s !== 'object' || s.v !== 1) return;
    const now = this.clock.now();
    const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
    const wire = (Array.isArray(s.wire) ? s.wire : []).filter(
      (w): w is Remembered => w !== null && typeof w === 'object' && num(w.id) && typeof w.key === 'string' && num(w.code) && (w.method === null || typeof w.method === 'string') && num(w.at),
    );
    if (wire.length > 0) this.wire.set(tabId, this.prune([...wire.slice(-SAVED_SIGHTINGS_CAP), ...(this.wire.get(tabId) ?? [])], now));
    const held = (Array.isArray(s.held) ? s.held : []).filter(
      (h): h is { record: NewRecord; at: number } => h !== null && typeof h === 'object' && num(h.at) && h.record !== null && typeof h.record === 'object' && typeof (h.record as NewRecord).message === 'string',
    );
    const expired: NewRecord[] = [];
    for (const h of held.slice(-SAVED_SIGHTINGS_CAP)) {
      const left = h.at + this.windowMs - now;
      if (left <= 0) {
        expired.push(h.record);
        continue;
      }
      const entry: Held = { record: h.record, key: keyOf(h.record), at: h.at, done: false };
      const list = this.held.get(tabId) ?? [];
      list.push(entry);
      this.held.set(tabId, list);
      this.clock.later(() => this.release(tabId, [entry]), left);
    }
    if (expired.length > 0) this.flush(tabId, expired);
  }

  /** Forgets the tab (switch off, tab closed, log cleared): held records are flushed first. */
  forget(tabId: number): void {
    const held = this.held.get(tabId) ?? [];
    this.held.delete(tabId);
    this.wire.delete(tabId);
    const left = held.filter((h) => !h.done).map((h) => h.record);
    for (const h of held) h.done = true;
    if (left.length > 0) this.flush(tabId, left);
  }

  private release(tabId: number, batch: Held[]): void {
    const list = this.held.get(tabId);
    if (list) {
      const rest = list.filter((h) => !batch.includes(h));
      if (rest.length > 0) this.held.set(tabId, rest);
      else this.held.delete(tabId);
    }
    const left = batch.filter((h) => !h.done).map((h) => h.record);
    for (const h of batch) h.done = true;
    if (left.length > 0) this.flush(tabId, left);
  }

  private prune(list: Remembered[], now: number): Remembered[] {
    return list.filter((r) => now - r.at <= this.windowMs);
  }
}
