// Isolated-world relay: takes what the page hook found, validates it, and forwards it
// to the background. Drops are counted and reported, never silently lost.

import { HOOK_EVENT, LIMITS, type ContentToBackground, type DropReason } from '../shared/messages.ts';
import { runtime } from '../platform/extension-api.ts';
import { RateGate, validateCapture } from '../shared/validate-capture.ts';

const gate = new RateGate(LIMITS.perSecond);
let pendingDrops: Partial<Record<DropReason, number>> = {};
let dropTimer: ReturnType<typeof setTimeout> | null = null;

function send(message: ContentToBackground): void {
  if (!runtime.isAlive()) {
    document.removeEventListener(HOOK_EVENT, onHookEvent, true);
    return;
  }
  // A rejected send (worker restarting, extension reloaded) must not surface as an
  // unhandled rejection in the tab's console.
  runtime.send(message).catch(() => undefined);
}

function countDrop(reason: DropReason): void {
  pendingDrops[reason] = (pendingDrops[reason] ?? 0) + 1;
  dropTimer ??= setTimeout(() => {
    dropTimer = null;
    const counts = pendingDrops;
    pendingDrops = {};
    send({ type: 'drops', counts });
  }, 1000);
}

function onHookEvent(event: Event): void {
  const result = validateCapture((event as CustomEvent).detail);
  if (!result.ok) return countDrop(result.reason);
  if (!gate.admit(Date.now())) return countDrop('rate-limited');
  send({ type: 'capture', capture: result.capture, pageUrl: location.href.slice(0, LIMITS.urlChars) });
}

document.addEventListener(HOOK_EVENT, onHookEvent, true);
// A new document in the top frame: the background starts the tab's log afresh or marks the navigation.
if (window === window.top) send({ type: 'page-start', url: location.href.slice(0, LIMITS.urlChars) });
