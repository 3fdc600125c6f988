// Background service worker: turns validated captures into classified records, keeps
// each tab's log in IndexedDB (it survives this worker being stopped), shows the
// count on the toolbar badge and streams new records to the tab's panels. This file routes
// messages; the parts it routes to are folders: log/ (the per-tab log and the panels it streams
// to), keys/ (session keys), audit/ (the handling audit), sites/ (where the inspector runs),
// worker-capture/ (sockets inside workers, through the debugger).

import { activeTab, localSettings, manifestContentScripts, runtime, sessionStorage, siteApi, tabs } from '../platform/extension-api.ts';
import { SiteAccess } from './sites/index.ts';
import { isSiteRequest, type SiteRequest } from '../shared/site-messages.ts';
import type { ContentToBackground, ExtensionRequest, PanelToBackground } from '../shared/messages.ts';
import { maskSecrets } from '../core/capture/mask-secrets.ts';
import { IdbStorage, LOG_DB_NAME, LOG_DB_STORE, PanelHub, TabLogStore, TabQueue, tabIdFromPortName } from './log/index.ts';
import { CaptureSession, decodeCapture } from '../core/capture/decode-capture.ts';
import { isContentMessage, isExtensionRequest, isPanelMessage } from './message-guards.ts';
import { isKeyOrigin, KeyRequests, SessionKeyStore } from './keys/index.ts';
import { HandlingAudits, orphanUpdates, type RecordVerdict } from './audit/index.ts';
import type { ErrorRecord } from '../core/record.ts';
import { WorkerCapture } from './worker-capture/index.ts';
import { WireKeyWatch } from '../core/keys/wire-key-watch.ts';
import { observeWireKeys } from '../core/capture/wire-keys.ts';
import type { HookCapture } from '../core/capture/capture.ts';
import type { NewRecord } from '../core/capture/decode-capture.ts';
import { CallStore, type CallChanges } from './calls/index.ts';
import { TabStateSnapshots } from './state/index.ts';

// The per-tab log in IndexedDB (100,000 records and more; storage.session holds about 10,000), kept per browser session.
const logStorage = new IdbStorage(indexedDB, sessionStorage);
const store = new TabLogStore(logStorage);
const hub = new PanelHub();
const queue = new TabQueue();
const keys = new SessionKeyStore(sessionStorage, localSettings);
/** Sites the user invited the inspector to (the defaults are static content scripts in the manifest). */
const sites = new SiteAccess({ settings: localSettings, api: siteApi, scripts: manifestContentScripts });
// A site's permission granted (by the popup or panel, whose page may close under the browser's
// prompt, or in the browser's own site-access menu) adds the site; one revoked removes its scripts.
siteApi.onPermissionsChanged((added) => void sites.granted(added).catch(() => undefined));
void sites.sync().catch(() => undefined);

async function answerSiteRequest(request: SiteRequest): Promise<unknown> {
  if (request.type === 'site-add') return sites.add(request.pattern);
  if (request.type === 'site-remove') return sites.remove(request.pattern);
  const url = request.url ?? (request.tabId === null ? null : ((await activeTab.urlOf(request.tabId)) ?? (await store.pageUrl(request.tabId))));
  return sites.status(url);
}

async function originOf(tabId: number): Promise<string | null> {
  const url = await store.pageUrl(tabId);
  try {
    return url ? new URL(url).origin : null;
  } catch {
    return null;
  }
}

/** Per tab: the auth_key_ids its traffic was seen under, and which a connection made itself (ids only, memory only). */
const wireKeys = new Map<number, WireKeyWatch>();

function wireKeysOf(tabId: number): WireKeyWatch {
  let watch = wireKeys.get(tabId);
  if (!watch) wireKeys.set(tabId, (watch = new WireKeyWatch()));
  return watch;
}

/** The ids this worker saw, and those the tab's stored stats still name (they outlive a worker restart). */
async function trafficKeys(tabId: number): Promise<Map<string, number | null>> {
  const ids = new Map<string, number | null>();
  const watch = wireKeys.get(tabId);
  for (const id of watch?.ids() ?? []) ids.set(id, watch!.get(id)?.dc ?? null);
  for (const id of (await store.stats(tabId)).encrypted?.unknownKeyIds ?? []) if (!ids.has(id)) ids.set(id, null);
  return ids;
}

