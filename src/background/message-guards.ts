// The background trusts nothing it receives: content scripts relay page-controlled data
// (re-validated here, since a compromised renderer could skip the content script's check).

import { validateCapture } from '../shared/validate-capture.ts';
import { LIMITS, type ContentToBackground, type ExtensionRequest, type PanelToBackground } from '../shared/messages.ts';

export function isContentMessage(message: unknown): message is ContentToBackground {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  if (m.type === 'drops') return typeof m.counts === 'object' && m.counts !== null;
  if (m.type === 'page-start') return typeof m.url === 'string' && m.url.length <= LIMITS.urlChars;
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
  if (m?.type === 'clear') return true;
  return m?.type === 'set-settings' && typeof m.settings === 'object' && m.settings !== null;
}
