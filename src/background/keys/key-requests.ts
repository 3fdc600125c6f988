// Session keys as the background handles them: the panel's dialog (add, forget, read from
// the page, the per-origin switch), the content script's hello (which keys arm this frame's
// triage), and the keys a page's storage held. Keys enter only from the user's paste or from
// the page's own storage on the user's request (a click, or the switch the user turned on for
// that origin): a page cannot plant one. The panel only ever sees ids.

import { parseAuthKeys } from '../../core/keys/index.ts';
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
}

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
      this.deps.toPanels(tabId, await this.state(tabId, { action: 'add', added: 0, found: 0, problems: ['this tab shows no web page: keys belong to a page origin'], places: [] }));
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
        result = await this.readPage(tabId, origin);
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

  /** Asks the tab's top frame to read the page's stored keys. */
  private async readPage(tabId: number, origin: string): Promise<KeysResult> {
    const reply = (await this.deps.sendToTab(tabId, { type: 'read-page-keys', requestId: nextRequestId++ }, 0)) as PageKeysFoundMessage | undefined;
    if (reply?.type !== 'page-keys-found' || typeof reply.dump !== 'string') {
      return { action: 'read', added: 0, found: 0, problems: ['the page did not answer (reload it: the extension starts with the page)'], places: [] };
    }
    const places = Array.isArray(reply.places) ? reply.places.filter((p) => typeof p === 'string').slice(0, 64) : [];
    if (places.length === 0) return { action: 'read', added: 0, found: 0, problems: ['no stored keys where Web K, Web A, GramJS or mtcute keep them'], places };
    return this.addFrom(origin, reply.dump, 'read', places);
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
    const result = await this.addFrom(sender.origin, message.dump, 'read', message.places.slice(0, 64));
    if (sender.tabId !== null && result.added > 0) this.deps.toPanels(sender.tabId, await this.state(sender.tabId, result));
    return { type: 'arm-keys', origin: sender.origin, keys: await this.deps.keys.hexFor(sender.origin), readNow: false };
  }
}
