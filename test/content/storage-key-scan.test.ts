import { describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { scanStorageForKeys } from '../../src/content/storage-key-scan.ts';
import { computeAuthKeyId } from '../../src/core/keys/index.ts';
import { FINDER_LIMITS } from '../../src/core/keys/find-key-bytes.ts';
import { toHex } from '../../src/core/mtproto/bytes.ts';

function storage(entries: Record<string, string>): Storage {
  const keys = Object.keys(entries);
  return {
    get length() {
      return keys.length;
    },
    key: (i: number) => keys[i] ?? null,
    getItem: (name: string) => entries[name] ?? null,
    setItem: () => {
      throw new Error('the scan must not write');
    },
    removeItem: () => {
      throw new Error('the scan must not write');
    },
    clear: () => undefined,
  };
}

const keyOf = (seed: number) => Uint8Array.from({ length: 256 }, (_, i) => (i * 31 + seed * 7 + 1) & 255);

function createDb(idb: IDBFactory, name: string, stores: Record<string, [IDBValidKey, unknown][]>): Promise<void> {
  return new Promise((resolve, reject) => {
    const open = idb.open(name, 3);
    open.onupgradeneeded = () => {
      for (const store of Object.keys(stores)) open.result.createObjectStore(store);
    };
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction(Object.keys(stores), 'readwrite');
      for (const [store, rows] of Object.entries(stores)) for (const [k, v] of rows) tx.objectStore(store).put(v, k);
      tx.oncomplete = () => {
        db.close();
        resolve();
      };
      tx.onerror = () => reject(tx.error);
    };
    open.onerror = () => reject(open.error);
  });
}

describe('scanStorageForKeys', () => {
  it("finds localStorage['2authKey'] as a JSON array, a sessionStorage hex, an IndexedDB Uint8Array, each only by a traffic id", async () => {
    const [k1, k2, k3, decoy] = [keyOf(1), keyOf(2), keyOf(3), keyOf(4)];
    const idb = new IDBFactory();
    await createDb(idb, 'my-app', { sessions: [['main', { dc: 4, authKey: k3.slice() }]], other: [[1, 'text']] });
    const result = await scanStorageForKeys(
      {
        local: storage({ '2authKey': JSON.stringify([...k1]), theme: 'dark', decoy: toHex(decoy) }),
        session: storage({ state: JSON.stringify({ auth: { key: toHex(k2) } }) }),
        idb,
      },
      { keyIds: new Set([k1, k2, k3].map(computeAuthKeyId)) },
    );
    expect(result.matches.map((m) => m.place).sort()).toEqual(
      [
        "IndexedDB 'my-app'/'sessions' ['main'] → .authKey (Uint8Array)",
        "localStorage['2authKey'] (JSON array)",
        "sessionStorage['state'] → .auth.key (hex)",
      ].sort(),
    );
    expect(result.matches.find((m) => m.place.startsWith("localStorage['2authKey']"))!.hex).toBe(toHex(k1));
    // The decoy is a 256-byte value too, counted, not handed on.
    expect(result.summary.candidates).toBe(4);
    expect(result.matches.some((m) => m.hex === toHex(decoy))).toBe(false);
  });

  it('never creates, upgrades or writes a database', async () => {
    const idb = new IDBFactory();
    await createDb(idb, 'existing', { s: [['a', new Uint8Array(256).fill(9)]] });
    const before = await idb.databases();
    const listed = [...before, { name: 'vanished', version: 1 }];
    // A database listed but gone by the time it is opened: opening would create it.
    const lying = Object.assign(Object.create(idb) as IDBFactory, { databases: async () => listed, open: idb.open.bind(idb) });
    await scanStorageForKeys({ idb: lying }, { keyIds: new Set() });
    expect(await idb.databases()).toEqual(before);
  });

  it('respects the value cap and yields between slices', async () => {
    const entries: Record<string, string> = {};
    for (let i = 0; i < 3_000; i++) entries[`k${i}`] = JSON.stringify({ i, pad: 'x'.repeat(2_000), list: Array.from({ length: 50 }, (_, j) => j) });
    const key = keyOf(9);
    entries.zkey = toHex(key);
    let yields = 0;
    const realSetTimeout = globalThis.setTimeout;
    const counting = ((fn: () => void, ms?: number) => {
      if (!ms) yields++;
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout;
    globalThis.setTimeout = counting;
    try {
      const limits = { ...FINDER_LIMITS, maxValues: 1_000 };
      const result = await scanStorageForKeys({ local: storage(entries) }, { keyIds: new Set([computeAuthKeyId(key)]), limits, sliceMs: 2 });
      expect(result.summary.values).toBe(1_000);
      expect(result.summary.capped).toBe(true);
      // The key sits after the cap: not reached, as the cap says.
      expect(result.matches).toEqual([]);
      expect(yields).toBeGreaterThan(0);
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  });

  it('yields once a slice is spent: with a clock that advances 1 ms per reading, no slice passes a few values', async () => {
    const entries: Record<string, string> = {};
    for (let i = 0; i < 1_500; i++) entries[`k${i}`] = JSON.stringify({ i, nested: { list: Array.from({ length: 50 }, (_, j) => ({ j, s: 'abc' })) } });
    let t = 0;
    let yields = 0;
    const realSetTimeout = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => {
      if (!ms) yields++;
      return realSetTimeout(fn, ms);
    }) as typeof setTimeout;
    try {
      const result = await scanStorageForKeys({ local: storage(entries) }, { keyIds: new Set(), sliceMs: 4, now: () => t++ });
      expect(result.summary.values).toBe(1_500);
      // Each value costs one reading here: a slice of 4 ms holds at most a handful.
      expect(result.longestSliceMs).toBeLessThanOrEqual(6);
      expect(yields).toBeGreaterThan(1_500 / 6);
    } finally {
      globalThis.setTimeout = realSetTimeout;
    }
  });
});