const keyRequests = new KeyRequests({
  keys,
  originOf,
  trafficKeys,
  workerKeys: (tabId) => workerCapture.manager.readWorkerKeys(tabId),
  sendToTab: (tabId, message, frameId) => tabs.send(tabId, message, frameId),
  toPanels: (tabId, message) => hub.send(tabId, message),
});
/** The call log: every call of a tab, its outcome, and the calls before each error (kept beside the log). */
const callStore = new CallStore(logStorage, (tabId, changes) => sendCalls(tabId, changes));
/** Calls for the tab's panels, in messages of at most SNAPSHOT_CHUNK (the first one says `reset` when asked). */
function sendCalls(tabId: number, changes: CallChanges, reset = false): void {
  if (changes.calls.length === 0 && !reset) return;
  for (let at = 0; at === 0 || at < changes.calls.length; at += SNAPSHOT_CHUNK) {
    hub.send(tabId, { type: 'calls', calls: changes.calls.slice(at, at + SNAPSHOT_CHUNK), dropped: changes.dropped, ...(reset && at === 0 ? { reset } : {}) });
  }
}

/** Handling audit: one per tab, fed with the requests and errors decoded; verdicts go into the stored records. */
const audits = new HandlingAudits((tabId, updates) => {
  snapshots.markDirty(tabId);
  void queue.run(tabId, () => applyVerdicts(tabId, updates));
});
/** Tabs whose stored open verdicts were checked since this worker started (see orphanUpdates). */
const auditChecked = new Set<number>();

/** Writes verdicts into the stored records and tells the tab's panels. */
async function applyVerdicts(tabId: number, updates: RecordVerdict[]): Promise<void> {
  const applied = await store.updateHandling(tabId, updates);
  if (applied.length > 0) hub.send(tabId, { type: 'verdicts', updates: applied });
}

/** After a worker restart, open verdicts the restored audit does not watch (lost with the worker) are settled (once per tab). */
async function settleOrphans(tabId: number): Promise<void> {
  if (auditChecked.has(tabId)) return;
  auditChecked.add(tabId);
  for await (const batch of store.recordBatches(tabId)) {
    await applyVerdicts(
      tabId,
      orphanUpdates(batch, Date.now(), (id) => audits.watches(tabId, id)),
    );
  }
}

/** New records with their first verdicts in them; verdicts of earlier records go out on their own. */
async function auditCapture(tabId: number, requests: Parameters<HandlingAudits['see']>[1], records: ErrorRecord[]): Promise<ErrorRecord[]> {
  await settleOrphans(tabId);
  const updates = audits.see(tabId, requests, records);
  if (updates.length === 0) return records;
  const applied = await store.updateHandling(tabId, updates);
  const fresh = new Map(records.map((r, i) => [r.id, i]));
  const out = records.slice();
  const others: RecordVerdict[] = [];
  for (const u of applied) {
    const i = fresh.get(u.id);
    if (i === undefined) others.push(u);
    else out[i] = { ...out[i], handling: u.handling };
  }
  if (others.length > 0) hub.send(tabId, { type: 'verdicts', updates: others });
  return out;
}

/** Per-tab decoding memory (requests per connection), restored from the tab's snapshot after a worker restart. */
const sessions = new Map<number, CaptureSession>();

/** State that outlives this worker: per tab, the audit, the request pairing and the merge window (src/background/state/). */
const snapshots = new TabStateSnapshots(logStorage, sessionStorage, (tabId) => ({
  audit: audits.save(tabId),
  capture: sessions.get(tabId)?.save() ?? null,
  sightings: workerCapture.saveSightings(tabId),
}));
/** Tabs whose snapshot this worker has read (once per tab, before any of its work). */
const restored = new Map<number, Promise<void>>();

function restoreTab(tabId: number): Promise<void> {
  let done = restored.get(tabId);
  if (!done) {
    done = (async () => {
      const [state, salt] = await Promise.all([snapshots.load(tabId), snapshots.salt(tabId)]);
      // The salt is the tab's for the browser session: fingerprints compare across worker restarts.
      sessions.set(tabId, CaptureSession.restore(state?.capture ?? null, salt));
      if (state) {
        audits.restore(tabId, state.audit);
        workerCapture.restoreSightings(tabId, state.sightings);
      }
    })().catch(() => undefined);
    restored.set(tabId, done);
  }
  return done;
}

