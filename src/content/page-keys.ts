// The content script's part in session keys: it hands the keys given for this frame's
// origin to the page hook (which triages encrypted frames with them), and, when the user
// asks (or switched it on for the origin), reads the page's stored keys where the known
// clients keep them and sends them to the background. It runs in the isolated world,
// which shares the page origin's localStorage and IndexedDB but not its JavaScript.

import { toHex } from '../core/mtproto/bytes.ts';
import { openExisting, within } from './idb-read-only.ts';
import { scanStorageForKeys } from './storage-key-scan.ts';
import { HOOK_KEYS_EVENT, type KeysForPage, type PageKeysFoundMessage } from '../shared/messages.ts';

/** localStorage names that hold keys in the known clients (see src/core/keys/parse-keys.ts). */
const KEY_ENTRY = [
  /^account\d{1,2}$/, // Web K: {dcN_auth_key: hex, ...}
  /^(?:t_)?dc\d{1,3}_auth_key$/, // Web K legacy, Web A: JSON string of the hex
  /:authKey$/, // GramJS StoreSession: Buffer JSON
  /:dcId$/, // GramJS StoreSession: the key's DC
];
/** A hostile page can fill its storage: only this much is read. */
const MAX_ENTRIES = 64;
const MAX_VALUE_CHARS = 64 * 1024;

interface Found {
  /** Dump entries: a localStorage value as text, or an IndexedDB store's rows. */
  found: Record<string, unknown>;
  places: string[];
}

/** What the page's localStorage holds that can be a key, as a JSON object text, and where it was. */
export function readStoredKeys(storage: Storage): { dump: string; places: string[] } {
  const { found, places } = collectLocalStorage(storage);
  return { dump: JSON.stringify(found), places };
}

function collectLocalStorage(storage: Storage): Found {
  const found: Record<string, string> = {};
  const places: string[] = [];
  const length = Math.min(storage.length, 10_000);
  for (let i = 0; i < length && places.length < MAX_ENTRIES; i++) {
    const name = storage.key(i);
    if (name === null || !KEY_ENTRY.some((pattern) => pattern.test(name))) continue;
    const value = storage.getItem(name);
    if (value === null || value.length > MAX_VALUE_CHARS) continue;
    found[name] = value;
    places.push(`localStorage ${name}`);
  }
  return { found, places };
}

// mtcute (@mtcute/web) keeps its session in IndexedDB: the database is named by the app
// (`new TelegramClient({ storage: 'name' })` or `new IdbStorage('name')`, default
// 'client.session'); its object store `authKeys` (keyPath 'dc') holds {dc, key: Uint8Array(256)}
// and `tempAuthKeys` (keyPath ['dc', 'idx']) the PFS keys {dc, idx, key, expiresAt (ms)}
// (mtcute packages/web/src/idb/repository/auth-keys.ts, client.ts). Before its storage rewrite
// (Jan 2024) the same rows were in `auth_keys` / `temp_auth_keys` (packages/core/src/storage/idb.ts).
// The database name is the app's, so every existing database of the origin is looked into.
const MTCUTE_STORES: readonly { store: string; temp: boolean }[] = [
  { store: 'authKeys', temp: false },
  { store: 'tempAuthKeys', temp: true },
  { store: 'auth_keys', temp: false },
  { store: 'temp_auth_keys', temp: true },
];
/** A hostile page can make many databases, long names, many rows: only this much is read. */
const MAX_DATABASES = 16;
const MAX_DB_NAME_CHARS = 200;
const MAX_ROWS_PER_STORE = 32;
const DB_TIMEOUT_MS = 1500;
const IDB_TOTAL_MS = 3000;

/** An mtcute key row as the dump carries it: the key as 512 hex characters (see parse-keys.ts). */
interface MtcuteKeyRow {
  dc: number;
  key: string;
  idx?: number;
  expiresAt?: number;
}

function keyRow(value: unknown, temp: boolean, now: number): MtcuteKeyRow | null {
  if (value === null || typeof value !== 'object') return null;
  const { dc, key, idx, expiresAt } = value as Record<string, unknown>;
  if (typeof dc !== 'number' || !Number.isInteger(dc) || dc <= 0 || dc >= 10_000) return null;
  if (!ArrayBuffer.isView(key) && !(key instanceof ArrayBuffer)) return null;
  const bytes = key instanceof ArrayBuffer ? new Uint8Array(key) : new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
  if (bytes.length !== 256) return null;
  const row: MtcuteKeyRow = { dc, key: toHex(bytes) };
  if (temp) {
    // An expired temporary key is no longer used on the wire.
    if (typeof expiresAt === 'number' && expiresAt < now) return null;
    if (typeof idx === 'number' && Number.isSafeInteger(idx)) row.idx = idx;
    if (typeof expiresAt === 'number' && Number.isFinite(expiresAt)) row.expiresAt = expiresAt;
  }
  return row;
}

