import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { SessionKeyStore, isKeyOrigin, MAX_KEYS_PER_ORIGIN } from '../../../src/background/keys/session-keys.ts';
import { KeyRequests } from '../../../src/background/keys/key-requests.ts';
import { computeAuthKeyId } from '../../../src/core/keys/index.ts';
import type { KeysMessage, KeysForPage } from '../../../src/shared/messages.ts';
import type { MessageSender } from '../../../src/platform/extension-api.ts';
import { MemoryStorage } from '../../helpers/memory-storage.ts';

const key = () => new Uint8Array(randomBytes(256));
const hex = (k: Uint8Array) => Buffer.from(k).toString('hex');
const ORIGIN = 'https://web.telegram.org';
const OTHER = 'https://evil.example';

function setup(pageOrigin: string | null = ORIGIN) {
  const memory = new MemoryStorage();
  const settings = new MemoryStorage();
  const keys = new SessionKeyStore(memory, settings);
  const sent: { tabId: number; message: unknown; frameId?: number }[] = [];
  const panels: KeysMessage[] = [];
  let pageReply: unknown = undefined;
  const traffic = new Map<string, number | null>();
  const workerKeys: { hex: string; place: string }[] = [];
  const requests = new KeyRequests({
    keys,
    trafficKeys: async () => traffic,
    workerKeys: async () => workerKeys,
    originOf: async () => pageOrigin,
    sendToTab: async (tabId, message, frameId) => {
      sent.push({ tabId, message, frameId });
      return (message as { type: string }).type === 'read-page-keys' ? pageReply : undefined;
    },
    toPanels: (_tabId, message) => panels.push(message),
  });
  return { memory, settings, keys, requests, sent, panels, traffic, workerKeys, reply: (r: unknown) => (pageReply = r) };
}

const sender = (origin: string | null, tabId = 1): MessageSender => ({ tabId, frameId: 0, fromExtensionPage: false, origin });

