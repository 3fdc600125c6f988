import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { IdbStorage } from '../../../src/background/log/idb-storage.ts';
import { TabStateSnapshots, WRITE_COST_FACTOR, WRITE_GAP_MS, type SnapshotTimers, type TabState } from '../../../src/background/state/tab-state-snapshots.ts';
import { MemoryStorage } from '../../helpers/memory-storage.ts';

function manualTimers() {
  let now = 0;
  const queue: { at: number; run: () => void }[] = [];
  const timers: SnapshotTimers = { now: () => now, setTimeout: (run, ms) => queue.push({ at: now + ms, run }) };
  return {
    timers,
    pending: () => queue.map((q) => q.at - now),
    fire: () => queue.splice(0).forEach((q) => q.run()),
    spend: (ms: number) => (now += ms),
  };
}

class CountingStorage extends MemoryStorage {
  sets = 0;
  override async set(items: Record<string, unknown>): Promise<void> {
    this.sets++;
    return super.set(items);
  }
}

describe('TabStateSnapshots', () => {
  it('writes changed tabs in one batch per gap, not per message, and reads them back in a new worker', async () => {
    const database = new CountingStorage();
    const secrets = new MemoryStorage();
    const t = manualTimers();
    let n = 0;
    const collect = (tabId: number): TabState => ({ audit: { tabId, n: ++n }, capture: null, sightings: null });
    const snapshots = new TabStateSnapshots(database, secrets, collect, t.timers);
    for (let i = 0; i < 1000; i++) snapshots.markDirty(i % 2 === 0 ? 1 : 2);
    expect(t.pending()).toEqual([WRITE_GAP_MS]);
    t.fire();
    await snapshots.flush();
    expect(database.sets).toBe(1);
    expect(snapshots.stats.writes).toBe(1);
    const next = new TabStateSnapshots(database, secrets, collect, t.timers);
    expect(await next.load(1)).toEqual({ audit: { tabId: 1, n: 1 }, capture: null, sightings: null });
    expect(await next.load(3)).toBeNull();
  });

  it('a slow write widens the gap to the next one (bounded share of the worker)', async () => {
    const t = manualTimers();
    const database = new MemoryStorage();
    const slow = {
      ...database,
      get: database.get.bind(database),
      remove: database.remove.bind(database),
      set: async (items: Record<string, unknown>) => {
        t.spend(200);
        await database.set(items);
      },
    };
    const snapshots = new TabStateSnapshots(slow, new MemoryStorage(), () => ({ audit: null, capture: null, sightings: null }), t.timers);
    snapshots.markDirty(1);
    t.fire();
    await snapshots.flush();
    snapshots.markDirty(1);
    expect(t.pending()).toEqual([200 * WRITE_COST_FACTOR]);
  });

  it('the salt stays in memory-only storage, never in the database, the same for the tab across workers; forget removes both', async () => {
    const database = new IdbStorage(new IDBFactory(), null);
    const secrets = new MemoryStorage();
    const a = new TabStateSnapshots(database, secrets, () => ({ audit: 1, capture: 2, sightings: 3 }));
    const salt = await a.salt(5);
    expect(salt.length).toBe(16);
    expect(await new TabStateSnapshots(database, secrets, () => ({ audit: null, capture: null, sightings: null })).salt(5)).toEqual(salt);
    expect(await a.salt(6)).not.toEqual(salt);
    a.markDirty(5);
    await a.flush();
    const everything = JSON.stringify(await database.get(null));
    expect(everything).toContain('state:5');
    expect(everything).not.toContain(Buffer.from(salt).toString('hex'));
    await a.forget(5);
    expect(await a.load(5)).toBeNull();
    expect(Object.keys(await secrets.get(null))).toEqual(['capture-salt:6']);
  });
});
