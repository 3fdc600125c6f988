// Session keys as the background handles them: the panel's dialog (add, forget, read from
// the page, the per-origin switch), the content script's hello (which keys arm this frame's
// triage), and the keys a page's storage held. Keys enter only from the user's paste or from
// the page's own storage on the user's request (a click, or the switch the user turned on for
// that origin): a page cannot plant one. The panel only ever sees ids.

import { AuthKey, parseAuthKeys } from '../../core/keys/index.ts';
import { fromHex } from '../../core/mtproto/bytes.ts';
import type { MessageSender } from '../../platform/extension-api.ts';
import type { KeysForPage, KeysMessage, KeysRequest, KeysResult, PageKeysFoundMessage } from '../../shared/messages.ts';
import { isKeyOrigin, type SessionKeyStore } from './session-keys.ts';

export interface KeyRequestDeps {
  keys: SessionKeyStore;
  /** The tab's top-frame origin (from its page URL), or null. */
  originOf(tabId: number): Promise<string | null>;
  /** Sends to the tab's content scripts (one frame when frameId is given); resolves to the reply. */
  sendToTab(tabId: number, message: unknown, frameId?: number): Promise<unknown>;
  /** Posts to the tab's open panels. */
  toPanels(tabId: number, message: KeysMessage): void;
  /** The auth_key_ids the tab's traffic was seen under, each with its DC when known. */
  trafficKeys(tabId: number): Promise<Map<string, number | null>>;
  /** Keys the tab's workers hold in memory (Capture inside workers on; else none), unchecked. */
  workerKeys?(tabId: number): Promise<{ hex: string; place: string }[]>;
}

/** At most this many stored values are taken from one scan (more than any client's keys). */
const MAX_MATCHES = 64;

let nextRequestId = 1;

export class KeyRequests {
  constructor(private readonly deps: KeyRequestDeps) {}

  /** What a panel shows for its tab. */
  async state(tabId: number, result?: KeysResult): Promise<KeysMessage> {
    const origin = await this.deps.originOf(tabId);
    if (!isKeyOrigin(origin)) return { type: 'keys', origin: null, keys: [], autoRead: false, ...(result ? { result } : {}) };
    return {
      type: 'keys',
      origin,
      keys: await this.deps.keys.list(origin),
      autoRead: await this.deps.keys.autoRead(origin),
      ...(result ? { result } : {}),
    };
  }

  async fromPanel(tabId: number, request: KeysRequest): Promise<void> {
    const origin = await this.deps.originOf(tabId);
    if (!isKeyOrigin(origin)) {
      this.deps.toPanels(
        tabId,
        await this.state(tabId, { action: 'add', added: 0, found: 0, problems: ['this tab shows no web page: keys belong to a page origin'], places: [] }),
      );
      return;
    }
    let result: KeysResult | undefined;
    switch (request.type) {
      case 'keys-add':
        result = await this.addFrom(origin, request.text, 'add', []);
        break;
      case 'keys-forget':
        await this.deps.keys.forget(origin, request.keyId);
        break;
      case 'keys-forget-all':
        await this.deps.keys.forgetAll(origin);
        break;
      case 'keys-auto-read':
        await this.deps.keys.setAutoRead(origin, request.on);
        break;
      case 'keys-read-page':
        result = await this.readPage(tabId, origin, true);
        break;
    }
    await this.armTab(tabId, origin);
    this.deps.toPanels(tabId, await this.state(tabId, result));
  }

  private async addFrom(origin: string, text: string, action: KeysResult['action'], places: string[]): Promise<KeysResult> {
    const parsed = parseAuthKeys(text);
    const added = await this.deps.keys.add(origin, parsed.keys);
    return { action, added, found: parsed.keys.length, problems: parsed.problems, places };
  }

  /**
   * Asks the tab's top frame to read the page's stored keys: the known formats, and every
   * 256-byte value of its storage whose auth_key_id the tab's traffic was seen under; on the
   * user's click (`clicked`) also the keys its workers hold in memory.
   */
  private async readPage(tabId: number, origin: string, clicked: boolean): Promise<KeysResult> {
    const traffic = await this.deps.trafficKeys(tabId);
    const request = { type: 'read-page-keys', requestId: nextRequestId++, keyIds: [...traffic.keys()] };
    const reply = (await this.deps.sendToTab(tabId, request, 0)) as PageKeysFoundMessage | undefined;
    if (reply?.type !== 'page-keys-found' || typeof reply.dump !== 'string') {
      return { action: 'read', added: 0, found: 0, problems: ['the page did not answer (reload it: the extension starts with the page)'], places: [] };
    }
    const places = Array.isArray(reply.places) ? reply.places.filter((p) => typeof p === 'string').slice(0, 64) : [];
    const known = places.length > 0 ? withPlaces(reply.dump) : { keys: [], problems: [] };
    const fromStorage = checkMatches(reply.matches, traffic, 'page-storage');
    // With Capture inside workers on, on the click only: the keys held in the workers' memory (Web K's temporary keys).
    const fromWorkers = clicked ? checkMatches(await this.deps.workerKeys?.(tabId).catch(() => []), traffic, 'worker-memory') : [];
    const found = [...known.keys, ...fromStorage, ...fromWorkers];
    const added = await this.deps.keys.add(origin, found);
    const scan = validScan(reply.scan);
    const result: KeysResult = {
      action: 'read',
      added,
      found: found.length,
      problems: found.length === 0 ? [] : known.problems,
      places: [...places, ...[...fromStorage, ...fromWorkers].map((k) => k.place!)].slice(0, 64),
    };
    if (scan) {
      result.scan = scan;
      result.unmatched = Math.max(0, scan.candidates - fromStorage.length);
    }
    if (found.length === 0 && !scan) result.problems = ['no stored keys where Web K, Web A, GramJS or mtcute keep them'];
    return result;
  }

