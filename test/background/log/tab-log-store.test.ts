import { describe, expect, it } from 'vitest';
import { CACHED_CHUNKS, CHUNK_SIZE, TabLogStore } from '../../../src/background/log/tab-log-store.ts';
import type { HandlingVerdict } from '../../../src/core/handling/types.ts';
import { MemoryStorage } from '../../helpers/memory-storage.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const batch = (n: number, from = 0) => Array.from({ length: n }, (_, i) => makeRecord({ message: `E${from + i}` }));

describe('TabLogStore', () => {
  it('assigns increasing ids and keeps tabs apart', async () => {
    const store = new TabLogStore(new MemoryStorage());
    const a = await store.append(1, batch(3));
    const b = await store.append(2, batch(2));
    expect(a.map((r) => r.id)).toEqual([1, 2, 3]);
    expect(b.map((r) => r.id)).toEqual([1, 2]);
    expect(await store.count(1)).toBe(3);
    expect(await store.count(2)).toBe(2);
  });

  it('survives a new worker: a fresh store reads what the old one flushed', async () => {
    const storage = new MemoryStorage();
    const first = new TabLogStore(storage);
    await first.append(7, batch(CHUNK_SIZE + 10), 'https://web.telegram.org/k/');
    await first.countDrops(7, { 'bad-schema': 2 });
    await first.flush();
    const second = new TabLogStore(storage);
    const records = await second.records(7);
    expect(records).toHaveLength(CHUNK_SIZE + 10);
    expect(records.at(-1)!.id).toBe(CHUNK_SIZE + 10);
    expect(await second.pageUrl(7)).toBe('https://web.telegram.org/k/');
    expect((await second.stats(7)).dropped['bad-schema']).toBe(2);
    const more = await second.append(7, batch(1));
    expect(more[0].id).toBe(CHUNK_SIZE + 11);
  });

  it('rewrites only the last chunk on append', async () => {
    const storage = new MemoryStorage();
    const store = new TabLogStore(storage);
    await store.append(1, batch(CHUNK_SIZE * 3));
    await store.flush();
    const sizeBefore = storage.data.get('log:1:c0')!;
    await store.append(1, batch(1));
    await store.flush();
    expect(storage.data.get('log:1:c0')).toBe(sizeBefore);
    expect(JSON.parse(storage.data.get('log:1:c3')!)).toHaveLength(1);
  });

  it('drops the oldest records past the cap and counts them', async () => {
    const store = new TabLogStore(new MemoryStorage(), CHUNK_SIZE * 2);
    await store.append(1, batch(CHUNK_SIZE * 2 + 5));
    const records = await store.records(1);
    expect(records.length).toBeLessThanOrEqual(CHUNK_SIZE * 2);
    expect(records.at(-1)!.id).toBe(CHUNK_SIZE * 2 + 5);
    expect((await store.stats(1)).droppedOldest).toBe(CHUNK_SIZE * 2 + 5 - records.length);
    expect(records[0].id).toBe((await store.stats(1)).droppedOldest + 1);
  });

  it('clears a tab but keeps ids increasing', async () => {
    const store = new TabLogStore(new MemoryStorage());
    await store.append(1, batch(4));
    await store.clear(1);
    expect(await store.count(1)).toBe(0);
    const next = await store.append(1, batch(1));
    expect(next[0].id).toBe(5);
  });

  it("removes records by id (another tab's SharedWorker error); an emptied chunk goes; a fresh worker reads the rest", async () => {
    const storage = new MemoryStorage();
    const store = new TabLogStore(storage);
    await store.append(3, batch(CHUNK_SIZE + 1));
    // The last chunk holds one record: removing it empties the chunk.
    expect(await store.remove(3, [2, CHUNK_SIZE + 1, 9999])).toBe(2);
    const left = await store.records(3);
    expect(left).toHaveLength(CHUNK_SIZE - 1);
    expect(left.map((r) => r.id)).not.toContain(2);
    const [next] = await store.append(3, batch(1));
    expect(next.id).toBe(CHUNK_SIZE + 2);
    await store.flush();
    expect((await new TabLogStore(storage).records(3)).map((r) => r.id)).toEqual(left.map((r) => r.id).concat(next.id));
  });

  it('forgets a closed tab in storage', async () => {
    const storage = new MemoryStorage();
    const store = new TabLogStore(storage);
    await store.append(3, batch(CHUNK_SIZE + 1));
    await store.flush();
    await store.forget(3);
    expect([...storage.data.keys()].filter((k) => k.startsWith('log:3:'))).toEqual([]);
  });

  it('gives up the oldest records instead of failing when storage is over quota', async () => {
    const storage = new MemoryStorage(400_000);
    const store = new TabLogStore(storage, 100_000);
    for (let i = 0; i < 20; i++) {
      await store.append(1, batch(CHUNK_SIZE));
      await store.flush();
    }
    const stats = await store.stats(1);
    expect(stats.droppedOldest).toBeGreaterThan(0);
    const reread = new TabLogStore(storage, 100_000);
    const kept = await reread.records(1);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.at(-1)!.id).toBe(20 * CHUNK_SIZE);
  });
});

