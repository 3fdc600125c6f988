import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IdbStorage, LOG_DB_NAME, LOG_DB_STORE } from '../../../src/background/log/idb-storage.ts';
import { CHUNK_SIZE, TabLogStore } from '../../../src/background/log/tab-log-store.ts';
import { storedLogReader } from '../../../src/panel/browser/stored-log-reader.ts';
import type { StoredLogPart } from '../../../src/shared/messages.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const batch = (n: number, from = 0) => Array.from({ length: n }, (_, i) => makeRecord({ message: `E${from + i}` }));

/** A log split for a panel as the background does it, over a (fake) IndexedDB the panel then reads. */
async function splitLog(factory: IDBFactory, records: number, newest: number) {
  const store = new TabLogStore(new IdbStorage(factory, null));
  await store.setSettings(7, { maxRecords: 10_000 });
  await store.append(7, batch(records));
  const split = await store.splitForPanel(7, newest);
  const part: StoredLogPart = { db: LOG_DB_NAME, store: LOG_DB_STORE, keys: split.olderKeys, count: split.olderCount, beforeId: split.newest[0].id };
  return { store, split, part };
}

describe('storedLogReader', () => {
  it('reads the older part of a split log: with the newest, the whole log in order, as the background holds it', async () => {
    const factory = new IDBFactory();
    // Nothing flushed yet: splitForPanel writes the chunks before it answers.
    const { store, split, part } = await splitLog(factory, 2_600, 1_000);
    expect(split.newest.length).toBeGreaterThanOrEqual(1_000);
    const older = await storedLogReader(factory)(part);
    expect(older).toHaveLength(part.count);
    expect([...older, ...split.newest]).toEqual(await store.records(7));
  });

  it('skips chunks dropped since the split, and records from the snapshot on', async () => {
    const factory = new IDBFactory();
    const { store, part } = await splitLog(factory, 2_000, 500);
    await new IdbStorage(factory, null).remove([part.keys[0]]);
    const older = await storedLogReader(factory)({ ...part, beforeId: part.beforeId - 10 });
    const all = await store.records(7);
    expect(older.map((r) => r.id)).toEqual(all.filter((r) => r.id > CHUNK_SIZE && r.id < part.beforeId - 10).map((r) => r.id));
  });

  it('fails (the panel asks over the port then) without creating a database that does not exist', async () => {
    const factory = new IDBFactory();
    await expect(storedLogReader(factory)({ db: 'nothing-here', store: 'kv', keys: ['a'], count: 1, beforeId: 5 })).rejects.toBeTruthy();
    expect((await factory.databases()).map((d) => d.name)).not.toContain('nothing-here');
  });

  it('fails on a chunk that is not a list of records', async () => {
    const factory = new IDBFactory();
    await new IdbStorage(factory, null).set({ odd: { not: 'a list' } });
    await expect(storedLogReader(factory)({ db: LOG_DB_NAME, store: LOG_DB_STORE, keys: ['odd'], count: 1, beforeId: 5 })).rejects.toThrow(/not a list/);
  });
});