  /**
   * The origin's switch is on and the tab's traffic showed a key not given yet: the page's
   * storage is looked through again for it (the switch stands for the user's click).
   */
  async readForTraffic(tabId: number): Promise<void> {
    const origin = await this.deps.originOf(tabId);
    if (!isKeyOrigin(origin) || !(await this.deps.keys.autoRead(origin))) return;
    const result = await this.readPage(tabId, origin, false);
    if (result.added === 0) return;
    await this.armTab(tabId, origin);
    this.deps.toPanels(tabId, await this.state(tabId, result));
  }

  /** Pushes the origin's keys to the tab's frames; each frame applies them only if it is of that origin. */
  private async armTab(tabId: number, origin: string): Promise<void> {
    const message: KeysForPage = { type: 'arm-keys', origin, keys: await this.deps.keys.hexFor(origin), readNow: false };
    await this.deps.sendToTab(tabId, message);
  }

  /** A content script's hello: the keys of its own origin (as the browser names it), and whether to read the page's now. */
  async hello(sender: MessageSender): Promise<KeysForPage | undefined> {
    if (!isKeyOrigin(sender.origin)) return undefined;
    return { type: 'arm-keys', origin: sender.origin, keys: await this.deps.keys.hexFor(sender.origin), readNow: await this.deps.keys.autoRead(sender.origin) };
  }

  /** Keys a page's storage held, sent because the origin's switch is on (checked here, not trusted from the tab). */
  async pageKeysFound(sender: MessageSender, message: PageKeysFoundMessage): Promise<KeysForPage | undefined> {
    if (!isKeyOrigin(sender.origin) || !(await this.deps.keys.autoRead(sender.origin))) return undefined;
    const known = withPlaces(message.dump);
    const added = await this.deps.keys.add(sender.origin, known.keys);
    const result: KeysResult = { action: 'read', added, found: known.keys.length, problems: known.problems, places: message.places.slice(0, 64) };
    if (sender.tabId !== null && result.added > 0) this.deps.toPanels(sender.tabId, await this.state(sender.tabId, result));
    return { type: 'arm-keys', origin: sender.origin, keys: await this.deps.keys.hexFor(sender.origin), readNow: false };
  }
}

function validScan(scan: unknown): KeysResult['scan'] | undefined {
  if (scan === null || typeof scan !== 'object') return undefined;
  const { values, bytes, candidates, skippedLarge, capped } = scan as Record<string, unknown>;
  const count = (n: unknown) => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0);
  return { values: count(values), bytes: count(bytes), candidates: count(candidates), skippedLarge: count(skippedLarge), capped: capped === true };
}

/** The known formats' keys in a dump, each with the storage entry it came from. */
function withPlaces(dump: string): { keys: AuthKey[]; problems: string[] } {
  const parsed = parseAuthKeys(dump);
  let entries: Record<string, unknown>;
  try {
    entries = JSON.parse(dump) as Record<string, unknown>;
  } catch {
    return parsed;
  }
  if (entries === null || typeof entries !== 'object' || Array.isArray(entries)) return parsed;
  const placeOf = new Map<string, string>();
  for (const name of Object.keys(entries).slice(0, 64)) {
    const place = name.startsWith('IndexedDB ') ? name : `localStorage['${name}']`;
    for (const key of parseAuthKeys(JSON.stringify({ [name]: entries[name] })).keys) if (!placeOf.has(key.keyId)) placeOf.set(key.keyId, place.slice(0, 200));
  }
  return { keys: parsed.keys.map((key) => new AuthKey(key.bytes, key.source, key.dc, placeOf.get(key.keyId) ?? null)), problems: parsed.problems };
}

/**
 * Values the tab or a worker said are keys, checked here: each must be 256 bytes whose
 * auth_key_id is one the tab's traffic was seen under (nothing from the tab is trusted: a page
 * cannot plant a key). The DC is the traffic's.
 */
function checkMatches(matches: unknown, traffic: Map<string, number | null>, source: 'page-storage' | 'worker-memory'): AuthKey[] {
  if (!Array.isArray(matches)) return [];
  const keys: AuthKey[] = [];
  for (const match of matches.slice(0, MAX_MATCHES) as { hex?: unknown; place?: unknown }[]) {
    if (typeof match?.hex !== 'string' || typeof match.place !== 'string' || match.hex.length !== 512) continue;
    const bytes = fromHex(match.hex);
    if (!bytes) continue;
    const key = new AuthKey(bytes, source, null, match.place.slice(0, 200));
    if (!traffic.has(key.keyId)) continue;
    keys.push(new AuthKey(bytes, source, traffic.get(key.keyId) ?? null, key.place));
  }
  return keys;
}