describe('TabLogStore: navigation and settings', () => {
  it('starts the log afresh on a new page unless preserving, then marks the navigation', async () => {
    const store = new TabLogStore(new MemoryStorage());
    await store.append(1, batch(3));
    expect(await store.pageStart(1, 'https://a/', '2026-11-21T00:00:00.000Z')).toBeNull();
    expect(await store.count(1)).toBe(0);
    expect(await store.pageUrl(1)).toBe('https://a/');
    await store.setSettings(1, { preserveLog: true });
    await store.append(1, batch(2));
    const marker = await store.pageStart(1, 'https://b/', '2026-11-21T00:00:01.000Z');
    expect(marker).toEqual({ beforeId: 6, url: 'https://b/', at: '2026-11-21T00:00:01.000Z' });
    expect(await store.count(1)).toBe(2);
    expect(await store.markers(1)).toEqual([marker]);
    await store.clear(1);
    expect(await store.markers(1)).toEqual([]);
    expect((await store.settings(1)).preserveLog).toBe(true);
  });

  it('keeps settings across a worker restart and ignores malformed changes', async () => {
    const storage = new MemoryStorage();
    const first = new TabLogStore(storage);
    await first.setSettings(4, { recording: false, preserveLog: 'yes' as unknown as boolean });
    await first.flush();
    expect(await new TabLogStore(storage).settings(4)).toEqual({ recording: false, preserveLog: false, maxRecords: 5000 });
  });
});

describe('TabLogStore: the cap', () => {
  it('accepts only the offered caps and drops the oldest at once when lowered', async () => {
    const store = new TabLogStore(new MemoryStorage());
    expect((await store.settings(1)).maxRecords).toBe(5000);
    await store.append(1, batch(CHUNK_SIZE * 8));
    await store.setSettings(1, { maxRecords: 1234 });
    expect((await store.settings(1)).maxRecords).toBe(5000);
    await store.setSettings(1, { maxRecords: 1000 });
    expect(await store.count(1)).toBeLessThanOrEqual(1000);
    expect((await store.stats(1)).droppedOldest).toBe(CHUNK_SIZE * 8 - (await store.count(1)));
    await store.setSettings(1, { maxRecords: 10_000 });
    await store.append(1, batch(6000));
    expect(await store.count(1)).toBeGreaterThan(5000);
  });
});

describe('TabLogStore: keys of the encrypted traffic', () => {
  it('counts unknown key ids and those a connection made on the wire; a new key given forgets both', async () => {
    const store = new TabLogStore(new MemoryStorage());
    expect(await store.countEncrypted(1, { decrypted: 0, failed: 0, unknownKeyId: 'aaaaaaaaaaaaaaaa' })).toBe(true);
    expect(await store.countEncrypted(1, { decrypted: 0, failed: 0, unknownKeyId: 'aaaaaaaaaaaaaaaa' })).toBe(false);
    // Seen again after the handshake was recognised: news for the panel.
    expect(await store.countEncrypted(1, { decrypted: 0, failed: 0, unknownKeyId: 'aaaaaaaaaaaaaaaa' }, true)).toBe(true);
    expect(await store.countEncrypted(1, { decrypted: 0, failed: 0, unknownKeyId: 'bbbbbbbbbbbbbbbb' }, true)).toBe(true);
    expect((await store.stats(1)).encrypted).toEqual({
      decrypted: 0,
      failed: 0,
      unknownKeyIds: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'],
      madeOnWire: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'],
    });
    await store.resetUnknownKeys(1);
    expect((await store.stats(1)).encrypted).toEqual({ decrypted: 0, failed: 0, unknownKeyIds: [] });
  });
});