/** The key rows of the mtcute stores `db` has; closes `db`. */
function readKeyStores(db: IDBDatabase, ms: number): Promise<Map<string, MtcuteKeyRow[]>> {
  const rows = new Map<string, MtcuteKeyRow[]>();
  const stores = MTCUTE_STORES.filter(({ store }) => db.objectStoreNames.contains(store));
  if (stores.length === 0) {
    db.close();
    return Promise.resolve(rows);
  }
  return new Promise((resolve) => {
    let tx: IDBTransaction | null = null;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      db.close();
      resolve(rows);
    };
    const fail = () => {
      if (finished) return;
      rows.clear();
      done();
    };
    const timer = setTimeout(() => {
      try {
        tx?.abort();
      } catch {
        // Already finished.
      }
      fail();
    }, ms);
    try {
      tx = db.transaction(
        stores.map(({ store }) => store),
        'readonly',
      );
      const now = Date.now();
      for (const { store, temp } of stores) {
        const request = tx.objectStore(store).getAll(null, MAX_ROWS_PER_STORE);
        request.onsuccess = () => {
          const values: unknown = request.result;
          if (!Array.isArray(values)) return;
          const found = values.slice(0, MAX_ROWS_PER_STORE).flatMap((value) => keyRow(value, temp, now) ?? []);
          if (found.length > 0) rows.set(store, found);
        };
      }
      tx.oncomplete = done;
      tx.onerror = (event) => event.preventDefault();
      tx.onabort = fail;
    } catch {
      fail();
    }
  });
}

/**
 * The auth keys mtcute keeps in this origin's IndexedDB, as dump entries named
 * `IndexedDB <database>/<store>`. Bounded in databases, rows and time; never throws;
 * opens only databases that exist (so nothing without indexedDB.databases()).
 */
export async function readIndexedDbKeys(idb: IDBFactory | undefined, totalMs = IDB_TOTAL_MS): Promise<Found> {
  const result: Found = { found: {}, places: [] };
  if (!idb || typeof idb.databases !== 'function') return result;
  const deadline = Date.now() + totalMs;
  let listed: IDBDatabaseInfo[];
  try {
    listed = await within(Promise.resolve(idb.databases()), totalMs, []);
  } catch {
    return result;
  }
  if (!Array.isArray(listed)) return result;
  const names = listed
    .map((info) => info?.name)
    .filter((name): name is string => typeof name === 'string' && name.length > 0 && name.length <= MAX_DB_NAME_CHARS)
    .slice(0, MAX_DATABASES);
  for (const name of names) {
    const left = deadline - Date.now();
    if (left <= 0 || result.places.length >= MAX_ENTRIES) break;
    const db = await openExisting(idb, name, Math.min(DB_TIMEOUT_MS, left));
    if (!db) continue;
    let rows: Map<string, MtcuteKeyRow[]>;
    try {
      rows = await readKeyStores(db, Math.max(1, Math.min(DB_TIMEOUT_MS, deadline - Date.now())));
    } catch {
      db.close();
      continue;
    }
    for (const [store, found] of rows) {
      if (result.places.length >= MAX_ENTRIES) break;
      const place = `IndexedDB ${name}/${store}`;
      result.found[place] = found;
      result.places.push(place);
    }
  }
  return result;
}

/** Arms (or, with no keys, disarms) the page hook's triage. */
export function handKeysToHook(keys: string): void {
  document.dispatchEvent(new CustomEvent(HOOK_KEYS_EVENT, { detail: keys }));
}

/** Keys pushed by the background apply only to a frame of the origin they were given for. */
export function keysApplyHere(message: KeysForPage): boolean {
  return message.origin === location.origin;
}

/**
 * What the page's storage holds: the known formats, and, on the panel's request (`keyIds`
 * given), the generic scan's values whose auth_key_id is one of `keyIds`.
 */
export async function pageKeysMessage(requestId?: number, keyIds?: readonly string[]): Promise<PageKeysFoundMessage> {
  let read: Found;
  try {
    read = collectLocalStorage(window.localStorage);
  } catch {
    // Storage blocked (sandboxed frame, settings): nothing to read.
    read = { found: {}, places: [] };
  }
  let idb: IDBFactory | undefined;
  try {
    idb = globalThis.indexedDB;
  } catch {
    idb = undefined;
  }
  const stored = await readIndexedDbKeys(idb);
  const places = [...read.places, ...stored.places].slice(0, MAX_ENTRIES);
  const found = { ...read.found, ...stored.found };
  for (const name of Object.keys(stored.found)) if (!places.includes(name)) delete found[name];
  const message: PageKeysFoundMessage = { type: 'page-keys-found', dump: JSON.stringify(found), places, ...(requestId === undefined ? {} : { requestId }) };
  if (keyIds) {
    const ids = new Set(keyIds.filter((id) => typeof id === 'string' && /^[0-9a-f]{16}$/.test(id)).slice(0, 64));
    const scan = await scanStorageForKeys({ local: storageOf('localStorage'), session: storageOf('sessionStorage'), idb }, { keyIds: ids });
    message.matches = scan.matches;
    message.scan = scan.summary;
  }
  return message;
}

/** window.localStorage / sessionStorage, or null where the browser blocks it (sandboxed frames, settings). */
function storageOf(name: 'localStorage' | 'sessionStorage'): Storage | null {
  try {
    return window[name];
  } catch {
    return null;
  }
}