describe('session keys in the background', () => {
  it('keys pasted for an origin are listed by id only, kept in session storage, and survive a worker restart', async () => {
    const { memory, settings, keys, requests, panels } = setup();
    const k1 = key();
    await requests.fromPanel(1, { type: 'keys-add', text: `"${hex(k1)}"` });
    const last = panels.at(-1)!;
    expect(last.keys).toEqual([{ keyId: computeAuthKeyId(k1), dc: null, source: 'hex', place: null }]);
    expect(last.result).toMatchObject({ action: 'add', added: 1, found: 1 });
    expect(JSON.stringify(panels)).not.toContain(hex(k1));
    expect([...settings.data.values()].join()).not.toContain(hex(k1));
    // A new worker: the same storage, a fresh store.
    const again = new SessionKeyStore(memory, settings);
    expect((await again.list(ORIGIN)).map((e) => e.keyId)).toEqual([computeAuthKeyId(k1)]);
    expect(await again.hexFor(ORIGIN)).toBe(hex(k1));
    expect(await keys.hexFor(OTHER)).toBe('');
  });

  it('forget one, forget all', async () => {
    const { requests, panels } = setup();
    const [k1, k2] = [key(), key()];
    await requests.fromPanel(1, { type: 'keys-add', text: `${hex(k1)}\n${hex(k2)}` });
    expect(panels.at(-1)!.keys).toHaveLength(2);
    await requests.fromPanel(1, { type: 'keys-forget', keyId: computeAuthKeyId(k1) });
    expect(panels.at(-1)!.keys.map((k) => k.keyId)).toEqual([computeAuthKeyId(k2)]);
    await requests.fromPanel(1, { type: 'keys-forget-all' });
    expect(panels.at(-1)!.keys).toEqual([]);
  });

  it('every change re-arms the tab with the origin the keys belong to', async () => {
    const { requests, sent } = setup();
    const k1 = key();
    await requests.fromPanel(7, { type: 'keys-add', text: hex(k1) });
    const arm = sent.find((s) => (s.message as KeysForPage).type === 'arm-keys')!;
    expect(arm.tabId).toBe(7);
    expect(arm.message).toEqual({ type: 'arm-keys', origin: ORIGIN, keys: hex(k1), readNow: false });
  });

  it('Read keys from this page: the top frame reads, the background parses and says where', async () => {
    const { requests, sent, panels, reply } = setup();
    const k1 = key();
    reply({ type: 'page-keys-found', dump: JSON.stringify({ dc2_auth_key: JSON.stringify(hex(k1)) }), places: ['localStorage dc2_auth_key'] });
    await requests.fromPanel(3, { type: 'keys-read-page' });
    expect(sent[0]).toMatchObject({ tabId: 3, frameId: 0, message: { type: 'read-page-keys' } });
    expect(panels.at(-1)!.keys).toEqual([{ keyId: computeAuthKeyId(k1), dc: 2, source: 'dc-auth-key', place: "localStorage['dc2_auth_key']" }]);
    expect(panels.at(-1)!.result).toMatchObject({ action: 'read', added: 1, places: ['localStorage dc2_auth_key'] });
  });

  it('a page that does not answer, or holds no keys, gets a plain message', async () => {
    const { requests, panels, reply } = setup();
    await requests.fromPanel(3, { type: 'keys-read-page' });
    expect(panels.at(-1)!.result!.problems[0]).toMatch(/did not answer/);
    reply({ type: 'page-keys-found', dump: '{}', places: [] });
    await requests.fromPanel(3, { type: 'keys-read-page' });
    expect(panels.at(-1)!.result!.problems[0]).toMatch(/no stored keys/);
  });

  it('a page cannot plant a key: its storage is read unasked only when the user turned the switch on for its origin', async () => {
    const { requests, keys } = setup();
    const planted = key();
    const found = { type: 'page-keys-found' as const, dump: JSON.stringify({ dc2_auth_key: hex(planted) }), places: [] };
    expect(await requests.pageKeysFound(sender(ORIGIN), found)).toBeUndefined();
    expect(await keys.list(ORIGIN)).toEqual([]);
    await requests.fromPanel(1, { type: 'keys-auto-read', on: true });
    const armed = await requests.pageKeysFound(sender(ORIGIN), found);
    expect(armed).toMatchObject({ type: 'arm-keys', origin: ORIGIN, keys: hex(planted) });
    // The switch is per origin: another origin's storage is still refused.
    expect(await requests.pageKeysFound(sender(OTHER), found)).toBeUndefined();
    expect(await keys.list(OTHER)).toEqual([]);
  });

  it('the generic scan: a stored 256-byte value is kept only when its id is one the traffic showed, with where it was', async () => {
    const { requests, sent, panels, reply, traffic } = setup();
    const [real, planted] = [key(), key()];
    traffic.set(computeAuthKeyId(real), 2);
    // The tab answers with both as "matches": the background checks each id itself.
    reply({
      type: 'page-keys-found',
      dump: '{}',
      places: [],
      matches: [
        { hex: hex(real), place: "localStorage['2authKey'] (JSON array)" },
        { hex: hex(planted), place: "localStorage['evil'] (hex)" },
        { hex: 'zz'.repeat(256), place: 'x' },
        { hex: hex(real).slice(2), place: 'short' },
      ],
      scan: { values: 12, bytes: 3000, candidates: 2, skippedLarge: 0, capped: false },
    });
    await requests.fromPanel(3, { type: 'keys-read-page' });
    expect((sent[0].message as { keyIds: string[] }).keyIds).toEqual([computeAuthKeyId(real)]);
    expect(panels.at(-1)!.keys).toEqual([{ keyId: computeAuthKeyId(real), dc: 2, source: 'page-storage', place: "localStorage['2authKey'] (JSON array)" }]);
    expect(panels.at(-1)!.result).toMatchObject({ action: 'read', added: 1, found: 1, unmatched: 1, places: ["localStorage['2authKey'] (JSON array)"] });
    expect(JSON.stringify(panels)).not.toContain(hex(real));
  });

  it('with no traffic seen, a scan keeps nothing and says how many 256-byte values it found', async () => {
    const { requests, panels, reply } = setup();
    reply({
      type: 'page-keys-found',
      dump: '{}',
      places: [],
      matches: [{ hex: hex(key()), place: 'p' }],
      scan: { values: 3, bytes: 900, candidates: 1, skippedLarge: 0, capped: false },
    });
    await requests.fromPanel(3, { type: 'keys-read-page' });
    expect(panels.at(-1)!.keys).toEqual([]);
    expect(panels.at(-1)!.result).toMatchObject({ found: 0, unmatched: 1, scan: { candidates: 1 } });
  });

  it("a new key id in the traffic reads the page again only when the origin's switch is on", async () => {
    const { requests, sent, keys, reply, traffic } = setup();
    const real = key();
    traffic.set(computeAuthKeyId(real), null);
    reply({ type: 'page-keys-found', dump: '{}', places: [], matches: [{ hex: hex(real), place: "localStorage['k'] (hex)" }] });
    await requests.readForTraffic(4);
    expect(sent).toEqual([]);
    expect(await keys.list(ORIGIN)).toEqual([]);
    await requests.fromPanel(4, { type: 'keys-auto-read', on: true });
    await requests.readForTraffic(4);
    expect((await keys.list(ORIGIN)).map((k) => k.keyId)).toEqual([computeAuthKeyId(real)]);
  });

  it("a worker's keys in memory: read on the click only, kept only when the traffic shows their id", async () => {
    const { requests, panels, reply, traffic, workerKeys, keys } = setup();
    const [temp, other] = [key(), key()];
    traffic.set(computeAuthKeyId(temp), 2);
    workerKeys.push({ hex: hex(temp), place: "Web K worker: account 1 apiManager.tempAuthKeys['2']" }, { hex: hex(other), place: 'x' });
    reply({ type: 'page-keys-found', dump: '{}', places: [] });
    // The switch alone does not read a worker's memory.
    await requests.fromPanel(5, { type: 'keys-auto-read', on: true });
    await requests.readForTraffic(5);
    expect(await keys.list(ORIGIN)).toEqual([]);
    await requests.fromPanel(5, { type: 'keys-read-page' });
    expect(panels.at(-1)!.keys).toEqual([
      { keyId: computeAuthKeyId(temp), dc: 2, source: 'worker-memory', place: "Web K worker: account 1 apiManager.tempAuthKeys['2']" },
    ]);
  });

  it("a frame's hello gets its own origin's keys (as the browser names it), never another's", async () => {
    const { requests } = setup();
    const k1 = key();
    await requests.fromPanel(1, { type: 'keys-add', text: hex(k1) });
    expect(await requests.hello(sender(ORIGIN))).toEqual({ type: 'arm-keys', origin: ORIGIN, keys: hex(k1), readNow: false });
    expect(await requests.hello(sender(OTHER))).toEqual({ type: 'arm-keys', origin: OTHER, keys: '', readNow: false });
    expect(await requests.hello(sender(null))).toBeUndefined();
    expect(await requests.hello(sender('chrome-extension://abc'))).toBeUndefined();
  });

  it('a tab with no web page takes no keys; an origin holds at most the cap', async () => {
    const none = setup(null);
    await none.requests.fromPanel(1, { type: 'keys-add', text: hex(key()) });
    expect(none.panels.at(-1)).toMatchObject({ origin: null, keys: [] });
    const { keys } = setup();
    const many = Array.from({ length: MAX_KEYS_PER_ORIGIN + 5 }, () => key());
    const { AuthKey } = await import('../../../src/core/keys/index.ts');
    await keys.add(
      ORIGIN,
      many.map((k) => new AuthKey(k, 'hex')),
    );
    expect(await keys.list(ORIGIN)).toHaveLength(MAX_KEYS_PER_ORIGIN);
  });

  it('only http(s) origins hold keys', () => {
    expect(isKeyOrigin('https://web.telegram.org')).toBe(true);
    expect(isKeyOrigin('http://127.0.0.1:8080')).toBe(true);
    expect(isKeyOrigin('null')).toBe(false);
    expect(isKeyOrigin('chrome-extension://x')).toBe(false);
    expect(isKeyOrigin('https://a.b/path')).toBe(false);
  });
});
