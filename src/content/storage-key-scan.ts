// The generic half of "Read keys from this page": every value of the origin's localStorage,
// sessionStorage and IndexedDB is looked through for 256-byte values (KeyBytesFinder, in
// src/core/keys/), and only those whose auth_key_id is one the background saw in this tab's
// traffic are handed on. A page can store any 256 bytes it likes under any name; it cannot
// make them the key its own traffic is encrypted under, so nothing it plants is kept (the
// background checks the id again; it trusts nothing from here).
//
// It runs on the page's main thread (the isolated world shares it), so the work is cut into
// slices of SLICE_MS with a yield to the event loop between them; in IndexedDB every record
// arrives in its own cursor event. Read only: databases are opened only by names that
// indexedDB.databases() lists, without a version, in readonly transactions.

import { FINDER_LIMITS, KeyBytesFinder, matchCandidates, type FinderLimits } from '../core/keys/find-key-bytes.ts';
import { toHex } from '../core/mtproto/bytes.ts';
import { listDatabases, openExisting } from './idb-read-only.ts';

/** A slice of work on the page's main thread before the scan yields. */
export const SLICE_MS = 4;
/** The whole scan's time cap. */
const TOTAL_MS = 5_000;
const MAX_DATABASES = 16;
const MAX_STORES_PER_DATABASE = 32;
const MAX_RECORDS_PER_STORE = 200;
const DB_OPEN_MS = 1_500;
const STORE_MS = 1_500;

export interface ScanSummary {
  /** Values looked at (storage entries and IndexedDB records). */
  values: number;
  /** Characters and bytes looked at. */
  bytes: number;
  /** Distinct 256-byte values found, matching or not. */
  candidates: number;
  /** Values too long to parse. */
  skippedLarge: number;
  /** A cap (values, bytes, time) stopped the scan. */
  capped: boolean;
}

export interface StorageScanResult {
  /** Values whose auth_key_id is one of the ids asked for: the key as hex, and where it was. */
  matches: { hex: string; place: string }[];
  summary: ScanSummary;
  /** The longest stretch the scan held the main thread, in ms (for tests and the README's figure). */
  longestSliceMs: number;
}

export interface ScanSources {
  local?: Storage | null;
  session?: Storage | null;
  idb?: IDBFactory | null;
}

export interface ScanOptions {
  /** auth_key_ids (16 hex digits) seen in the tab's traffic. */
  keyIds: ReadonlySet<string>;
  limits?: FinderLimits;
  sliceMs?: number;
  totalMs?: number;
  /** The clock slices are measured with (tests give their own). */
  now?: () => number;
}

/** Hands the main thread back to the page between slices. */
class Slicer {
  private start: number;
  longest = 0;
  constructor(
    private readonly sliceMs: number,
    private readonly now: () => number,
  ) {
    this.start = now();
  }

  /** Call between units of work: yields once the current slice is spent. */
  async between(): Promise<void> {
    const spent = this.now() - this.start;
    if (spent < this.sliceMs) return;
    this.longest = Math.max(this.longest, spent);
    await new Promise((resolve) => setTimeout(resolve, 0));
    this.start = this.now();
  }

  /** A new task began (after awaiting something outside): the slice starts now. */
  resume(): void {
    this.start = this.now();
  }

  /** A unit of work that ran in its own task (an IndexedDB event): measured, no yield needed. */
  measure(run: () => void): void {
    const from = this.now();
    run();
    this.longest = Math.max(this.longest, this.now() - from);
  }

  finish(): void {
    this.longest = Math.max(this.longest, this.now() - this.start);
  }
}

