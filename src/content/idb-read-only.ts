// Reading a page's IndexedDB without changing it: a database is opened only by a name that
// indexedDB.databases() listed, at its current version (open without a version), and an
// upgradeneeded (the database vanished since it was listed: opening would create it) is
// aborted. Shared by the known-format reader (page-keys.ts) and the generic scan
// (storage-key-scan.ts).

/** Resolves with the promise's value, or with `fallback` after `ms`; never rejects. */
export function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

/**
 * Opens an existing database at its current version, never creating or upgrading one: a
 * database that vanished since it was listed would fire upgradeneeded, which is aborted.
 * The connection closes itself if the page asks to upgrade, and if it opens too late.
 */
export function openExisting(idb: IDBFactory, name: string, ms: number): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (db: IDBDatabase | null) => {
      if (settled) {
        db?.close();
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve(db);
    };
    const timer = setTimeout(() => settle(null), ms);
    let request: IDBOpenDBRequest;
    try {
      request = idb.open(name);
    } catch {
      settle(null);
      return;
    }
    request.onupgradeneeded = () => {
      try {
        request.transaction?.abort();
      } catch {
        // Already aborting.
      }
      settle(null);
    };
    request.onerror = (event) => {
      event.preventDefault();
      settle(null);
    };
    request.onblocked = () => settle(null);
    request.onsuccess = () => {
      const db = request.result;
      db.onversionchange = () => db.close();
      settle(db);
    };
  });
}

/** The names of the origin's databases (at most `max`, each at most 200 characters); [] without databases(). */
export async function listDatabases(idb: IDBFactory | undefined, max: number, ms: number): Promise<string[]> {
  if (!idb || typeof idb.databases !== 'function') return [];
  let listed: unknown;
  try {
    listed = await within(Promise.resolve(idb.databases()), ms, []);
  } catch {
    return [];
  }
  if (!Array.isArray(listed)) return [];
  return listed
    .map((info: IDBDatabaseInfo | null) => info?.name)
    .filter((name): name is string => typeof name === 'string' && name.length > 0 && name.length <= 200)
    .slice(0, max);
}
