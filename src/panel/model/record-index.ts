// Everything the panel derives from the log, built in one pass when records arrive and kept
// up to date on append in O(new records) (plus O(dropped) when the cap drops the oldest):
// per-record keys in typed arrays (code bucket, method and channel ids, retry time),
// the chip counts, the method and channel menus, the waits and the active-limit candidates.
// Filtering then reads only typed arrays (and the search keys, built once per record), and
// the clock's ticks read a few numbers instead of walking the waits.
//
// The pure functions in filters.ts and active-limits.ts say what the results are; this index
// computes the same results faster (test/panel/record-index.test.ts holds it to them).

import type { ErrorRecord } from '../../core/record.ts';
import { CODE_BUCKETS, isFiltering, type CodeBucket, type TimelineFilter } from './filters.ts';
import type { ActiveLimit } from './active-limits.ts';
import { lowerBoundById } from './lower-bound.ts';
import { typeKeyOf } from './record-facts.ts';

const BUCKET_INDEX = new Map<CodeBucket, number>(CODE_BUCKETS.map((b, i) => [b, i]));

/** CODE_BUCKETS.indexOf(codeBucket(record)), without the string. */
function bucketIndexOf(record: ErrorRecord): number {
  if (record.class === 'FLOOD') return 6;
  switch (record.code) {
    case 303:
      return 0;
    case 400:
      return 1;
    case 401:
      return 2;
    case 403:
      return 3;
    case 404:
      return 4;
    case 406:
      return 5;
    case 420:
      return 6;
    case 500:
      return 7;
    default:
      return 8;
  }
}

/** String values interned to small ids, with how many live records carry each. */
class Interned {
  readonly names: string[] = [];
  readonly counts: number[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
      this.counts.push(0);
    }
    return id;
  }

  /** The id of a known name, or -1 (no record carries it). */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  /** Live values, most frequent first, ties by name (as distinctValues orders them). */
  ranked(): string[] {
    const live: number[] = [];
    for (let i = 0; i < this.names.length; i++) if (this.counts[i] > 0) live.push(i);
    live.sort((a, b) => this.counts[b] - this.counts[a] || this.names[a].localeCompare(this.names[b]));
    return live.map((i) => this.names[i]);
  }
}

interface LimitCandidate {
  label: string;
  retryAt: number;
  record: ErrorRecord;
}

interface FilterCache {
  filter: TimelineFilter;
  now: number;
  /** Version of the index the result was made for. */
  version: number;
  /** Slots [fromSlot, toSlot) were tested. */
  toSlot: number;
  epoch: number;
  slots: Int32Array;
  count: number;
  result: ErrorRecord[];
}

/** Handling verdicts as indexed: VERDICT_CODE[record.handling?.verdict], 0 without one. */
export const VERDICT_CODE = { ok: 1, violation: 2, pending: 3, 'not-observable': 4 } as const;
const VIOLATION = VERDICT_CODE.violation;
function verdictCodeOf(record: ErrorRecord): number {
  const v = record.handling?.verdict;
  return v === undefined ? 0 : (VERDICT_CODE[v] ?? 0);
}

/** The same record, or a copy of it with other fields (a verdict update): same id, time and message. */
function sameRecord(a: ErrorRecord | undefined, b: ErrorRecord | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.id === b.id && a.capturedAt === b.capturedAt && a.message === b.message);
}

const NO_METHOD = -1;
/** An id no record has. */
const NONE = -3;

export class RecordIndex {
  /** Bumped whenever the indexed log changes: a cheap memo key for what depends on it. */
  version = 0;
  /** Chip counts, in CODE_BUCKETS order. */
  readonly bucketCounts = new Int32Array(CODE_BUCKETS.length);
  /** Records whose handling verdict is a violation. */
  violationCount = 0;

  private records: ErrorRecord[] = [];
  /** records[i] lives in slot base + i. */
  private base = 0;
  private end = 0;
  /** Bumped when slots move (compaction): cached slot lists are then stale. */
  private epoch = 0;
  private capacity = 0;
  private bucket = new Uint8Array(0);
  private method = new Int32Array(0);
  private channel = new Int32Array(0);
  /** verdictCodeOf per slot. */
  private verdict = new Uint8Array(0);
  /** Epoch ms of the retry time; NaN for records that are no wait. */
  private retry = new Float64Array(0);
  /** Epoch ms of capturedAt; NaN until first needed. */
  private captured = new Float64Array(0);
  private searchKeys: (string | undefined)[] = [];

  private methods = new Interned();
  private channels = new Interned();