/** The tab's work, in order, after its state is restored. */
function runForTab<T>(tabId: number, task: () => Promise<T>): Promise<T> {
  return queue.run(tabId, async () => {
    await restoreTab(tabId);
    return task();
  });
}

function sessionOf(tabId: number): CaptureSession {
  let session = sessions.get(tabId);
  if (!session) sessions.set(tabId, (session = new CaptureSession(64, crypto.getRandomValues(new Uint8Array(16)))));
  return session;
}

/** Tabs whose badge is due: written together a moment later, not once per capture (a browser call each). */
const badgesDue = new Set<number>();
let badgeTimer: ReturnType<typeof setTimeout> | null = null;
const BADGE_DELAY_MS = 200;

async function updateBadge(tabId: number): Promise<void> {
  badgesDue.add(tabId);
  badgeTimer ??= setTimeout(() => {
    badgeTimer = null;
    const due = [...badgesDue];
    badgesDue.clear();
    for (const id of due) void queue.run(id, () => writeBadge(id)).catch(() => undefined);
  }, BADGE_DELAY_MS);
}

async function writeBadge(tabId: number): Promise<void> {
  const stats = await store.stats(tabId);
  const total = (await store.count(tabId)) + stats.droppedOldest;
  await tabs.setBadge(tabId, total === 0 ? '' : total > 999 ? '999+' : String(total));
}

async function handlePageStart(tabId: number, url: string): Promise<void> {
  const marker = await store.pageStart(tabId, maskSecrets(url), new Date().toISOString());
  if (!marker) audits.reset(tabId);
  if (!marker) await callStore.clear(tabId);
  snapshots.markDirty(tabId);
  hub.send(tabId, marker ? { type: 'navigated', marker } : { type: 'cleared', navigatedTo: maskSecrets(url) });
  workerCapture.pageStarted(tabId);
  await updateBadge(tabId);
}

/** "Capture inside workers": the tab's workers' sockets, read through chrome.debugger, decoded like the page's. */
const workerCapture = new WorkerCapture({
  storage: sessionStorage,
  originOf,
  keysFor: async (origin) => {
    const ring = await keys.ring(origin);
    return ring.entries().map((entry) => ring.lookup(entry.keyId)!.bytes);
  },
  toPanels: (tabId, message) => hub.send(tabId, message),
  onCaptures: (tabId, captures) => void runForTab(tabId, () => handleWorkerCaptures(tabId, captures)),
  onHeldRecords: (tabId, records, repeatedWaits) => void runForTab(tabId, () => storeRecords(tabId, records, repeatedWaits)),
  // Panels get the log as it now is (as after a lower cap).
  onRemoved: (tabId, ids) =>
    void runForTab(tabId, async () => ((await store.remove(tabId, ids)) > 0 ? Promise.all([sendSnapshot(tabId), updateBadge(tabId)]) : undefined)),
});
void workerCapture.restore();

/** Captures from a worker's socket: the tab's top-frame origin names the keys (a worker shares its page's origin). */
async function handleWorkerCaptures(tabId: number, captures: HookCapture[]): Promise<void> {
  const origin = await originOf(tabId);
  for (const capture of captures) await handleContentMessage(tabId, false, origin, { type: 'capture', capture, pageUrl: '' }, 'worker-wire');
}

/**
 * Records stored and sent as they are (page-boundary records whose wire sighting never came),
 * and the count of page-boundary waits that were the client's replay of a wire wait.
 */
async function storeRecords(tabId: number, fresh: NewRecord[], repeatedWaits = 0): Promise<void> {
  if (!(await store.settings(tabId)).recording) return;
  if (repeatedWaits > 0) await store.countDrops(tabId, { 'repeated-wait': repeatedWaits });
  snapshots.markDirty(tabId);
  const records = fresh.length === 0 ? [] : await auditCapture(tabId, undefined, await store.append(tabId, fresh));
  hub.send(tabId, { type: 'append', records, stats: await store.stats(tabId) });
  await updateBadge(tabId);
}

