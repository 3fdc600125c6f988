// The auth keys the user gave for this page's origin, handed over by the content script
// (src/content/) so the WebSocket and HTTP inspectors can triage encrypted MTProto in the
// page (src/core/mtproto/decrypt/encrypted-triage.ts). The content script sends them only to
// frames of the origin they were given for; they are the keys this origin's own client
// uses, so the page learns nothing it did not hold. A page can forge this event: that only
// changes which frames we forward (the background decrypts with its own keys, never these).

import { EncryptedTriage } from '../../core/mtproto/decrypt/encrypted-triage.ts';
import { HOOK_KEYS_EVENT } from '../../shared/messages.ts';
import { captureGetter, listen, NativeString, NativeUint8Array, reflectApply } from './natives.ts';

export const pageTriage = new EncryptedTriage();

const KEY_HEX = 512;
const MAX_KEYS = 32;
const customEventDetail = typeof CustomEvent === 'function' ? captureGetter<unknown>(CustomEvent.prototype, 'detail') : undefined;
const charCodeAt = NativeString.prototype.charCodeAt;

function nibble(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/** Keys as 512 lower-case hex characters each, back to back; null when malformed. */
export function parseKeyList(text: string): Uint8Array[] | null {
  if (text.length % KEY_HEX !== 0 || text.length > KEY_HEX * MAX_KEYS) return null;
  const keys: Uint8Array[] = [];
  for (let k = 0; k < text.length; k += KEY_HEX) {
    const key = new NativeUint8Array(256);
    for (let i = 0; i < 256; i++) {
      const hi = nibble(reflectApply(charCodeAt, text, [k + 2 * i]) as number);
      const lo = nibble(reflectApply(charCodeAt, text, [k + 2 * i + 1]) as number);
      if (hi < 0 || lo < 0) return null;
      key[i] = (hi << 4) | lo;
    }
    keys.push(key);
  }
  return keys;
}

function onKeys(event: Event): void {
  try {
    const detail = customEventDetail ? customEventDetail(event) : undefined;
    if (typeof detail !== 'string') return;
    const keys = parseKeyList(detail);
    if (keys !== null) pageTriage.setKeys(keys);
  } catch {
    // never into page code
  }
}

/** Starts listening for the content script's key hand-over (once, from main.ts). */
export function listenForPageKeys(): void {
  if (typeof document !== 'undefined') listen(document, HOOK_KEYS_EVENT, onKeys);
}