describe('TabLogStore: only a window of the log in memory', () => {
  it('holds at most CACHED_CHUNKS chunks once written, reads the rest in batches, oldest first', async () => {
    const storage = new MemoryStorage();
    const store = new TabLogStore(storage, 200_000);
    await store.setSettings(1, { maxRecords: 100_000 });
    for (let i = 0; i < 20; i++) await store.append(1, batch(1000, i * 1000));
    expect(await store.heldRecords(1)).toBeGreaterThan(CACHED_CHUNKS * CHUNK_SIZE);
    await store.flush();
    expect(await store.heldRecords(1)).toBeLessThanOrEqual(CACHED_CHUNKS * CHUNK_SIZE);
    expect(await store.count(1)).toBe(20_000);
    const batches: number[] = [];
    let next = 1;
    for await (const b of store.recordBatches(1, 5000)) {
      batches.push(b.length);
      for (const r of b) expect(r.id).toBe(next++);
    }
    // Whole chunks: as many as make at most 5,000 records.
    const full = Math.floor(5000 / CHUNK_SIZE) * CHUNK_SIZE;
    expect(batches.slice(0, -1).every((n) => n === full)).toBe(true);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(20_000);
    expect(await store.heldRecords(1)).toBeLessThanOrEqual(CACHED_CHUNKS * CHUNK_SIZE);
  });

  it('a verdict for a record out of the window reads its chunk, rewrites it, and a new worker sees it', async () => {
    const storage = new MemoryStorage();
    const store = new TabLogStore(storage, 200_000);
    await store.setSettings(1, { maxRecords: 10_000 });
    await store.append(1, batch(8000));
    await store.flush();
    const handling: HandlingVerdict = {
      verdict: 'ok',
      rule: { id: 'flood-wait', text: '' },
      finding: 'wait-respected',
      detail: 'd',
      evidence: [],
      final: true,
      decidedAt: null,
      pendingUntil: null,
    };
    expect(
      await store.updateHandling(1, [
        { id: 3, handling },
        { id: 7999, handling },
        { id: 99_999, handling },
      ]),
    ).toHaveLength(2);
    await store.flush();
    expect(await store.heldRecords(1)).toBeLessThanOrEqual(CACHED_CHUNKS * CHUNK_SIZE);
    const again = new TabLogStore(storage, 200_000);
    const records = await again.records(1);
    expect(records).toHaveLength(8000);
    expect(records[2].handling?.finding).toBe('wait-respected');
    expect(records[7998].handling?.finding).toBe('wait-respected');
    expect(records[3].handling).toBeUndefined();
    // Only the newest chunk is read when a worker starts.
    expect(await again.heldRecords(1)).toBe(8000 % CHUNK_SIZE || CHUNK_SIZE);
  });

  it('a meta written before the window (no sizes) is completed from its chunks once', async () => {
    const storage = new MemoryStorage();
    const store = new TabLogStore(storage);
    await store.append(2, batch(CHUNK_SIZE * 2 + 3));
    await store.flush();
    const meta = JSON.parse(storage.data.get('log:2:meta')!);
    delete meta.sizes;
    delete meta.firstIds;
    storage.data.set('log:2:meta', JSON.stringify(meta));
    const again = new TabLogStore(storage);
    expect(await again.count(2)).toBe(CHUNK_SIZE * 2 + 3);
    const [next] = await again.append(2, batch(1));
    expect(next.id).toBe(CHUNK_SIZE * 2 + 4);
    expect((await again.records(2)).map((r) => r.id).slice(-2)).toEqual([CHUNK_SIZE * 2 + 3, CHUNK_SIZE * 2 + 4]);
  });
});

describe('TabLogStore.recordBatches', () => {
  it('a small first batch, then full ones', async () => {
    const store = new TabLogStore(new MemoryStorage(), 200_000);
    await store.setSettings(1, { maxRecords: 10_000 });
    await store.append(1, batch(7000));
    const sizes: number[] = [];
    for await (const b of store.recordBatches(1, 5000, 1000)) sizes.push(b.length);
    const first = Math.floor(1000 / CHUNK_SIZE) * CHUNK_SIZE;
    const full = Math.floor(5000 / CHUNK_SIZE) * CHUNK_SIZE;
    expect(sizes).toEqual([first, full, 7000 - first - full]);
  });

  it('splits the log for a panel: the newest whole chunks from memory, the older chunks stored as they are now', async () => {
    const storage = new MemoryStorage();
    const store = new TabLogStore(storage);
    await store.setSettings(4, { maxRecords: 10_000 });
    await store.append(4, batch(CHUNK_SIZE * 6 + 30));
    await store.flush();
    // A verdict on an old record, not yet written when the panel connects: written before the split answers.
    await store.updateHandling(4, [{ id: 5, handling: { verdict: 'violation' } as HandlingVerdict }]);
    const { newest, olderKeys, olderCount } = await store.splitForPanel(4, 200);
    // 200 asked: the newest chunk (30) and as many whole chunks before it as make 200.
    const whole = Math.ceil(170 / CHUNK_SIZE);
    const olderRecords = CHUNK_SIZE * (6 - whole);
    expect(newest.map((r) => r.id)).toEqual(Array.from({ length: CHUNK_SIZE * whole + 30 }, (_, i) => olderRecords + 1 + i));
    expect(olderCount).toBe(olderRecords);
    const stored = await storage.get(olderKeys);
    const older = olderKeys.flatMap((key) => stored[key] as { id: number; handling?: HandlingVerdict }[]);
    expect(older.map((r) => r.id)).toEqual(Array.from({ length: olderRecords }, (_, i) => i + 1));
    expect(older[4].handling).toEqual({ verdict: 'violation' });
    expect([...older, ...newest]).toEqual(await store.records(4));
  });

  it('splits a log smaller than the newest part asked for into that part alone', async () => {
    const store = new TabLogStore(new MemoryStorage());
    await store.append(4, batch(40));
    expect(await store.splitForPanel(4, 200)).toMatchObject({ olderKeys: [], olderCount: 0 });
    expect((await store.splitForPanel(4, 200)).newest).toHaveLength(40);
    expect(await store.splitForPanel(9, 200)).toEqual({ newest: [], olderKeys: [], olderCount: 0 });
  });
});