  /** Slots of the waits (records with a valid retry time), in log order, from waitFirst. */
  private waitSlots = new Int32Array(0);
  private waitFirst = 0;
  private waitEnd = 0;
  /** Per label, the first record with the latest retry time: what activeLimits keeps. */
  private limits = new Map<string, LimitCandidate>();
  private limitsStale = false;
  private latest = Number.NEGATIVE_INFINITY;

  private rankedMethods: { version: number; list: string[] } | null = null;
  private rankedChannels: { version: number; list: string[] } | null = null;
  private cache: FilterCache | null = null;
  private spare: Int32Array = new Int32Array(0);

  get size(): number {
    return this.end - this.base;
  }

  /** Brings the index to `records`: only new records are read when the log just grew. */
  sync(records: ErrorRecord[]): void {
    if (records === this.records) return;
    const appended = this.appendedFrom(records);
    if (appended === null) {
      this.reset(records.length);
      this.add(records, 0);
    } else {
      // Records dropped from the front (ids only grow, so they are a prefix of the old log).
      const keptOld = appended;
      const drop = this.size - keptOld;
      if (drop > 0) this.dropFront(drop);
      this.refreshReplaced(records, keptOld, drop);
      this.add(records, keptOld);
    }
    this.records = records;
    this.version++;
  }

  /**
   * Records kept from the previous log that are new objects now (their verdict changed): the
   * verdict index follows, and results holding the old objects are dropped.
   */
  private refreshReplaced(records: ErrorRecord[], kept: number, drop: number): void {
    const old = this.records;
    let changed = false;
    for (let i = 0; i < kept; i++) {
      const r = records[i];
      if (r === old[i + drop]) continue;
      changed = true;
      const slot = this.base + i;
      const code = verdictCodeOf(r);
      if (this.verdict[slot] === VIOLATION) this.violationCount--;
      if (code === VIOLATION) this.violationCount++;
      this.verdict[slot] = code;
    }
    if (changed) {
      this.cache = null;
      this.limitsStale = true;
    }
  }

  private reset(size: number): void {
    this.base = this.end = 0;
    this.epoch++;
    this.bucketCounts.fill(0);
    this.violationCount = 0;
    this.methods = new Interned();
    this.channels = new Interned();
    // Back from a large import to a small live log: give the room back.
    if (this.capacity > 4 * Math.max(1024, size)) {
      this.capacity = 0;
      this.bucket = new Uint8Array(0);
      this.method = new Int32Array(0);
      this.channel = new Int32Array(0);
      this.verdict = new Uint8Array(0);
      this.retry = new Float64Array(0);
      this.captured = new Float64Array(0);
      this.searchKeys = [];
      this.waitSlots = new Int32Array(0);
      this.spare = new Int32Array(0);
    } else {
      this.searchKeys.fill(undefined);
    }
    this.waitFirst = this.waitEnd = 0;
    this.limits = new Map();
    this.limitsStale = false;
    this.latest = Number.NEGATIVE_INFINITY;
    this.cache = null;
  }

  /** Index in `records` where records the index does not hold start, or null if not an append. */
  private appendedFrom(records: ErrorRecord[]): number | null {
    const old = this.records;
    if (old.length === 0) return 0;
    const lastOld = old[old.length - 1];
    const at = lowerBoundById(records, lastOld.id);
    if (at >= records.length || !sameRecord(records[at], lastOld)) return null;
    const shift = old.length - 1 - at;
    if (shift < 0 || !sameRecord(old[shift], records[0])) return null;
    return at + 1;
  }

  private dropFront(count: number): void {
    const to = this.base + count;
    for (let s = this.base; s < to; s++) {
      this.bucketCounts[this.bucket[s]]--;
      if (this.method[s] !== NO_METHOD) this.methods.counts[this.method[s]]--;
      this.channels.counts[this.channel[s]]--;
      if (this.verdict[s] === VIOLATION) this.violationCount--;
      this.searchKeys[s] = undefined;
    }
    while (this.waitFirst < this.waitEnd && this.waitSlots[this.waitFirst] < to) {
      this.waitFirst++;
      this.limitsStale = true;
    }
    this.base = to;
  }