const quote = (name: string) => `'${(name.length > 60 ? `${name.slice(0, 60)}…` : name).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function describeKey(key: IDBValidKey): string {
  let text: string;
  try {
    text =
      typeof key === 'string'
        ? quote(key)
        : typeof key === 'number'
          ? String(key)
          : Array.isArray(key)
            ? JSON.stringify(key)
            : Object.prototype.toString.call(key).slice(8, -1);
  } catch {
    text = '?';
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

async function scanStorage(storage: Storage | null | undefined, label: string, finder: KeyBytesFinder, slicer: Slicer, deadline: number): Promise<void> {
  if (!storage) return;
  let length: number;
  try {
    length = storage.length;
  } catch {
    return;
  }
  for (let i = 0; i < length && finder.open; i++) {
    if (performance.now() > deadline) {
      finder.stats.capped = true;
      return;
    }
    await slicer.between();
    let name: string | null;
    let value: string | null;
    try {
      name = storage.key(i);
      value = name === null ? null : storage.getItem(name);
    } catch {
      return;
    }
    if (name !== null && value !== null) finder.scanText(value, `${label}[${quote(name)}]`);
  }
}

/** One object store's records, each in its own cursor event; resolves when done, capped or out of time. */
function scanStore(db: IDBDatabase, dbName: string, store: string, finder: KeyBytesFinder, slicer: Slicer, ms: number): Promise<void> {
  return new Promise((resolve) => {
    let tx: IDBTransaction;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      finder.stats.capped = true;
      try {
        tx.abort();
      } catch {
        // Already done.
      }
      finish();
    }, ms);
    try {
      tx = db.transaction(store, 'readonly');
      tx.oncomplete = finish;
      tx.onabort = finish;
      tx.onerror = (event) => event.preventDefault();
      const request = tx.objectStore(store).openCursor();
      let records = 0;
      request.onsuccess = () => {
        const cursor = request.result;
        if (!cursor || finished) return;
        slicer.measure(() => finder.scanValue(cursor.value, `IndexedDB ${quote(dbName)}/${quote(store)} [${describeKey(cursor.primaryKey)}]`));
        if (++records < MAX_RECORDS_PER_STORE && finder.open) cursor.continue();
        else if (records >= MAX_RECORDS_PER_STORE) finder.stats.capped = true;
      };
      request.onerror = (event) => event.preventDefault();
    } catch {
      finish();
    }
  });
}

async function scanIndexedDb(idb: IDBFactory | null | undefined, finder: KeyBytesFinder, slicer: Slicer, deadline: number): Promise<void> {
  if (!idb) return;
  const names = await listDatabases(idb, MAX_DATABASES, Math.max(1, deadline - performance.now()));
  slicer.resume();
  for (const name of names) {
    const left = deadline - performance.now();
    if (left <= 0 || !finder.open) return;
    const db = await openExisting(idb, name, Math.min(DB_OPEN_MS, left));
    slicer.resume();
    if (!db) continue;
    try {
      const stores = [...db.objectStoreNames].slice(0, MAX_STORES_PER_DATABASE);
      for (const store of stores) {
        const time = Math.min(STORE_MS, deadline - performance.now());
        if (time <= 0 || !finder.open) break;
        await scanStore(db, name, store, finder, slicer, time);
        slicer.resume();
      }
    } finally {
      db.close();
    }
  }
}

/** Looks through the origin's storage for 256-byte values; returns those whose auth_key_id is asked for. */
export async function scanStorageForKeys(sources: ScanSources, options: ScanOptions): Promise<StorageScanResult> {
  const finder = new KeyBytesFinder(options.limits ?? FINDER_LIMITS);
  const slicer = new Slicer(options.sliceMs ?? SLICE_MS, options.now ?? (() => performance.now()));
  const deadline = performance.now() + (options.totalMs ?? TOTAL_MS);
  slicer.resume();
  await scanStorage(sources.local, 'localStorage', finder, slicer, deadline);
  await scanStorage(sources.session, 'sessionStorage', finder, slicer, deadline);
  await scanIndexedDb(sources.idb, finder, slicer, deadline);
  // SHA-1 of each candidate, in slices too (a few microseconds each).
  const matches: StorageScanResult['matches'] = [];
  for (let i = 0; i < finder.candidates.length; i += 32) {
    await slicer.between();
    for (const match of matchCandidates(finder.candidates.slice(i, i + 32), options.keyIds)) matches.push({ hex: toHex(match.bytes), place: match.place });
  }
  slicer.finish();
  const { values, bytes, skippedLarge, capped } = finder.stats;
  return { matches, summary: { values, bytes, candidates: finder.candidates.length, skippedLarge, capped }, longestSliceMs: slicer.longest };
}