async function handleContentMessage(
  tabId: number,
  isTopFrame: boolean,
  origin: string | null,
  message: ContentToBackground,
  source: 'page' | 'worker-wire' = 'page',
): Promise<void> {
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
  snapshots.markDirty(tabId);
  const { capture } = message;
  if (capture.hookDropped) await store.countDrops(tabId, { 'rate-limited': capture.hookDropped });
  // Keys of the frame's own origin, as the browser names it: never another origin's.
  const ring = capture.encrypted !== undefined && isKeyOrigin(origin) ? await keys.ring(origin) : null;
  const decoded = decodeCapture(capture, sessionOf(tabId), ring);
  const wireKey = observeWireKeys(wireKeysOf(tabId), capture);
  await store.countDiagnostics(tabId, decoded.diagnostics.length);
  if (decoded.encrypted && (await store.countEncrypted(tabId, decoded.encrypted, wireKey?.madeOnWire ?? false))) {
    if (decoded.records.length === 0) hub.send(tabId, { type: 'append', records: [], stats: await store.stats(tabId) });
    // A key not given yet: with the origin's switch on, the page's storage is looked through for it.
    if (decoded.encrypted.unknownKeyId !== null) void keyRequests.readForTraffic(tabId).catch(() => undefined);
  }
  // Seen and chosen not to list: counted, so the panel can say so.
  if (decoded.notApi) await store.countDrops(tabId, decoded.notApi);
  // Capture inside workers: the wire shows which calls reached Telegram; calls at the page-worker
  // boundary then do not count as requests for the handling audit (the worker may answer them itself).
  if (source === 'worker-wire' && decoded.requests !== undefined && decoded.requests.length > 0) workerCapture.noteWireRequests(tabId);
  else if (source === 'page' && capture.channel === 'worker' && decoded.requests !== undefined && workerCapture.wireShowsRequests(tabId))
    delete decoded.requests;
  if (source === 'page' && capture.channel === 'worker' && decoded.callNotes && workerCapture.wireShowsRequests(tabId))
    decoded.callNotes = { ...decoded.callNotes, calls: [] };
  // Capture inside workers: an error seen on a worker's wire and at the page boundary is one record.
  if (source === 'worker-wire') decoded.records = workerCapture.wireRecords(tabId, decoded.records, capture);
  else if (decoded.records.length > 0 && workerCapture.isOn(tabId)) {
    const { store: now, updates } = workerCapture.pageRecords(tabId, decoded.records);
    decoded.records = now;
    const applied = await store.updateSightings(tabId, updates);
    if (applied.length > 0) hub.send(tabId, { type: 'sightings', updates: applied });
  }
  // The call log first: each record gets its `before` from the calls up to it.
  const calls = await callStore.see(tabId, capture, decoded, decoded.records, source === 'worker-wire');
  if (decoded.records.length === 0) {
    sendCalls(tabId, calls.changes);
    if (decoded.requests) await auditCapture(tabId, decoded.requests, []);
    return;
  }
  const stored = await store.append(tabId, decoded.records, isTopFrame ? maskSecrets(message.pageUrl) : undefined);
  calls.attach(stored.map((r) => r.id));
  sendCalls(tabId, calls.changes);
  if (source === 'worker-wire') workerCapture.rememberWire(tabId, stored);
  const records = await auditCapture(tabId, decoded.requests, stored);
  hub.send(tabId, { type: 'append', records, stats: await store.stats(tabId) });
  await updateBadge(tabId);
}

/** Records per message when the log goes to a panel over the port (a port message is limited to 64 MiB). */
const SNAPSHOT_CHUNK = 5_000;
/**
 * Records the snapshot itself carries at least (whole chunks: up to 450): the newest, from the
 * worker's memory, more than a timeline's screen, so a panel shows the rows at the bottom of its
 * timeline at once; it reads the older ones from IndexedDB itself. Fewer cross faster (1,000
 * took 250 ms to post at load 13 on 2 cores).
 */
const SNAPSHOT_NEWEST = 200;

