import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IdbStorage, LOG_SESSION_MARK } from '../../../src/background/log/idb-storage.ts';
import { TabLogStore } from '../../../src/background/log/tab-log-store.ts';
import { MAX_RECORDS_CHOICES } from '../../../src/shared/messages.ts';
import { MemoryStorage } from '../../helpers/memory-storage.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const batch = (n: number, from = 0) => Array.from({ length: n }, (_, i) => makeRecord({ message: `E${from + i}` }));

describe('IdbStorage', () => {
  it('gets, sets and removes by key, and lists everything for null', async () => {
    const idb = new IdbStorage(new IDBFactory(), null);
    await idb.set({ a: { x: 1 }, b: [1, 2] });
    expect(await idb.get(['a', 'missing'])).toEqual({ a: { x: 1 } });
    await idb.remove(['a']);
    expect(await idb.get(null)).toEqual({ b: [1, 2] });
  });

  it('a new browser session (no mark in storage.session) starts with an empty database; a new worker in the same session keeps it', async () => {
    const factory = new IDBFactory();
    const session = new MemoryStorage();
    await new IdbStorage(factory, session).set({ k: 1 });
    expect(await new IdbStorage(factory, session).get(['k'])).toEqual({ k: 1 });
    await session.remove([LOG_SESSION_MARK]);
    expect(await new IdbStorage(factory, session).get(['k'])).toEqual({});
  });
});

describe('TabLogStore over IndexedDB', () => {
  it('offers caps of 100,000 records and more', () => {
    expect(Math.max(...MAX_RECORDS_CHOICES)).toBeGreaterThan(100_000);
    expect(MAX_RECORDS_CHOICES).toContain(100_000);
  });

  it('keeps 100,000 records of a tab across a worker restart, with stats, settings, markers and later updates', async () => {
    const factory = new IDBFactory();
    const session = new MemoryStorage();
    const first = new TabLogStore(new IdbStorage(factory, session));
    await first.setSettings(3, { maxRecords: 100_000, preserveLog: true });
    await first.pageStart(3, 'https://web.telegram.org/k/', '2026-01-01T00:00:00.000Z');
    for (let i = 0; i < 100; i++) await first.append(3, batch(1_000, i * 1_000));
    // Beyond the cap: the oldest are dropped and counted.
    await first.append(3, batch(600, 100_000));
    await first.updateHandling(3, [{ id: 100_600, handling: { status: 'ok' } as never }]);
    await first.countDrops(3, { 'rate-limited': 5 });
    await first.flush();

    const second = new TabLogStore(new IdbStorage(factory, session));
    const records = await second.records(3);
    expect(records.length).toBeGreaterThanOrEqual(100_000 - 250);
    expect(records.length).toBeLessThanOrEqual(100_000);
    expect(records.at(-1)).toMatchObject({ id: 100_600, handling: { status: 'ok' } });
    expect(records[0].id).toBe(100_600 - records.length + 1);
    const stats = await second.stats(3);
    expect(stats.droppedOldest + records.length).toBe(100_600);
    expect(stats.dropped['rate-limited']).toBe(5);
    expect((await second.settings(3)).maxRecords).toBe(100_000);
    expect(await second.markers(3)).toHaveLength(1);
    // The restarted store goes on numbering where the old one stopped.
    expect((await second.append(3, batch(1)))[0].id).toBe(100_601);
  }, 60_000);

  it('clear and forget empty the database for that tab only', async () => {
    const idb = new IdbStorage(new IDBFactory(), null);
    const store = new TabLogStore(idb);
    await store.append(1, batch(600));
    await store.append(2, batch(10));
    await store.flush();
    await store.clear(1);
    await store.forget(2);
    const keys = Object.keys(await idb.get(null));
    expect(keys).toEqual(['log:1:meta']);
    expect(await new TabLogStore(idb).records(1)).toEqual([]);
  });
});
