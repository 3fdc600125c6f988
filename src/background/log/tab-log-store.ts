// Per-tab error logs that outlive the service worker. The log lives in storage (IndexedDB in
// the extension: idb-storage.ts) in fixed-size chunks, so an append rewrites one small chunk
// instead of the whole log, and the ring drops its oldest chunk when full. Only a bounded window
// is held in memory: the newest chunk, chunks changed and not yet written, and the most
// recently used others up to CACHED_CHUNKS per tab (about 2,000 records). A panel opening on a
// log gets its newest records from here and reads the older chunks from storage itself
// (splitForPanel); recordBatches reads the whole log a batch at a time for the other readers.

import type { ErrorRecord, PageSighting } from '../../core/record.ts';
import type { HandlingVerdict } from '../../core/handling/types.ts';
import { MAX_RECORDS_CHOICES, type DropReason, type NavigationMarker, type TabSettings, type TabStats } from '../../shared/messages.ts';
import type { SessionStorage } from '../../platform/extension-api.ts';
import { linkRedirect, type PendingRedirect } from '../../core/errors/redirect-chains.ts';

export const DEFAULT_MAX_RECORDS = 5000;
/**
 * Records per stored chunk: small enough that a chunk (about 700 bytes a record) stays under the
 * 64 KB above which Chrome's IndexedDB keeps a value as a separate blob file, which made reading
 * a log of 100,000 (400 chunks of 250) several times slower (bench-live-log.ts).
 */
export const CHUNK_SIZE = 64;
const FLUSH_DELAY_MS = 25;
/** Chunks of a tab held in memory besides those not yet written (CHUNK_SIZE records each). */
export const CACHED_CHUNKS = 32;
/** Key ids listed per tab as "traffic under a key you have not given". */
const MAX_UNKNOWN_KEY_IDS = 16;

interface TabMeta {
  nextId: number;
  /** Redirects whose repeat has not been seen yet (see redirect-chains.ts). */
  redirects: PendingRedirect[];
  settings: TabSettings;
  markers: NavigationMarker[];
  /** Chunk numbers currently stored, oldest first. */
  chunks: number[];
  /** Records in each chunk of `chunks` (same order): counts and the cap without reading them. */
  sizes: number[];
  /** The first record id of each chunk of `chunks` (-1 while empty): a record found by id reads one chunk. */
  firstIds: number[];
  nextChunk: number;
  pageUrl: string | null;
  stats: TabStats;
}

interface TabLog {
  meta: TabMeta;
  /** The chunks held in memory (a window of the log); insertion order is recency of use. */
  chunks: Map<number, ErrorRecord[]>;
  dirty: Set<number>;
  removed: number[];
}

/** Chunks read from storage in one request (about 5,000 records). */
const READ_BATCH_CHUNKS = 80;

const metaKey = (tabId: number) => `log:${tabId}:meta`;
const chunkKey = (tabId: number, chunk: number) => `log:${tabId}:c${chunk}`;

const emptyStats = (): TabStats => ({ droppedOldest: 0, dropped: {}, diagnostics: 0 });
export const DEFAULT_SETTINGS: TabSettings = { recording: true, preserveLog: false, maxRecords: DEFAULT_MAX_RECORDS };
/** Markers beyond this many are dropped oldest first (a page reloading in a loop). */
const MAX_MARKERS = 200;
const emptyMeta = (): TabMeta => ({
  nextId: 1,
  redirects: [],
  settings: { ...DEFAULT_SETTINGS },
  markers: [],
  chunks: [],
  sizes: [],
  firstIds: [],
  nextChunk: 0,
  pageUrl: null,
  stats: emptyStats(),
});

export type NewRecord = Omit<ErrorRecord, 'id'>;

