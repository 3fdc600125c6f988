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
//
// A wait the client answers itself. mtcute stores a flood wait per method and answers a later
// call of that method from it, without a request (@mtcute/core network/middlewares/
// flood-waiter.ts: `FLOOD_WAIT_${Math.ceil(left / 1000)}`), so the page gets a second
// FLOOD_WAIT_300 that the server sent once. A page-boundary wait that matched no wire record
// within the window is that replay when a wire record of the same method and template
// (FLOOD_WAIT_X) is still waiting and the page's number is the time left of that wait (within
// REPLAY_SLACK_S; the page's may be the plain FLOOD_WAIT_X for any 420 wait, as mtcute answers
// FLOOD_PREMIUM_WAIT_X from its store): it is not stored but counted (`repeatedWaits`). Both sides must name the
// method; no client library is special-cased, only what the two sightings show.
// Pure: the caller supplies the clock and a timer.

import type { NewRecord } from './decode-capture.ts';
import type { ErrorRecord, PageSighting } from '../record.ts';

export const SIGHTING_WINDOW_MS = 1500;

/** How far the number of a replayed wait may be from the time left (whole seconds, rounded up or down). */
export const REPLAY_SLACK_S = 2;

/** Waits remembered per tab, the newest kept. */
const MAX_WAITS = 256;

interface Remembered {
  id: number;
  key: string;
  code: number;
  method: string | null;
  at: number;
}

/** A wire record's wait (FLOOD_WAIT_X and the other *_WAIT_X with seconds), while it runs. */
interface RunningWait {
  template: string;
  code: number;
  method: string;
  /** Clock time the wait ends. */
  until: number;
  seconds: number;
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

/**
 * The page's wait template stands for the wire's: the same, or the plain FLOOD_WAIT_X for any 420
 * wait (mtcute stores FLOOD_PREMIUM_WAIT_X and FLOOD_TEST_PHONE_WAIT_X too and answers every
 * stored wait as `FLOOD_WAIT_N`).
 */
function sameWaitFamily(wire: RunningWait, pageTemplate: string): boolean {
  return wire.template === pageTemplate || (pageTemplate === 'FLOOD_WAIT_X' && wire.code === 420);
}

/** A stored wire record's wait while it runs: a *_WAIT_X template with its seconds, for a named method. */
function runningWaitOf(record: ErrorRecord, now: number): RunningWait | null {
  const seconds = record.params.seconds;
  if (record.template === null || !/_WAIT_X$/.test(record.template) || record.method === null || typeof seconds !== 'number' || seconds <= 0) return null;
  return { template: record.template, code: record.code, method: record.method, until: now + seconds * 1000, seconds };
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
  private readonly waits = new Map<number, RunningWait[]>();

  constructor(
    private readonly clock: SightingClock,
    /**
     * Held page-boundary records whose window ended unmatched: the caller stores `records` and
     * counts `repeatedWaits`, the ones that were the client's replay of a running wait.
     */
    private readonly flush: (tabId: number, records: NewRecord[], repeatedWaits: number) => void,
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

  /** Whether the tab holds a page-boundary record this wire record would take (nothing is taken). */
  holds(tabId: number, record: NewRecord): boolean {
    const held = this.held.get(tabId);
    if (!held) return false;
    const now = this.clock.now();
    const key = keyOf(record);
    return held.some((h) => !h.done && sameType(key, record.code, h.record) && now - h.at <= this.windowMs && methodsAgree(record.method, h.record));
  }

  /** A remembered wire record that left the log (another tab's, see shared-wire.ts): no page record joins it. */
  forgetWire(tabId: number, id: number): void {
    const list = this.wire.get(tabId);
    if (list)
      this.wire.set(
        tabId,
        list.filter((w) => w.id !== id),
      );
  }

  /** Stored wire records (with their ids), remembered for the window. */
  rememberWire(tabId: number, stored: readonly ErrorRecord[]): void {
    const now = this.clock.now();
    const list = this.prune(this.wire.get(tabId) ?? [], now);
    for (const record of stored)
      if (record.reachedPage === undefined) list.push({ id: record.id, key: keyOf(record), code: record.code, method: record.method, at: now });
    this.wire.set(tabId, list.slice(-256));
    const waits = (this.waits.get(tabId) ?? []).filter((w) => w.until > now);
    for (const record of stored) {
      const wait = runningWaitOf(record, now);
      if (wait !== null) waits.push(wait);
    }
    if (waits.length > 0) this.waits.set(tabId, waits.slice(-MAX_WAITS));
    else this.waits.delete(tabId);
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
    const held = (this.held.get(tabId) ?? [])
      .filter((h) => !h.done)
      .slice(-SAVED_SIGHTINGS_CAP)
      .map((h) => ({ record: h.record, at: h.at }));
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
      (w): w is Remembered =>
        w !== null &&
        typeof w === 'object' &&
        num(w.id) &&
        typeof w.key === 'string' &&
        num(w.code) &&
        (w.method === null || typeof w.method === 'string') &&
        num(w.at),
    );
    if (wire.length > 0) this.wire.set(tabId, this.prune([...wire.slice(-SAVED_SIGHTINGS_CAP), ...(this.wire.get(tabId) ?? [])], now));
    const held = (Array.isArray(s.held) ? s.held : []).filter(
      (h): h is { record: NewRecord; at: number } =>
        h !== null &&
        typeof h === 'object' &&
        num(h.at) &&
        h.record !== null &&
        typeof h.record === 'object' &&
        typeof (h.record as NewRecord).message === 'string',
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
    if (expired.length > 0) this.flush(tabId, expired, 0);
  }

  /** Forgets the tab (switch off, tab closed, log cleared): held records are flushed first. */
  forget(tabId: number): void {
    const held = this.held.get(tabId) ?? [];
    this.held.delete(tabId);
    this.release(tabId, held);
    this.wire.delete(tabId);
    this.waits.delete(tabId);
  }

  private release(tabId: number, batch: Held[]): void {
    const list = this.held.get(tabId);
    if (list) {
      const rest = list.filter((h) => !batch.includes(h));
      if (rest.length > 0) this.held.set(tabId, rest);
      else this.held.delete(tabId);
    }
    const left: NewRecord[] = [];
    let repeated = 0;
    for (const h of batch) {
      if (h.done) continue;
      h.done = true;
      if (this.isReplayedWait(tabId, h)) repeated++;
      else left.push(h.record);
    }
    if (left.length > 0 || repeated > 0) this.flush(tabId, left, repeated);
  }

  /** A held page-boundary wait whose number is the time left of a running wire wait of its method. */
  private isReplayedWait(tabId: number, held: Held): boolean {
    const page = held.record;
    const seconds = page.params.seconds;
    if (page.template === null || page.method === null || typeof seconds !== 'number') return false;
    return (this.waits.get(tabId) ?? []).some((w) => {
      if (!sameWaitFamily(w, page.template!) || (w.method !== page.method && w.method !== page.clientCall) || held.at >= w.until) return false;
      const left = (w.until - held.at) / 1000;
      return seconds <= w.seconds && Math.abs(seconds - left) <= REPLAY_SLACK_S;
    });
  }

  private prune(list: Remembered[], now: number): Remembered[] {
    return list.filter((r) => now - r.at <= this.windowMs);
  }
}
