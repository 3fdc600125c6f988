import { afterEach, describe, expect, it, vi } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { pageKeysMessage, readIndexedDbKeys, readStoredKeys } from '../../src/content/page-keys.ts';
import { parseAuthKeys } from '../../src/core/keys/index.ts';

/** localStorage as the page has it (the isolated world shares it). */
function storage(entries: Record<string, string>): Storage {
  const keys = Object.keys(entries);
  return {
    get length() {
      return keys.length;
    },
    key: (i: number) => keys[i] ?? null,
    getItem: (name: string) => entries[name] ?? null,
    setItem: () => undefined,
    removeItem: () => undefined,
    clear: () => undefined,
  };
}

const hex = (fill: number) => fill.toString(16).padStart(2, '0').repeat(256);

describe("reading the page's stored keys", () => {
  it('takes the entries where Web K, Web A and GramJS keep keys, and nothing else', () => {
    const { dump, places } = readStoredKeys(
      storage({
        account1: JSON.stringify({ dc2_auth_key: hex(1), dc2_server_salt: '00', userId: 1 }),
        dc4_auth_key: JSON.stringify(hex(2)),
        'app:authKey': JSON.stringify({ type: 'Buffer', data: Array(256).fill(3) }),
        'app:dcId': '5',
        theme: 'dark',
        user_auth: JSON.stringify({ dcID: 2, id: '1' }),
      }),
    );
    expect(places).toEqual(['localStorage account1', 'localStorage dc4_auth_key', 'localStorage app:authKey', 'localStorage app:dcId']);
    expect(dump).not.toContain('dark');
    const parsed = parseAuthKeys(dump);
    expect(parsed.keys.map((k) => [k.dc, k.source]).sort()).toEqual(
      [
        [2, 'webk-account'],
        [4, 'dc-auth-key'],
        [5, 'gramjs-store-session'],
      ].sort(),
    );
  });

  it('reads a bounded amount from a hostile page', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 500; i++) many[`dc${i}_auth_key`] = JSON.stringify(hex(i % 256));
    many.account1 = 'x'.repeat(200_000);
    const { places, dump } = readStoredKeys(storage(many));
    expect(places.length).toBeLessThanOrEqual(64);
    expect(dump.length).toBeLessThan(64 * 1100);
  });
});

// mtcute's IdbStorage, as packages/web/src/idb/driver.ts and repository/*.ts create it: version
// V2_MIGRATIONS_EPOCH + (repo count << 8) + sum of repo versions, a `__version:<repo>:<n>` store
// per repo, `authKeys` (keyPath 'dc') and `tempAuthKeys` (keyPath ['dc', 'idx']).
const MTCUTE_VERSION = 2_000_000_000_000 + (4 << 8) + 4;

