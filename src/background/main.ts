// Background service worker: turns validated captures into classified records, keeps
// each tab's log in session storage (it survives this worker being stopped), shows the
// count on the toolbar badge and streams new records to the tab's panels.

import { localSettings, runtime, sessionStorage, tabs } from '../platform/extension-api.ts';
import type { ContentToBackground, ExtensionRequest, PanelToBackground } from '../shared/messages.ts';
import { maskSecrets } from '../core/mask-secrets.ts';
import { TabLogStore } from './tab-log-store.ts';
import { PanelHub, tabIdFromPortName } from './panel-hub.ts';
import { CaptureSession, decodeCapture } from '../core/decode-capture.ts';
import { isContentMessage, isExtensionRequest, isPanelMessage } from './message-guards.ts';
import { TabQueue } from './tab-queue.ts';
import { isKeyOrigin, SessionKeyStore } from './session-keys.ts';
import { KeyRequests } from './key-requests.ts';

const store = new TabLogStore(sessionStorage);
const hub = new PanelHub();
const queue = new TabQueue();
const keys = new SessionKeyStore(sessionStorage, localSettings);

async function originOf(tabId: number): Promise<string | null> {
  const url = await store.pageUrl(tabId);
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

const keyRequests = new KeyRequests({
  keys,
  originOf,
  sendToTab: (tabId, message, frameId) => tabs.send(tabId, message, frameId),
  toPanels: (tabId, message) => hub.send(tabId, message),
});
/** Per-tab decoding memory (requests per connection); lost with the worker, which only costs method names. */
const sessions = new Map<number, CaptureSession>();

function sessionOf(tabId: number): CaptureSession {
  let session = sessions.get(tabId);
  // A fresh random salt per tab and worker start: request fingerprints compare within it only.
  if (!session) sessions.set(tabId, (session = new CaptureSession(64, crypto.getRandomValues(new Uint8Array(16)))));
  return session;
}

async function updateBadge(tabId: number): Promise<void> {
  const stats = await store.stats(tabId);
  const total = (await store.count(tabId)) + stats.droppedOldest;
  await tabs.setBadge(tabId, total === 0 ? '' : total > 999 ? '999+' : String(total));
}

async function handlePageStart(tabId: number, url: string): Promise<void> {
  const marker = await store.pageStart(tabId, maskSecrets(url), new Date().toISOString());
  hub.send(tabId, marker ? { type: 'navigated', marker } : { type: 'cleared', navigatedTo: maskSecrets(url) });
  await updateBadge(tabId);
}

async function handleContentMessage(tabId: number, isTopFrame: boolean, origin: string | null, message: ContentToBackground): Promise<void> {
  if (message.type === 'drops') {
    await store.countDrops(tabId, message.counts);
    return;
  }
  if (message.type === 'page-start') {
    if (isTopFrame) await handlePageStart(tabId, message.url);
    return;
  }
  if (message.type !== 'capture') return;
  if (!(await store.settings(tabId)).recording) return;
  const { capture } = message;
  if (capture.hookDropped) await store.countDrops(tabId, { 'rate-limited': capture.hookDropped });
  // Keys of the frame's own origin, as the browser names it: never another origin's.
  const ring = capture.encrypted !== undefined && isKeyOrigin(origin) ? await keys.ring(origin) : null;
  const decoded = decodeCapture(capture, sessionOf(tabId), ring);
  await store.countDiagnostics(tabId, decoded.diagnostics.length);
  if (decoded.encrypted && (await store.countEncrypted(tabId, decoded.encrypted)) && decoded.records.length === 0) {
    hub.send(tabId, { type: 'append', records: [], stats: await store.stats(tabId) });
  }
  // Seen and chosen not to list: counted, so the panel can say so.
  if (decoded.notApi) await store.countDrops(tabId, decoded.notApi);
  if (decoded.records.length === 0) return;
  const records = await store.append(tabId, decoded.records, isTopFrame ? maskSecrets(message.pageUrl) : undefined);
  hub.send(tabId, { type: 'append', records, stats: await store.stats(tabId) });
  await updateBadge(tabId);
}

async function sendSnapshot(tabId: number): Promise<void> {
  hub.send(tabId, {
    type: 'snapshot',
    tabId,
    pageUrl: await store.pageUrl(tabId),
    records: await store.records(tabId),
    stats: await store.stats(tabId),
    settings: await store.settings(tabId),
    markers: await store.markers(tabId),
  });
}

async function handlePanelMessage(tabId: number, message: PanelToBackground): Promise<void> {
  if (message.type === 'clear') {
    await store.clear(tabId);
    hub.send(tabId, { type: 'cleared' });
    await updateBadge(tabId);
  } else if (message.type.startsWith('keys-')) {
    await keyRequests.fromPanel(tabId, message as Parameters<KeyRequests['fromPanel']>[1]);
    if (message.type !== 'keys-auto-read') {
      await store.resetUnknownKeys(tabId);
      hub.send(tabId, { type: 'append', records: [], stats: await store.stats(tabId) });
    }
  } else if (message.type === 'set-settings') {
    const before = await store.count(tabId);
    hub.send(tabId, { type: 'settings', settings: await store.setSettings(tabId, message.settings) });
    // A lower cap dropped records: panels get the log as it now is.
    if ((await store.count(tabId)) !== before) await sendSnapshot(tabId);
  }
}

runtime.onMessage((message, sender) => {
  if (sender.tabId !== null && !sender.fromExtensionPage && isContentMessage(message)) {
    // Answered at once (not queued behind the tab's captures): the frame waits for its keys.
    if (message.type === 'keys-hello') return keyRequests.hello(sender);
    if (message.type === 'page-keys-found') return keyRequests.pageKeysFound(sender, message);
    const tabId = sender.tabId;
    queue.run(tabId, () => handleContentMessage(tabId, sender.frameId === 0, sender.origin, message));
    return undefined;
  }
  if (sender.fromExtensionPage && isExtensionRequest(message)) return answerRequest(message);
  return undefined;
});

async function answerRequest(request: ExtensionRequest): Promise<unknown> {
  const { tabId } = request;
  return queue.run(tabId, async () => ({ records: await store.records(tabId), stats: await store.stats(tabId) }));
}

runtime.onConnect((port) => {
  const tabId = tabIdFromPortName(port.name);
  if (tabId === null) return port.disconnect();
  hub.add(tabId, port);
  port.onMessage((message) => {
    if (isPanelMessage(message)) queue.run(tabId, () => handlePanelMessage(tabId, message));
  });
  queue.run(tabId, async () => {
    await sendSnapshot(tabId);
    hub.send(tabId, await keyRequests.state(tabId));
  });
});

tabs.onRemoved((tabId) => {
  sessions.delete(tabId);
  queue.run(tabId, () => store.forget(tabId));
});
