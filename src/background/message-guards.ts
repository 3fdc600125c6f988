// The background trusts nothing it receives: content scripts relay page-controlled data
// (re-validated here, since a compromised renderer could skip the content script's check).

import { validateCapture } from '../shared/validate-capture.ts';
import { KEY_TEXT_CHARS, LIMITS, type ContentToBackground, type ExtensionRequest, type PanelToBackground } from '../shared/messages.ts';

export function isContentMessage(message: unknown): message is ContentToBackground {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m.type === 'drops') return typeof m.counts === 'object' && m.counts !== null;
  if (m.type === 'page-start') return typeof m.url === 'string' && m.url.length <= LIMITS.urlChars;
  if (m.type === 'keys-hello') return true;
  if (m.type === 'page-keys-found') {
    return (
      typeof m.dump === 'string' &&
      m.dump.length <= KEY_TEXT_CHARS &&
      Array.isArray(m.places) &&
      m.places.length <= 64 &&
      m.places.every((p) => typeof p === 'string' && p.length <= 300)
    );
  }
  if (m.type !== 'capture') return false;
  if (typeof m.pageUrl !== 'string' || m.pageUrl.length > LIMITS.urlChars) return false;
  const checked = validateCapture(JSON.stringify(m.capture));
  if (!checked.ok) return false;
  m.capture = checked.capture;
  return true;
}

export function isExtensionRequest(message: unknown): message is ExtensionRequest {
  const m = message as Record<string, unknown> | null;
  return m?.type === 'get-log' && Number.isSafeInteger(m.tabId);
}

export function isPanelMessage(message: unknown): message is PanelToBackground {
  const m = message as Record<string, unknown> | null;
  switch (m?.type) {
    case 'clear':
    case 'keys-forget-all':
    case 'keys-read-page':
      return true;
    case 'set-settings':
      return typeof m.settings === 'object' && m.settings !== null;
    case 'keys-add':
      return typeof m.text === 'string' && m.text.length <= KEY_TEXT_CHARS;
    case 'keys-forget':
      return typeof m.keyId === 'string' && /^[0-9a-f]{16}$/i.test(m.keyId);
    case 'keys-auto-read':
    case 'worker-capture':
      return typeof m.on === 'boolean';
    case 'worker-capture-reconnect':
      return true;
    case 'send-older':
      return Number.isSafeInteger(m.beforeId);
    default:
      return false;
  }
}
