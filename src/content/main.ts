// Isolated-world relay: takes what the page hook found, validates it, and forwards it
// to the background. Drops are counted and reported, never silently lost.

import { HOOK_EVENT, LIMITS, type BackgroundToContent, type ContentToBackground, type DropReason, type KeysForPage } from '../shared/messages.ts';
import { handKeysToHook, keysApplyHere, pageKeysMessage } from './page-keys.ts';
import { runtime } from '../platform/extension-api.ts';
import { hookDropsOf, isContextCapture, RateGate, validateCapture } from '../shared/validate-capture.ts';

// Errors and their context (encrypted request prefixes, request sightings) are admitted separately, as in the hook.
const gate = new RateGate(LIMITS.perSecond);
const contextGate = new RateGate(LIMITS.perSecond);
let pendingDrops: Partial<Record<DropReason, number>> = {};
let dropTimer: ReturnType<typeof setTimeout> | null = null;

function send(message: ContentToBackground): Promise<unknown> {
  if (!runtime.isAlive()) {
    document.removeEventListener(HOOK_EVENT, onHookEvent, true);
    return Promise.resolve(undefined);
  }
  // A rejected send (worker restarting, extension reloaded) must not surface as an
  // unhandled rejection in the tab's console.
  return runtime.send(message).catch(() => undefined);
}

const isKeysForPage = (value: unknown): value is KeysForPage =>
  typeof value === 'object' &&
  value !== null &&
  (value as KeysForPage).type === 'arm-keys' &&
  typeof (value as KeysForPage).keys === 'string' &&
  typeof (value as KeysForPage).origin === 'string';

/** Arms the hook with the keys the background gave for this origin; reads the page's keys first when asked. */
async function applyKeys(message: unknown): Promise<void> {
  if (!isKeysForPage(message) || !keysApplyHere(message)) return;
  if (message.readNow) {
    // Reading IndexedDB takes a moment: the keys already given arm the hook meanwhile.
    if (message.keys) handKeysToHook(message.keys);
    const reply = await send(await pageKeysMessage());
    if (isKeysForPage(reply) && keysApplyHere(reply)) return handKeysToHook(reply.keys);
  }
  handKeysToHook(message.keys);
}

function countDrop(reason: DropReason, n = 1): void {
  if (n <= 0) return;
  pendingDrops[reason] = (pendingDrops[reason] ?? 0) + n;
  dropTimer ??= setTimeout(() => {
    dropTimer = null;
    const counts = pendingDrops;
    pendingDrops = {};
    void send({ type: 'drops', counts });
  }, 1000);
}

function onHookEvent(event: Event): void {
  const detail = (event as CustomEvent).detail;
  // Captures the hook dropped with no later capture to carry the count.
  const hookDrops = hookDropsOf(detail);
  if (hookDrops !== null) return countDrop('rate-limited', hookDrops);
  const result = validateCapture(detail);
  if (!result.ok) return countDrop(result.reason);
  const context = isContextCapture(result.capture);
  // Refused here, the capture and the hook drops it carried are counted alike.
  if (!(context ? contextGate : gate).admit(Date.now())) return countDrop('rate-limited', 1 + (result.capture.hookDropped ?? 0));
  void send({ type: 'capture', capture: result.capture, pageUrl: location.href.slice(0, LIMITS.urlChars) });
}

document.addEventListener(HOOK_EVENT, onHookEvent, true);
void send({ type: 'keys-hello' }).then(applyKeys);
runtime.onMessage((message) => {
  const m = message as BackgroundToContent;
  if (m?.type === 'arm-keys') {
    void applyKeys(m);
    return undefined;
  }
  // Only the top frame reads keys for the panel's button: it is the origin the panel names.
  if (m?.type === 'read-page-keys' && window === window.top && Number.isSafeInteger(m.requestId)) {
    return pageKeysMessage(m.requestId, Array.isArray(m.keyIds) ? m.keyIds : []);
  }
  return undefined;
});
// A new document in the top frame: the background starts the tab's log afresh or marks the navigation.
if (window === window.top) void send({ type: 'page-start', url: location.href.slice(0, LIMITS.urlChars) });