export class TabLogStore {
  private readonly logs = new Map<number, Promise<TabLog>>();
  private readonly dirtyTabs = new Set<number>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: SessionStorage,
    /** Upper bound on any tab's cap (tests lower it). */
    private readonly maxRecords: number = Math.max(...MAX_RECORDS_CHOICES),
  ) {}

  /** Loads once per worker lifetime; concurrent callers share the same promise. */
  private load(tabId: number): Promise<TabLog> {
    let log = this.logs.get(tabId);
    if (!log) {
      log = this.readFromStorage(tabId);
      this.logs.set(tabId, log);
    }
    return log;
  }

  private async readFromStorage(tabId: number): Promise<TabLog> {
    const stored = await this.storage.get([metaKey(tabId)]).catch(() => ({}) as Record<string, unknown>);
    // Spread over the defaults so metas written by older versions gain new fields.
    const saved = (stored[metaKey(tabId)] as Partial<TabMeta> | undefined) ?? {};
    const meta: TabMeta = { ...emptyMeta(), ...saved, settings: { ...DEFAULT_SETTINGS, ...saved.settings } };
    const chunks = new Map<number, ErrorRecord[]>();
    const log: TabLog = { meta, chunks, dirty: new Set(), removed: [] };
    if (meta.sizes?.length !== meta.chunks.length || meta.firstIds?.length !== meta.chunks.length) {
      // A meta from before the window (or damaged): sizes and first ids are read once from the chunks.
      meta.sizes = [];
      meta.firstIds = [];
      for (let at = 0; at < meta.chunks.length; at += READ_BATCH_CHUNKS) {
        const part = meta.chunks.slice(at, at + READ_BATCH_CHUNKS);
        const data = await this.storage.get(part.map((c) => chunkKey(tabId, c))).catch(() => ({}) as Record<string, unknown>);
        for (const c of part) {
          const records = (data[chunkKey(tabId, c)] as ErrorRecord[] | undefined) ?? [];
          meta.sizes.push(records.length);
          meta.firstIds.push(records[0]?.id ?? -1);
        }
      }
    }
    const newest = meta.chunks.at(-1);
    if (newest !== undefined) await this.chunk(tabId, log, newest);
    return log;
  }

  /** A chunk's records: from the window, or read from storage into it (the least recently used written chunk leaves). */
  private async chunk(tabId: number, log: TabLog, c: number): Promise<ErrorRecord[]> {
    const held = log.chunks.get(c);
    if (held) {
      log.chunks.delete(c);
      log.chunks.set(c, held);
      return held;
    }
    const data = await this.storage.get([chunkKey(tabId, c)]).catch(() => ({}) as Record<string, unknown>);
    const records = (data[chunkKey(tabId, c)] as ErrorRecord[] | undefined) ?? [];
    // Removed while it was being read (cap, clear): not kept.
    if (log.meta.chunks.includes(c)) {
      log.chunks.set(c, records);
      this.trim(log);
    }
    return records;
  }

  /** Lets written chunks beyond the window go (the newest and unwritten ones stay). */
  private trim(log: TabLog): void {
    if (log.chunks.size <= CACHED_CHUNKS) return;
    const newest = log.meta.chunks.at(-1);
    for (const c of log.chunks.keys()) {
      if (log.chunks.size <= CACHED_CHUNKS) break;
      if (c !== newest && !log.dirty.has(c)) log.chunks.delete(c);
    }
  }

  /**
   * The whole log, oldest first, in batches of about `batchRecords` records (the first of
   * `firstBatchRecords`) read from storage
   * (chunks in the window as they are there); only one batch is held at a time by this store.
   */
  async *recordBatches(tabId: number, batchRecords = 5000, firstBatchRecords = batchRecords): AsyncGenerator<ErrorRecord[]> {
    const log = await this.load(tabId);
    const order = log.meta.chunks.slice();
    const chunksOf = (records: number) => Math.max(1, Math.floor(records / CHUNK_SIZE));
    for (let at = 0, perBatch = chunksOf(firstBatchRecords); at < order.length; at += perBatch, perBatch = chunksOf(batchRecords)) {
      const part = order.slice(at, at + perBatch);
      const missing = part.filter((c) => !log.chunks.has(c));
      const data = missing.length ? await this.storage.get(missing.map((c) => chunkKey(tabId, c))).catch(() => ({}) as Record<string, unknown>) : {};
      const batch: ErrorRecord[] = [];
      for (const c of part) {
        // A chunk dropped meanwhile (cap) is skipped; one in the window is its latest state.
        if (!log.meta.chunks.includes(c)) continue;
        const records = log.chunks.get(c) ?? (data[chunkKey(tabId, c)] as ErrorRecord[] | undefined) ?? [];
        for (const r of records) batch.push(r);
      }
      yield batch;
    }
  }

  /**
   * The log split for a panel: the newest chunks' records (at least `newestRecords`, from the
   * window in memory) and the storage keys of the older chunks, oldest first, written to storage
   * before this returns so a reader of the storage sees them as they are now. Call it from the
   * tab's queue (nothing else changes the log meanwhile).
   */
  async splitForPanel(tabId: number, newestRecords: number): Promise<{ newest: ErrorRecord[]; olderKeys: string[]; olderCount: number }> {
    const log = await this.load(tabId);
    const order = log.meta.chunks.slice();
    let at = order.length;
    let held = 0;
    while (at > 0 && held < newestRecords) held += log.meta.sizes[--at] ?? 0;
    const newest: ErrorRecord[] = [];
    for (const c of order.slice(at)) for (const r of await this.chunk(tabId, log, c)) newest.push(r);
    const olderChunks = order.slice(0, at).filter((c) => log.meta.chunks.includes(c));
    // Unwritten changes to the older chunks (verdicts) reach storage first; a write under way
    // is waited for. A write that failed twice leaves its chunks as they were stored.
    if (olderChunks.some((c) => log.dirty.has(c))) {
      for (let tries = 0; tries < 2 && olderChunks.some((c) => log.dirty.has(c)); tries++) {
        this.dirtyTabs.add(tabId);
        await this.flush();
      }
    } else {
      await this.flushing;
    }
    let olderCount = 0;
    for (const c of olderChunks) olderCount += log.meta.sizes[log.meta.chunks.indexOf(c)] ?? 0;
    return { newest, olderKeys: olderChunks.map((c) => chunkKey(tabId, c)), olderCount };
  }

  /** Records held in memory for the tab (the window), against count() kept in storage. */
  async heldRecords(tabId: number): Promise<number> {
    let n = 0;
    for (const records of (await this.load(tabId)).chunks.values()) n += records.length;
    return n;
  }

  /** The whole log in one array (tests, the get-log request); panels get it in batches. */
  async records(tabId: number): Promise<ErrorRecord[]> {
    const out: ErrorRecord[] = [];
    for await (const batch of this.recordBatches(tabId)) for (const r of batch) out.push(r);
    return out;
  }

  async stats(tabId: number): Promise<TabStats> {
    return structuredClone((await this.load(tabId)).meta.stats);
  }

  async pageUrl(tabId: number): Promise<string | null> {
    return (await this.load(tabId)).meta.pageUrl;
  }

  async settings(tabId: number): Promise<TabSettings> {
    return { ...(await this.load(tabId)).meta.settings };
  }

  async setSettings(tabId: number, change: Partial<TabSettings>): Promise<TabSettings> {
    const log = await this.load(tabId);
    if (typeof change.recording === 'boolean') log.meta.settings.recording = change.recording;
    if (typeof change.preserveLog === 'boolean') log.meta.settings.preserveLog = change.preserveLog;
    if ((MAX_RECORDS_CHOICES as readonly unknown[]).includes(change.maxRecords)) {
      log.meta.settings.maxRecords = change.maxRecords!;
      this.enforceCap(log);
    }
    this.markDirty(tabId);
    return { ...log.meta.settings };
  }

  async markers(tabId: number): Promise<NavigationMarker[]> {
    return [...(await this.load(tabId)).meta.markers];
  }

  /**
   * The top frame loaded a new document. Like the Network panel: the log starts afresh,
   * unless the user chose to preserve it; then a marker records where the new page began.
   */
  async pageStart(tabId: number, url: string, at: string): Promise<NavigationMarker | null> {
    const log = await this.load(tabId);
    if (!log.meta.settings.preserveLog) {
      await this.clear(tabId);
      log.meta.pageUrl = url;
      return null;
    }
    log.meta.pageUrl = url;
    const marker = { beforeId: log.meta.nextId, url, at };
    log.meta.markers.push(marker);
    if (log.meta.markers.length > MAX_MARKERS) log.meta.markers.splice(0, log.meta.markers.length - MAX_MARKERS);
    this.markDirty(tabId);
    return marker;
  }

  async count(tabId: number): Promise<number> {
    const log = await this.load(tabId);
    let n = 0;
    for (const size of log.meta.sizes) n += size;
    return n;
  }

  /** Assigns ids in arrival order and returns the stored records. */
  async append(tabId: number, fresh: NewRecord[], pageUrl?: string | null): Promise<ErrorRecord[]> {
    const log = await this.load(tabId);
    const { meta } = log;
    if (pageUrl !== undefined && pageUrl !== null) meta.pageUrl = pageUrl;
    const stored: ErrorRecord[] = [];
    for (const record of fresh) {
      let last = meta.chunks.at(-1);
      let chunk = last === undefined ? undefined : await this.chunk(tabId, log, last);
      if (last === undefined || !chunk || chunk.length >= CHUNK_SIZE) {
        last = meta.nextChunk++;
        chunk = [];
        meta.chunks.push(last);
        meta.sizes.push(0);
        meta.firstIds.push(-1);
        log.chunks.set(last, chunk);
      }
      const withId = { id: meta.nextId++, ...record } as ErrorRecord;
      linkRedirect(meta.redirects, withId);
      chunk.push(withId);
      const at = meta.chunks.length - 1;
      meta.sizes[at] = chunk.length;
      if (meta.firstIds[at] === -1) meta.firstIds[at] = withId.id;
      log.dirty.add(last);
      stored.push(withId);
    }
    this.enforceCap(log);
    this.trim(log);
    this.markDirty(tabId);
    return stored;
  }

  /**
   * Handling audit: replaces the verdict of the records with these ids (a new record object in
   * its chunk, which is rewritten). Returns the updates applied: records no longer in the log
   * (dropped by the cap, cleared) are skipped.
   */
  async updateHandling(tabId: number, updates: readonly { id: number; handling: HandlingVerdict }[]): Promise<{ id: number; handling: HandlingVerdict }[]> {
    if (updates.length === 0) return [];
    const log = await this.load(tabId);
    const applied: { id: number; handling: HandlingVerdict }[] = [];
    for (const update of updates) {
      const place = await this.find(tabId, log, update.id);
      if (place === null) continue;
      place.chunk[place.index] = { ...place.chunk[place.index], handling: update.handling };
      log.dirty.add(place.chunkNo);
      applied.push(update);
    }
    if (applied.length > 0) this.markDirty(tabId);
    return applied;
  }

  /**
   * "Capture inside workers": adds the page-worker boundary sighting to wire records by id.
   * Returns the updates applied (records no longer in the log are skipped).
   */
  async updateSightings(tabId: number, updates: readonly { id: number; reachedPage: PageSighting }[]): Promise<{ id: number; reachedPage: PageSighting }[]> {
    if (updates.length === 0) return [];
    const log = await this.load(tabId);
    const applied: { id: number; reachedPage: PageSighting }[] = [];
    for (const update of updates) {
      const place = await this.find(tabId, log, update.id);
      if (place === null) continue;
      place.chunk[place.index] = { ...place.chunk[place.index], reachedPage: update.reachedPage };
      log.dirty.add(place.chunkNo);
      applied.push(update);
    }
    if (applied.length > 0) this.markDirty(tabId);
    return applied;
  }

  /**
   * Removes records by id ("Capture inside workers": a SharedWorker's error stored in every tab
   * that reads it, then told by the page boundary to be another tab's). An emptied chunk goes,
   * as the cap's oldest does; sizes and first ids follow. Returns how many were removed.
   */
  async remove(tabId: number, ids: readonly number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const log = await this.load(tabId);
    let removed = 0;
    for (const id of ids) {
      const place = await this.find(tabId, log, id);
      if (place === null) continue;
      place.chunk.splice(place.index, 1);
      removed++;
      const at = log.meta.chunks.indexOf(place.chunkNo);
      if (place.chunk.length === 0 && place.chunkNo !== log.meta.chunks.at(-1)) {
        log.meta.chunks.splice(at, 1);
        log.meta.sizes.splice(at, 1);
        log.meta.firstIds.splice(at, 1);
        log.chunks.delete(place.chunkNo);
        log.dirty.delete(place.chunkNo);
        log.removed.push(place.chunkNo);
      } else {
        log.meta.sizes[at] = place.chunk.length;
        log.meta.firstIds[at] = place.chunk[0]?.id ?? -1;
        log.dirty.add(place.chunkNo);
      }
    }
    if (removed > 0) this.markDirty(tabId);
    return removed;
  }

  /** The chunk and position of a record by id (ids increase along the chunks): binary searches, one chunk read. */
  private async find(tabId: number, log: TabLog, id: number): Promise<{ chunkNo: number; chunk: ErrorRecord[]; index: number } | null> {
    const { chunks, firstIds } = log.meta;
    let lo = 0;
    let hi = chunks.length - 1;
    let at = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const first = firstIds[mid];
      if (first !== -1 && first <= id) {
        at = mid;
        lo = mid + 1;
      } else {
        // Later, or an empty chunk (only the newest can be): search below it.
        hi = mid - 1;
      }
    }
    if (at < 0) return null;
    const chunkNo = chunks[at];
    const chunk = await this.chunk(tabId, log, chunkNo);
    if (!log.meta.chunks.includes(chunkNo)) return null;
    // Held until written (the caller changes it and marks it dirty; trim never lets a dirty chunk go).
    log.chunks.set(chunkNo, chunk);
    let l = 0;
    let h = chunk.length - 1;
    while (l <= h) {
      const m = (l + h) >> 1;
      const v = chunk[m].id;
      if (v === id) return { chunkNo, chunk, index: m };
      if (v < id) l = m + 1;
      else h = m - 1;
    }
    return null;
  }

  private enforceCap(log: TabLog): void {
    let total = 0;
    for (const size of log.meta.sizes) total += size;
    const cap = Math.min(log.meta.settings.maxRecords ?? this.maxRecords, this.maxRecords);
    while (total > cap && log.meta.chunks.length > 1) {
      const oldest = log.meta.chunks.shift()!;
      log.meta.firstIds.shift();
      const size = log.meta.sizes.shift() ?? 0;
      log.chunks.delete(oldest);
      log.dirty.delete(oldest);
      log.removed.push(oldest);
      log.meta.stats.droppedOldest += size;
      total -= size;
    }
  }

  async countDrops(tabId: number, counts: Partial<Record<DropReason, number>>): Promise<void> {
    const log = await this.load(tabId);
    for (const [reason, n] of Object.entries(counts)) {
      if (!Number.isSafeInteger(n) || n <= 0) continue;
      const key = reason as DropReason;
      log.meta.stats.dropped[key] = (log.meta.stats.dropped[key] ?? 0) + n;
    }
    this.markDirty(tabId);
  }

  async countDiagnostics(tabId: number, n: number): Promise<void> {
    if (n <= 0) return;
    (await this.load(tabId)).meta.stats.diagnostics += n;
    this.markDirty(tabId);
  }

  /**
   * Counts what the tab's encrypted traffic gave: messages decrypted, failures, and the
   * auth_key_ids of traffic under no given key. Returns true when the panel should hear of
   * it at once (a key id not seen before), so one unknown key is not repeated per frame.
   */
  async countEncrypted(tabId: number, outcome: { decrypted: number; failed: number; unknownKeyId: string | null }, madeOnWire = false): Promise<boolean> {
    const stats = (await this.load(tabId)).meta.stats;
    const encrypted = (stats.encrypted ??= { decrypted: 0, failed: 0, unknownKeyIds: [] });
    encrypted.decrypted += outcome.decrypted;
    encrypted.failed += outcome.failed;
    let fresh = false;
    if (outcome.unknownKeyId !== null && !encrypted.unknownKeyIds.includes(outcome.unknownKeyId) && encrypted.unknownKeyIds.length < MAX_UNKNOWN_KEY_IDS) {
      encrypted.unknownKeyIds.push(outcome.unknownKeyId);
      fresh = true;
    }
    // A key a connection of the tab made by a handshake on the wire (temporary, or a new login's).
    if (
      madeOnWire &&
      outcome.unknownKeyId !== null &&
      !(encrypted.madeOnWire ??= []).includes(outcome.unknownKeyId) &&
      encrypted.madeOnWire.length < MAX_UNKNOWN_KEY_IDS
    ) {
      encrypted.madeOnWire.push(outcome.unknownKeyId);
      fresh = true;
    }
    this.markDirty(tabId);
    return fresh;
  }

  /** Forgets which key ids were missing (the user just gave keys: the next frames tell again). */
  async resetUnknownKeys(tabId: number): Promise<void> {
    const encrypted = (await this.load(tabId)).meta.stats.encrypted;
    if (!encrypted) return;
    encrypted.unknownKeyIds = [];
    delete encrypted.madeOnWire;
    this.markDirty(tabId);
  }

  async clear(tabId: number): Promise<void> {
    const log = await this.load(tabId);
    log.removed.push(...log.meta.chunks);
    log.chunks.clear();
    log.dirty.clear();
    const { nextId, nextChunk, pageUrl, settings } = log.meta;
    // Ids keep increasing across a clear so a panel never confuses old and new rows.
    log.meta = { ...emptyMeta(), nextId, nextChunk, pageUrl, settings };
    this.markDirty(tabId);
    await this.flush();
  }

  /** Forgets a closed tab entirely, in memory and in storage. */
  async forget(tabId: number): Promise<void> {
    const log = this.logs.get(tabId);
    this.logs.delete(tabId);
    this.dirtyTabs.delete(tabId);
    const chunks = log ? (await log).meta.chunks : [];
    const stored = await this.storage.get([metaKey(tabId)]).catch(() => ({}) as Record<string, unknown>);
    const storedChunks = (stored[metaKey(tabId)] as TabMeta | undefined)?.chunks ?? [];
    const keys = new Set([metaKey(tabId), ...[...chunks, ...storedChunks].map((c) => chunkKey(tabId, c))]);
    await this.storage.remove([...keys]).catch(() => undefined);
  }

  private markDirty(tabId: number): void {
    this.dirtyTabs.add(tabId);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, FLUSH_DELAY_MS);
  }

  /** Writes every dirty tab; safe to call at any time, writes are serialised. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writeDirty());
    return this.flushing;
  }

  private async writeDirty(): Promise<void> {
    const tabIds = [...this.dirtyTabs];
    this.dirtyTabs.clear();
    for (const tabId of tabIds) {
      const pending = this.logs.get(tabId);
      if (!pending) continue;
      const log = await pending;
      const items: Record<string, unknown> = { [metaKey(tabId)]: log.meta };
      for (const c of log.dirty) {
        const records = log.chunks.get(c);
        if (records) items[chunkKey(tabId, c)] = records;
      }
      const removed = log.removed.map((c) => chunkKey(tabId, c));
      const written = [...log.dirty];
      log.dirty.clear();
      log.removed = [];
      try {
        if (removed.length) await this.storage.remove(removed);
        await this.storage.set(items);
      } catch {
        // Over quota: give up the oldest half of this tab's log rather than losing new errors.
        for (const c of written) if (log.chunks.has(c)) log.dirty.add(c);
        await this.shrinkAfterQuotaError(tabId, log);
      }
      // Written: chunks beyond the window may leave memory now.
      this.trim(log);
    }
  }

  private async shrinkAfterQuotaError(tabId: number, log: TabLog): Promise<void> {
    const dropCount = Math.max(1, Math.floor(log.meta.chunks.length / 2));
    const dropped = log.meta.chunks.splice(0, dropCount);
    const sizes = log.meta.sizes.splice(0, dropCount);
    log.meta.firstIds.splice(0, dropCount);
    for (const [i, c] of dropped.entries()) {
      log.meta.stats.droppedOldest += sizes[i] ?? 0;
      log.chunks.delete(c);
      log.dirty.delete(c);
    }
    // The chunks held in memory are written again (the others are already stored as they are).
    const items: Record<string, unknown> = { [metaKey(tabId)]: log.meta };
    for (const c of log.meta.chunks) if (log.chunks.has(c)) items[chunkKey(tabId, c)] = log.chunks.get(c)!;
    await this.storage.remove(dropped.map((c) => chunkKey(tabId, c))).catch(() => undefined);
    await this.storage
      .set(items)
      .then(() => log.dirty.clear())
      .catch(() => undefined);
  }
}
