// The content script's part in session keys: it hands the keys given for this frame's
// origin to the page hook (which triages encrypted frames with them), and, when the user
// asks (or switched it on for the origin), reads the page's stored keys where the known
// clients keep them and sends them to the background. It runs in the isolated world,
// which shares the page's localStorage but not its JavaScript.

import { HOOK_KEYS_EVENT, type KeysForPage, type PageKeysFoundMessage } from '../shared/messages.ts';

/** localStorage names that hold keys in the known clients (see src/core/keys/parse-keys.ts). */
const KEY_ENTRY = [
  /^account\d{1,2}$/, // Web K: {dcN_auth_key: hex, ...}
  /^(?:t_)?dc\d{1,3}_auth_key$/, // Web K legacy, Web A: JSON string of the hex
  /:authKey$/, // GramJS StoreSession: Buffer JSON
  /:dcId$/, // GramJS StoreSession: the key's DC
];
/** A hostile page can fill its storage: only this much is read. */
const MAX_ENTRIES = 64;
const MAX_VALUE_CHARS = 64 * 1024;

/** What the page's localStorage holds that can be a key, as a JSON object text, and where it was. */
export function readStoredKeys(storage: Storage): { dump: string; places: string[] } {
  const found: Record<string, string> = {};
  const places: string[] = [];
  const length = Math.min(storage.length, 10_000);
  for (let i = 0; i < length && places.length < MAX_ENTRIES; i++) {
    const name = storage.key(i);
    if (name === null || !KEY_ENTRY.some((pattern) => pattern.test(name))) continue;
    const value = storage.getItem(name);
    if (value === null || value.length > MAX_VALUE_CHARS) continue;
    found[name] = value;
    places.push(`localStorage ${name}`);
  }
  return { dump: JSON.stringify(found), places };
}

/** Arms (or, with no keys, disarms) the page hook's triage. */
export function handKeysToHook(keys: string): void {
  document.dispatchEvent(new CustomEvent(HOOK_KEYS_EVENT, { detail: keys }));
}

/** Keys pushed by the background apply only to a frame of the origin they were given for. */
export function keysApplyHere(message: KeysForPage): boolean {
  return message.origin === location.origin;
}

export function pageKeysMessage(requestId?: number): PageKeysFoundMessage {
  let read: { dump: string; places: string[] };
  try {
    read = readStoredKeys(window.localStorage);
  } catch {
    // Storage blocked (sandboxed frame, settings): nothing to read.
    read = { dump: '{}', places: [] };
  }
  return { type: 'page-keys-found', ...read, ...(requestId === undefined ? {} : { requestId }) };
}