const keyBytes = (fill: number) => new Uint8Array(256).fill(fill);

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function createDb(
  idb: IDBFactory,
  name: string,
  version: number,
  stores: Record<string, { keyPath?: string | string[]; rows?: unknown[] }>,
): Promise<void> {
  const open = idb.open(name, version);
  open.onupgradeneeded = () => {
    for (const [store, { keyPath }] of Object.entries(stores)) open.result.createObjectStore(store, keyPath ? { keyPath } : undefined);
  };
  const db = await request(open);
  const withRows = Object.entries(stores).filter(([, s]) => s.rows?.length);
  if (withRows.length > 0) {
    const tx = db.transaction(
      withRows.map(([store]) => store),
      'readwrite',
    );
    for (const [store, { rows }] of withRows) for (const row of rows!) tx.objectStore(store).put(row);
    await new Promise((resolve, reject) => {
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
  }
  db.close();
}

function mtcuteStores(authKeys: unknown[], tempAuthKeys: unknown[] = []) {
  return {
    kv: { keyPath: 'key', rows: [{ key: 'self', value: new Uint8Array(8) }] },
    authKeys: { keyPath: 'dc', rows: authKeys },
    tempAuthKeys: { keyPath: ['dc', 'idx'], rows: tempAuthKeys },
    peers: { keyPath: 'id' },
    refMessages: { keyPath: 'peerId' },
    '__version:kv:1': {},
    '__version:authKeys:1': {},
    '__version:peers:1': {},
    '__version:refMessages:1': {},
  };
}

describe("reading mtcute's IndexedDB keys", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('reads authKeys and live tempAuthKeys of every mtcute database, whatever its name, with their DC', async () => {
    const idb = new IDBFactory();
    const future = Date.now() + 86_400_000;
    await createDb(
      idb,
      'client.session',
      MTCUTE_VERSION,
      mtcuteStores(
        [
          { dc: 2, key: keyBytes(1) },
          { dc: 4, key: keyBytes(2) },
        ],
        [
          { dc: 2, idx: 0, key: keyBytes(3), expiresAt: future },
          { dc: 2, idx: 1, key: keyBytes(4), expiresAt: Date.now() - 1000 }, // expired: no longer on the wire
        ],
      ),
    );
    await createDb(idb, 'my-account', MTCUTE_VERSION, mtcuteStores([{ dc: 5, key: keyBytes(5).buffer }]));
    // mtcute before its 2024 storage rewrite: version 1, snake_case stores.
    await createDb(idb, 'old-app', 1, { auth_keys: { keyPath: 'dc', rows: [{ dc: 1, key: keyBytes(6) }] }, temp_auth_keys: { keyPath: ['dc', 'idx'] } });
    // Another app's database: looked into, nothing taken.
    await createDb(idb, 'tweb', 7, { session: { rows: [] }, keys: { keyPath: 'dc', rows: [{ dc: 2, key: keyBytes(9) }] } });

    const { found, places } = await readIndexedDbKeys(idb);
    expect(places).toEqual([
      'IndexedDB client.session/authKeys',
      'IndexedDB client.session/tempAuthKeys',
      'IndexedDB my-account/authKeys',
      'IndexedDB old-app/auth_keys',
    ]);
    const parsed = parseAuthKeys(JSON.stringify(found));
    expect(parsed.keys.map((k) => [k.dc, k.source])).toEqual([2, 4, 2, 5, 1].map((dc) => [dc, 'mtcute-storage']));
    expect(JSON.stringify(found)).not.toContain(hex(9));
    expect(JSON.stringify(found)).not.toContain(hex(4));
  });

  it('leaves every database as it was, closes its connections, and never blocks the page upgrading', async () => {
    const idb = new IDBFactory();
    await createDb(idb, 'client.session', MTCUTE_VERSION, mtcuteStores([{ dc: 2, key: keyBytes(1) }]));
    await readIndexedDbKeys(idb);
    expect(await idb.databases()).toEqual([{ name: 'client.session', version: MTCUTE_VERSION }]);
    // mtcute adding a repository: an upgrade that would be blocked by a connection left open.
    const upgrade = idb.open('client.session', MTCUTE_VERSION + 257);
    let blocked = false;
    upgrade.onblocked = () => {
      blocked = true;
    };
    upgrade.onupgradeneeded = () => upgrade.result.createObjectStore('more');
    const db = await request(upgrade);
    expect(blocked).toBe(false);
    expect([...db.objectStoreNames]).toContain('more');
    db.close();
  });

  it('never creates a database: one listed but gone is not made, and without databases() nothing is opened', async () => {
    const idb = new IDBFactory();
    const open = vi.spyOn(idb, 'open');
    const listing = vi.spyOn(idb, 'databases').mockResolvedValue([{ name: 'gone', version: MTCUTE_VERSION }]);
    expect(await readIndexedDbKeys(idb)).toEqual({ found: {}, places: [] });
    expect(open).toHaveBeenCalledWith('gone'); // no version: never an upgrade of ours
    listing.mockRestore();
    await new Promise((resolve) => setTimeout(resolve, 50)); // past the aborted upgrade
    expect(await idb.databases()).toEqual([]);

    const old = new IDBFactory();
    await createDb(old, 'client.session', MTCUTE_VERSION, mtcuteStores([{ dc: 2, key: keyBytes(1) }]));
    const openOld = vi.spyOn(old, 'open');
    Object.defineProperty(old, 'databases', { value: undefined });
    expect(await readIndexedDbKeys(old)).toEqual({ found: {}, places: [] });
    expect(openOld).not.toHaveBeenCalled();
    expect(await readIndexedDbKeys(undefined)).toEqual({ found: {}, places: [] });
  });

  it('reads a bounded amount from a hostile page: databases, names, rows, values', async () => {
    const idb = new IDBFactory();
    await createDb(idb, 'x'.repeat(300), 1, { authKeys: { keyPath: 'dc', rows: [{ dc: 2, key: keyBytes(7) }] } });
    const junk = [
      { dc: 1, key: new Uint8Array(255).fill(1) },
      { dc: 2, key: hex(1) },
      { dc: 3, key: Array(256).fill(1) },
      { dc: 0, key: keyBytes(1) },
      { dc: 'x', key: keyBytes(1) },
      { dc: 6, key: new Uint8Array(1 << 20) },
    ];
    await createDb(idb, 'junk', 1, { authKeys: { keyPath: 'dc', rows: junk } });
    for (let i = 0; i < 30; i++) {
      const rows = Array.from({ length: 100 }, (_, dc) => ({ dc: dc + 1, key: keyBytes(((i + dc) % 255) + 1) }));
      await createDb(idb, `db${String(i).padStart(2, '0')}`, 1, { authKeys: { keyPath: 'dc', rows } });
    }
    const { found, places } = await readIndexedDbKeys(idb, 10_000);
    expect(places.length).toBeLessThanOrEqual(16);
    expect(places.some((p) => p.includes('xxxx'))).toBe(false);
    expect(places).not.toContain('IndexedDB junk/authKeys');
    for (const rows of Object.values(found)) expect((rows as unknown[]).length).toBeLessThanOrEqual(32);
    expect(JSON.stringify(found).length).toBeLessThan(16 * 32 * 600);
  });

  it('gives up in time and never throws: a listing or an open that never answers, a factory that throws', async () => {
    const hanging = new IDBFactory();
    vi.spyOn(hanging, 'databases').mockReturnValue(new Promise(() => undefined));
    const started = Date.now();
    expect(await readIndexedDbKeys(hanging, 200)).toEqual({ found: {}, places: [] });
    expect(Date.now() - started).toBeLessThan(2000);

    const slowOpen = new IDBFactory();
    await createDb(slowOpen, 'client.session', MTCUTE_VERSION, mtcuteStores([{ dc: 2, key: keyBytes(1) }]));
    vi.spyOn(slowOpen, 'open').mockReturnValue({} as IDBOpenDBRequest);
    expect(await readIndexedDbKeys(slowOpen, 200)).toEqual({ found: {}, places: [] });

    const throwing = new IDBFactory();
    vi.spyOn(throwing, 'databases').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(await readIndexedDbKeys(throwing)).toEqual({ found: {}, places: [] });
    const rejecting = new IDBFactory();
    vi.spyOn(rejecting, 'databases').mockRejectedValue(new DOMException('blocked', 'SecurityError'));
    expect(await readIndexedDbKeys(rejecting)).toEqual({ found: {}, places: [] });
  });

  it('pageKeysMessage answers with localStorage and IndexedDB keys together', async () => {
    const idb = new IDBFactory();
    await createDb(idb, 'client.session', MTCUTE_VERSION, mtcuteStores([{ dc: 2, key: keyBytes(1) }]));
    vi.stubGlobal('window', { localStorage: storage({ dc4_auth_key: JSON.stringify(hex(2)) }) });
    vi.stubGlobal('indexedDB', idb);
    const message = await pageKeysMessage(7);
    expect(message).toMatchObject({ type: 'page-keys-found', requestId: 7, places: ['localStorage dc4_auth_key', 'IndexedDB client.session/authKeys'] });
    expect(parseAuthKeys(message.dump).keys.map((k) => [k.dc, k.source])).toEqual([
      [4, 'dc-auth-key'],
      [2, 'mtcute-storage'],
    ]);

    vi.stubGlobal('window', {
      get localStorage(): Storage {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    vi.stubGlobal('indexedDB', undefined);
    expect(await pageKeysMessage()).toEqual({ type: 'page-keys-found', dump: '{}', places: [] });
  });
});
