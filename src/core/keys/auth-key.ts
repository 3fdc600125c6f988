// An MTProto auth key as this extension holds it: 256 bytes that never leave
// memory. The bytes sit in a private field, so JSON.stringify, structured
// clone (postMessage, chrome.storage) and object spreading all see only the
// key's id, its DC and where it came from.

import { toHex } from '../mtproto/bytes.ts';
import { sha1 } from '../mtproto/crypto/sha1.ts';

export type KeySource =
  | 'hex'
  | 'base64'
  | 'webk-account'
  | 'dc-auth-key'
  | 'weba-session'
  | 'gramjs-string-session'
  | 'gramjs-store-session'
  | 'mtcute-string-session'
  | 'mtcute-storage'
  /** A 256-byte value in the page's storage whose auth_key_id the traffic showed (any client, any name). */
  | 'page-storage'
  /** A key a client holds in memory only (Web K's temporary PFS keys), read from its worker. */
  | 'worker-memory';

/** auth_key_id: the low 64 bits of SHA-1(auth_key), i.e. digest bytes 12..20, as 16 hex digits in wire order. */
export function computeAuthKeyId(key: Uint8Array): string {
  return toHex(sha1(key), 12, 20);
}

export class AuthKey {
  readonly keyId: string;
  readonly dc: number | null;
  readonly source: KeySource;
  /** Where it was read (a storage entry and path, a worker's variable); null when pasted. */
  readonly place: string | null;
  readonly #bytes: Uint8Array;

  constructor(bytes: Uint8Array, source: KeySource, dc: number | null = null, place: string | null = null) {
    if (bytes.length !== 256) throw new RangeError(`an auth key is 256 bytes, got ${bytes.length}`);
    // A copy: the caller's buffer may be reused or zeroed.
    this.#bytes = bytes.slice();
    this.keyId = computeAuthKeyId(this.#bytes);
    this.dc = dc;
    this.source = source;
    this.place = place;
  }

  /** The key itself, for decryption only. Never store, log or send it. */
  get bytes(): Uint8Array {
    return this.#bytes;
  }

  toJSON(): { keyId: string; dc: number | null; source: KeySource; place: string | null } {
    return { keyId: this.keyId, dc: this.dc, source: this.source, place: this.place };
  }

  toString(): string {
    return `AuthKey(${this.keyId}${this.dc !== null ? `, dc ${this.dc}` : ''})`;
  }
}