  private ensureCapacity(extra: number): void {
    const live = this.end - this.base;
    if (this.end + extra <= this.capacity) return;
    const capacity = Math.max(1024, (live + extra) * 2);
    const shift = this.base;
    const move = <T extends Uint8Array | Int32Array | Float64Array>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old.subarray(this.base, this.end));
      return next;
    };
    this.bucket = move(this.bucket, (n) => new Uint8Array(n));
    this.method = move(this.method, (n) => new Int32Array(n));
    this.channel = move(this.channel, (n) => new Int32Array(n));
    this.verdict = move(this.verdict, (n) => new Uint8Array(n));
    this.retry = move(this.retry, (n) => new Float64Array(n));
    this.captured = move(this.captured, (n) => new Float64Array(n));
    const keys = new Array<string | undefined>(capacity).fill(undefined);
    for (let s = this.base; s < this.end; s++) keys[s - shift] = this.searchKeys[s];
    this.searchKeys = keys;
    const waits = this.waitEnd - this.waitFirst;
    const waitSlots = new Int32Array(Math.max(256, waits + Math.min(extra, capacity)));
    for (let i = 0; i < waits; i++) waitSlots[i] = this.waitSlots[this.waitFirst + i] - shift;
    this.waitSlots = waitSlots;
    this.waitFirst = 0;
    this.waitEnd = waits;
    this.base = 0;
    this.end = live;
    this.capacity = capacity;
    if (shift !== 0) this.epoch++;
  }

  /** Indexes records[from..] in one pass. */
  private add(records: ErrorRecord[], from: number): void {
    const n = records.length - from;
    if (n <= 0) return;
    this.ensureCapacity(n);
    if (this.waitEnd + n > this.waitSlots.length) {
      const grown = new Int32Array(Math.max(this.waitSlots.length * 2, this.waitEnd + n));
      grown.set(this.waitSlots.subarray(0, this.waitEnd));
      this.waitSlots = grown;
    }
    const { bucket, method, channel, verdict, retry, captured, bucketCounts, methods, channels, waitSlots } = this;
    const methodCounts = methods.counts;
    const channelCounts = channels.counts;
    // Consecutive records often share values: remember the last lookup of each.
    let lastMethod: string | null = null;
    let lastMethodId = NO_METHOD;
    let lastChannel: string | undefined;
    let lastChannelId = -1;
    let slot = this.end;
    let waitEnd = this.waitEnd;
    for (let i = from; i < records.length; i++, slot++) {
      const r = records[i];
      const b = bucketIndexOf(r);
      bucket[slot] = b;
      bucketCounts[b]++;

      const m = r.method;
      if (m !== lastMethod) {
        lastMethod = m;
        lastMethodId = m === null ? NO_METHOD : methods.id(m);
      }
      method[slot] = lastMethodId;
      if (lastMethodId !== NO_METHOD) methodCounts[lastMethodId]++;

      const c = r.channel;
      if (c !== lastChannel) {
        lastChannel = c;
        lastChannelId = channels.id(c);
      }
      channel[slot] = lastChannelId;
      channelCounts[lastChannelId]++;

      const v = r.handling === undefined ? 0 : verdictCodeOf(r);
      verdict[slot] = v;
      if (v === VIOLATION) this.violationCount++;

      captured[slot] = Number.NaN;
      const retryAt = r.action.retryAt;
      const retryMs = retryAt === undefined ? Number.NaN : Date.parse(retryAt);
      retry[slot] = retryMs;
      if (retryMs === retryMs) {
        waitSlots[waitEnd++] = slot;
        if (retryMs > this.latest) this.latest = retryMs;
        if (!this.limitsStale) this.offerLimit(r, retryMs);
      }
    }
    this.end = slot;
    this.waitEnd = waitEnd;
  }

  private offerLimit(r: ErrorRecord, retryMs: number): void {
    const label = r.method ?? `${r.type ?? r.message} (method unknown)`;
    const known = this.limits.get(label);
    if (known === undefined || retryMs > known.retryAt) this.limits.set(label, { label, retryAt: retryMs, record: r });
  }

  private freshLimits(): Map<string, LimitCandidate> {
    if (this.limitsStale) {
      this.limits = new Map();
      this.latest = Number.NEGATIVE_INFINITY;
      for (let w = this.waitFirst; w < this.waitEnd; w++) {
        const slot = this.waitSlots[w];
        const retryMs = this.retry[slot];
        if (retryMs > this.latest) this.latest = retryMs;
        this.offerLimit(this.records[slot - this.base], retryMs);
      }
      this.limitsStale = false;
    }
    return this.limits;
  }

  /** Counts by chip, as countByBucket gives them. */
  counts(): Record<CodeBucket, number> {
    const counts = {} as Record<CodeBucket, number>;
    CODE_BUCKETS.forEach((b, i) => (counts[b] = this.bucketCounts[i]));
    return counts;
  }

  /** The method menu: distinctValues(records, r => r.method). */
  methodList(): string[] {
    if (this.rankedMethods?.version !== this.version) this.rankedMethods = { version: this.version, list: this.methods.ranked() };
    return this.rankedMethods.list;
  }

  /** The channel menu: distinctValues(records, r => r.channel). */
  channelList(): string[] {
    if (this.rankedChannels?.version !== this.version) this.rankedChannels = { version: this.version, list: this.channels.ranked() };
    return this.rankedChannels.list;
  }

  get waitCount(): number {
    return this.waitEnd - this.waitFirst;
  }

  /** The waits, in log order (waitRecords). */
  waits(): ErrorRecord[] {
    const out: ErrorRecord[] = [];
    for (let w = this.waitFirst; w < this.waitEnd; w++) out.push(this.records[this.waitSlots[w] - this.base]);
    return out;
  }

  /** The latest retry time of any wait (-Infinity without waits): some wait runs while it is ahead. */
  latestRetry(): number {
    this.freshLimits();
    return this.latest;
  }

  /** How many waits have not ended at `now` (the "Waiting now" count). */
  runningWaits(now: number): number {
    let running = 0;
    const { waitSlots, retry } = this;
    for (let w = this.waitFirst; w < this.waitEnd; w++) if (retry[waitSlots[w]] > now) running++;
    return running;
  }

  /** activeLimits(waits, now, keepEndedMs), from one candidate per label. */
  activeLimits(now: number, keepEndedMs = 5000): ActiveLimit[] {
    const out: ActiveLimit[] = [];
    for (const { label, retryAt, record } of this.freshLimits().values()) {
      if (retryAt <= now - keepEndedMs) continue;
      out.push({ label, method: record.method, retryAt, since: Date.parse(record.capturedAt), recordId: record.id, ended: retryAt <= now });
    }
    return out.sort((a, b) => Number(a.ended) - Number(b.ended) || a.retryAt - b.retryAt);
  }

  private capturedAt(slot: number): number {
    let at = this.captured[slot];
    if (at !== at) at = this.captured[slot] = Date.parse(this.records[slot - this.base].capturedAt);
    return at;
  }

  /**
   * Epoch ms of every record's capturedAt, aligned with `records` (for the overview), or
   * undefined when the index holds another log.
   */
  capturedTimes(records: readonly ErrorRecord[]): Float64Array | undefined {
    if (records !== this.records) return undefined;
    for (let s = this.base; s < this.end; s++) this.capturedAt(s);
    return this.captured.subarray(this.base, this.end);
  }

  private searchKeyAt(slot: number): string {
    let key = this.searchKeys[slot];
    if (key === undefined) {
      const r = this.records[slot - this.base];
      key = this.searchKeys[slot] = `${r.type ?? ''}\n${r.message}\n${r.method ?? ''}\n${r.url ?? ''}`.toLowerCase();
    }
    return key;
  }

  /**
   * Builds the search keys (and times) in slices between frames, so the first search after a
   * large snapshot or import does not pay for all of them at once. Returns a cancel function.
   */
  warm(schedule: (work: () => void) => unknown = (w) => setTimeout(w, 0)): () => void {
    const SLICE = 5000;
    let cancelled = false;
    let epoch = this.epoch;
    let slot = this.base;
    const step = () => {
      if (cancelled) return;
      if (epoch !== this.epoch || slot < this.base) {
        epoch = this.epoch;
        slot = this.base;
      }
      const stop = Math.min(this.end, slot + SLICE);
      for (; slot < stop; slot++) this.searchKeyAt(slot);
      if (slot < this.end) schedule(step);
    };
    schedule(step);
    return () => {
      cancelled = true;
    };
  }

  /** filterRecords(records, filter, now) over the indexed log; the log itself when nothing filters. */
  filter(filter: TimelineFilter, now: number): ErrorRecord[] {
    if (!isFiltering(filter)) return this.records;
    const cache = this.cache;
    if (cache !== null && cache.epoch === this.epoch && cache.filter === filter && cache.now === now) {
      if (cache.version === this.version) return cache.result;
      return this.extend(cache);
    }
    if (cache !== null && cache.epoch === this.epoch && cache.version === this.version && narrows(cache.filter, cache.now, filter, now)) {
      return this.run(filter, now, cache.slots, cache.count);
    }
    return this.run(filter, now, null, 0);
  }

  private matcher(filter: TimelineFilter, now: number): (slot: number) => boolean {
    const words = filter.text.toLowerCase().split(/\s+/).filter(Boolean);
    let mask = 0;
    for (const b of filter.buckets) mask |= 1 << BUCKET_INDEX.get(b)!;
    const anyBucket = filter.buckets.size === 0;
    // -2: not filtered by it; a name no record carries matches nothing (not even the -1 of "no method").
    const idOf = (values: Interned, name: string | null) => (name === null ? -2 : values.find(name) < 0 ? NONE : values.find(name));
    const methodId = idOf(this.methods, filter.method);
    const channelId = idOf(this.channels, filter.channel);
    const { typeKey } = filter;
    const { waitingNow, violations, timeRange } = filter;
    const { bucket, method, channel, verdict, retry, records, base } = this;
    return (s) => {
      if (!anyBucket && ((mask >> bucket[s]) & 1) === 0) return false;
      if (methodId !== -2 && method[s] !== methodId) return false;
      if (channelId !== -2 && channel[s] !== channelId) return false;
      // Type groups are only filtered on from the overview: read from the record, not indexed.
      if (typeKey !== null && typeKeyOf(records[s - base]) !== typeKey) return false;
      if (waitingNow && !(retry[s] > now)) return false;
      if (violations && verdict[s] !== VIOLATION) return false;
      if (timeRange !== null) {
        const at = this.capturedAt(s);
        if (at < timeRange.from || at >= timeRange.to) return false;
      }
      if (words.length > 0) {
        const key = this.searchKeyAt(s);
        for (const word of words) if (!key.includes(word)) return false;
      }
      return true;
    };
  }

  /** A full pass, or a pass over `within` (the slots of a broader filter's result). */
  private run(filter: TimelineFilter, now: number, within: Int32Array | null, withinCount: number): ErrorRecord[] {
    const match = this.matcher(filter, now);
    // Two slot buffers in turn (the narrowing pass reads one while it fills the other), kept
    // across filter changes: a keystroke allocates only the result.
    const previous = this.cache?.slots;
    const need = within === null ? this.size : withinCount;
    const slots = this.spare.length >= need ? this.spare : new Int32Array(Math.max(need, this.capacity));
    const { records, base } = this;
    let count = 0;
    if (within === null) {
      for (let s = base; s < this.end; s++) if (match(s)) slots[count++] = s;
    } else {
      for (let i = 0; i < withinCount; i++) {
        const s = within[i];
        if (match(s)) slots[count++] = s;
      }
    }
    const result = new Array<ErrorRecord>(count);
    for (let i = 0; i < count; i++) result[i] = records[slots[i] - base];
    this.spare = previous !== undefined && previous !== slots ? previous : new Int32Array(0);
    this.cache = { filter, now, version: this.version, toSlot: this.end, epoch: this.epoch, slots, count, result };
    return result;
  }

  /** The same filter after the log grew (and maybe dropped its oldest): only new records are tested. */
  private extend(cache: FilterCache): ErrorRecord[] {
    const match = this.matcher(cache.filter, cache.now);
    let first = 0;
    while (first < cache.count && cache.slots[first] < this.base) first++;
    let slots = cache.slots;
    let count = cache.count;
    const needed = count - first + (this.end - cache.toSlot);
    if (first > 0 || needed > slots.length) {
      const next = new Int32Array(Math.max(needed, slots.length));
      next.set(slots.subarray(first, count));
      slots = next;
      count -= first;
    }
    const fresh: ErrorRecord[] = [];
    for (let s = Math.max(cache.toSlot, this.base); s < this.end; s++) {
      if (match(s)) {
        slots[count++] = s;
        fresh.push(this.records[s - this.base]);
      }
    }
    let result = cache.result;
    if (first > 0) result = result.slice(first);
    if (fresh.length > 0) result = result.concat(fresh);
    this.cache = { ...cache, version: this.version, toSlot: this.end, slots, count, result };
    return result;
  }
}

/**
 * True when every record `next` keeps is one `prev` kept: the same filter with search words
 * that each contain one of the previous words (typing on, or adding a word).
 */
function narrows(prev: TimelineFilter, prevNow: number, next: TimelineFilter, nextNow: number): boolean {
  if (
    prev.method !== next.method ||
    prev.channel !== next.channel ||
    prev.typeKey !== next.typeKey ||
    prev.waitingNow !== next.waitingNow ||
    prev.violations !== next.violations
  )
    return false;
  if (prev.waitingNow && prevNow !== nextNow) return false;
  if (prev.timeRange !== next.timeRange && (prev.timeRange?.from !== next.timeRange?.from || prev.timeRange?.to !== next.timeRange?.to)) return false;
  if (prev.buckets !== next.buckets && prev.buckets.size > 0) {
    if (next.buckets.size === 0) return false;
    for (const b of next.buckets) if (!prev.buckets.has(b)) return false;
  }
  const before = prev.text.toLowerCase().split(/\s+/).filter(Boolean);
  const after = next.text.toLowerCase().split(/\s+/).filter(Boolean);
  return before.every((word) => after.some((w) => w.includes(word)));
}
