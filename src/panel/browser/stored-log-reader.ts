// Reads the older part of a snapshot (StoredLogPart) from the log's IndexedDB database. The
// panel is an extension page of the background's origin, so the database is its own; reading it
// here spares the worker from reading 100,000 records and posting them a batch at a time
// (bench-live-log.ts: the worker's share of opening the panel). Only reads: a database that does
// not exist is not created (the open is aborted), and the connection is closed after the read.

import type { ErrorRecord } from '../../core/record.ts';
import type { StoredLogPart } from '../../shared/messages.ts';

export type StoredLogReader = (part: StoredLogPart) => Promise<ErrorRecord[]>;

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
  });

function openExisting(factory: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name);
    // No such database: the background made none, so nothing is stored; do not create it.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('the log database cannot be opened'));
    request.onblocked = () => reject(new Error('the log database is blocked'));
  });
}

/**
 * The records of the part's chunks, oldest first, those below its `beforeId` only. Chunks gone
 * meanwhile (the ring dropped them) are skipped; a chunk that is not a list of records fails
 * the read (the panel then asks the background for them instead).
 */
export function storedLogReader(factory: IDBFactory): StoredLogReader {
  return async (part) => {
    const db = await openExisting(factory, part.db);
    try {
      const store = db.transaction(part.store, 'readonly').objectStore(part.store);
      // Every request at once in one transaction: the database answers them in order, without a round trip each.
      const chunks = await Promise.all(part.keys.map((key) => done(store.get(key) as IDBRequest<unknown>)));
      const out: ErrorRecord[] = [];
      for (const chunk of chunks) {
        if (chunk === undefined) continue;
        if (!Array.isArray(chunk)) throw new Error('a stored chunk is not a list of records');
        for (const record of chunk as ErrorRecord[]) if (record.id < part.beforeId) out.push(record);
      }
      return out;
    } finally {
      db.close();
    }
  };
}