/** The snapshot: the newest records, and where the panel reads the older ones (StoredLogPart). */
async function sendSnapshot(tabId: number): Promise<void> {
  const { newest, olderKeys, olderCount } = await store.splitForPanel(tabId, SNAPSHOT_NEWEST);
  hub.sendPacked(tabId, {
    type: 'snapshot',
    tabId,
    pageUrl: await store.pageUrl(tabId),
    records: newest,
    stats: await store.stats(tabId),
    settings: await store.settings(tabId),
    markers: await store.markers(tabId),
    ...(olderKeys.length > 0
      ? { stored: { db: LOG_DB_NAME, store: LOG_DB_STORE, keys: olderKeys, count: olderCount, beforeId: newest[0]?.id ?? Number.MAX_SAFE_INTEGER } }
      : {}),
  });
}

/** A snapshot's older records over the port, oldest first, for a panel that could not read them from IndexedDB. */
async function sendOlder(tabId: number, beforeId: number): Promise<void> {
  for await (const batch of store.recordBatches(tabId, SNAPSHOT_CHUNK)) {
    const records = batch.filter((r) => r.id < beforeId);
    if (records.length > 0) hub.sendPacked(tabId, { type: 'older', beforeId, records, done: false });
    if (records.length < batch.length) break;
  }
  hub.send(tabId, { type: 'older', beforeId, records: [], done: true });
}

async function handlePanelMessage(tabId: number, message: PanelToBackground): Promise<void> {
  if (message.type === 'clear') {
    await store.clear(tabId);
    audits.reset(tabId);
    await callStore.clear(tabId);
    snapshots.markDirty(tabId);
    hub.send(tabId, { type: 'cleared' });
    await updateBadge(tabId);
  } else if (message.type.startsWith('keys-')) {
    await keyRequests.fromPanel(tabId, message as Parameters<KeyRequests['fromPanel']>[1]);
    if (workerCapture.isOn(tabId)) await workerCapture.refreshKeys(tabId);
    if (message.type !== 'keys-auto-read') {
      await store.resetUnknownKeys(tabId);
      hub.send(tabId, { type: 'append', records: [], stats: await store.stats(tabId) });
    }
  } else if (message.type === 'set-settings') {
    const before = await store.count(tabId);
    hub.send(tabId, { type: 'settings', settings: await store.setSettings(tabId, message.settings) });
    // A lower cap dropped records: panels get the log as it now is.
    if ((await store.count(tabId)) !== before) await sendSnapshot(tabId);
  } else if (message.type === 'worker-capture') {
    await workerCapture.set(tabId, message.on);
  } else if (message.type === 'worker-capture-reconnect') {
    await workerCapture.manager.reconnect(tabId);
  } else if (message.type === 'send-older') {
    await sendOlder(tabId, message.beforeId);
  }
}

runtime.onMessage((message, sender) => {
  if (sender.tabId !== null && !sender.fromExtensionPage && isContentMessage(message)) {
    // Answered at once (not queued behind the tab's captures): the frame waits for its keys.
    if (message.type === 'keys-hello') return keyRequests.hello(sender);
    if (message.type === 'page-keys-found') return keyRequests.pageKeysFound(sender, message);
    const tabId = sender.tabId;
    void runForTab(tabId, () => handleContentMessage(tabId, sender.frameId === 0, sender.origin, message));
    return undefined;
  }
  if (sender.fromExtensionPage && isExtensionRequest(message)) return answerRequest(message);
  if (sender.fromExtensionPage && isSiteRequest(message)) return answerSiteRequest(message);
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
    if (isPanelMessage(message)) void runForTab(tabId, () => handlePanelMessage(tabId, message));
  });
  void runForTab(tabId, async () => {
    // The log first, so rows show at once; verdicts settled after it follow as `verdicts` messages.
    await sendSnapshot(tabId);
    await settleOrphans(tabId);
    await applyVerdicts(tabId, audits.evaluate(tabId));
    await callStore.expire(tabId);
    sendCalls(tabId, { calls: await callStore.calls(tabId), dropped: await callStore.dropped(tabId) }, true);
    hub.send(tabId, await keyRequests.state(tabId));
    hub.send(tabId, workerCapture.manager.state(tabId));
  });
});

tabs.onRemoved((tabId) => {
  sessions.delete(tabId);
  wireKeys.delete(tabId);
  restored.delete(tabId);
  void snapshots.forget(tabId);
  workerCapture.forgetTab(tabId);
  audits.forget(tabId);
  auditChecked.delete(tabId);
  void queue.run(tabId, () => store.forget(tabId));
  void queue.run(tabId, () => callStore.forget(tabId));
});
