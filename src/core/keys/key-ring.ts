// The keys the user handed over, by auth_key_id. Memory only: nothing here
// serializes key bytes (toJSON lists ids), and forget()/clear() drop them.

import { toHex } from '../mtproto/bytes.ts';
import type { AuthKey } from './auth-key.ts';

/** What decryption needs: a key by its 16-hex-digit auth_key_id (wire order). */
export interface KeyLookup {
  lookup(keyId: string): AuthKey | null;
}

export interface KeyRingEntry {
  keyId: string;
  dc: number | null;
  source: AuthKey['source'];
  place: string | null;
}

export class KeyRing implements KeyLookup {
  readonly #keys = new Map<string, AuthKey>();

  /** Adds keys (a key already present is replaced, keeping the newest DC label); returns how many were new. */
  add(keys: AuthKey | readonly AuthKey[]): number {
    let added = 0;
    for (const key of Array.isArray(keys) ? keys : [keys as AuthKey]) {
      if (!this.#keys.has(key.keyId)) added++;
      this.#keys.set(key.keyId, key);
    }
    return added;
  }

  forget(keyId: string): boolean {
    return this.#keys.delete(keyId.toLowerCase());
  }

  clear(): void {
    this.#keys.clear();
  }

  lookup(keyId: string): AuthKey | null {
    return this.#keys.get(keyId) ?? this.#keys.get(keyId.toLowerCase()) ?? null;
  }

  /** The key whose id is the 8 bytes at frame[at..at+8) (an encrypted message's first field). */
  lookupAt(frame: Uint8Array, at = 0): AuthKey | null {
    if (this.#keys.size === 0 || at + 8 > frame.length) return null;
    return this.#keys.get(toHex(frame, at, at + 8)) ?? null;
  }

  get size(): number {
    return this.#keys.size;
  }

  /** The keys as ids only: what a UI may show. */
  entries(): KeyRingEntry[] {
    return [...this.#keys.values()].map((k) => k.toJSON());
  }

  toJSON(): { keys: KeyRingEntry[] } {
    return { keys: this.entries() };
  }

  toString(): string {
    return `KeyRing(${[...this.#keys.keys()].join(', ')})`;
  }
}
