// The per-tab log's storage: IndexedDB in the background (Chrome's service worker, Firefox's
// event page). It holds far more than chrome.storage.session (10 MB for the whole extension,
// about 10,000 records), so a tab keeps 100,000 records and more, and it survives the worker
// being stopped like session storage does. TabLogStore keeps its chunked layout on top of it
// through the same small key-value interface (SessionStorage), so nothing else changes.
//
// A log belongs to one browser session, as it did in storage.session: tab ids start again
// after a restart, so the first use in a new session (no mark in storage.session, which the
// browser empties on restart) empties the database before anything is read or written.

import type { SessionStorage } from '../../platform/extension-api.ts';

export const LOG_DB_NAME = 'tab-logs';
/** The one object store: keys are TabLogStore's (`log:<tabId>:meta`, `log:<tabId>:c<chunk>`, `state:<tabId>`). */
export const LOG_DB_STORE = 'kv';
const STORE = LOG_DB_STORE;
/** The mark in storage.session saying this browser session's log database is in use. */
export const LOG_SESSION_MARK = 'logDbSession';

const done = (request: IDBRequest): Promise<unknown> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

const finished = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // A quota error aborts the transaction: the caller (TabLogStore) then gives up its oldest records.
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB write failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB write aborted'));
  });

export class IdbStorage implements SessionStorage {
  private db: Promise<IDBDatabase> | null = null;
  private ready: Promise<void> | null = null;

  constructor(
    private readonly factory: IDBFactory,
    /** storage.session: where the browser-session mark lives (null: no session reset, tests). */
    private readonly session: SessionStorage | null,
    private readonly name = LOG_DB_NAME,
  ) {}

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const request = this.factory.open(this.name, 1);
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) request.result.createObjectStore(STORE);
      };
      request.onsuccess = () => {
        const db = request.result;
        // Closed under us (browser data cleared, another version): open again next time.
        db.onclose = () => (this.db = null);
        db.onversionchange = () => {
          db.close();
          this.db = null;
        };
        resolve(db);
      };
      request.onerror = () => reject(request.error);
      request.onblocked = () => reject(new Error('the log database is blocked'));
    }).catch((error) => {
      this.db = null;
      throw error;
    });
    return this.db;
  }

  /** Opens the database, emptied first when this is a new browser session. */
  private use(): Promise<IDBDatabase> {
    this.ready ??= (async () => {
      if (!this.session) return;
      const mark = await this.session.get([LOG_SESSION_MARK]).catch(() => ({}) as Record<string, unknown>);
      if (mark[LOG_SESSION_MARK]) return;
      await this.clearAll();
      await this.session.set({ [LOG_SESSION_MARK]: Date.now() }).catch(() => undefined);
    })().catch((error) => {
      this.ready = null;
      throw error;
    });
    return this.ready.then(() => this.open());
  }

  async get(keys: string[] | null): Promise<Record<string, unknown>> {
    const db = await this.use();
    const tx = db.transaction(STORE, 'readonly');
    const store = tx.objectStore(STORE);
    const out: Record<string, unknown> = {};
    if (keys === null) {
      const [allKeys, values] = (await Promise.all([done(store.getAllKeys()), done(store.getAll())])) as [IDBValidKey[], unknown[]];
      allKeys.forEach((key, i) => (out[String(key)] = values[i]));
      return out;
    }
    const values = await Promise.all(keys.map((key) => done(store.get(key))));
    keys.forEach((key, i) => {
      if (values[i] !== undefined) out[key] = values[i];
    });
    return out;
  }

  async set(items: Record<string, unknown>): Promise<void> {
    const db = await this.use();
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const [key, value] of Object.entries(items)) store.put(value, key);
    await finished(tx);
  }

  async remove(keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    const db = await this.use();
    const tx = db.transaction(STORE, 'readwrite');
    const store = tx.objectStore(STORE);
    for (const key of keys) store.delete(key);
    await finished(tx);
  }

  /** Empties the database (a new browser session). */
  async clearAll(): Promise<void> {
    const db = await this.open();
    const tx = db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).clear();
    await finished(tx);
  }
}
