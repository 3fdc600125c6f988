// The auth keys the user gave, per origin. Memory first (a KeyRing per origin), mirrored to
// chrome.storage.session so a stopped service worker gets them back: that storage is held
// in memory by the browser, cleared when the browser closes, and not readable by content
// scripts (its default access level). Keys never go to storage.local, an export, a log line
// or a message to a panel (panels get ids only). Keys for one origin are used only to decode
// that origin's frames and are handed only to frames of that origin.
//
// The per-origin "read keys at every load" switch is a setting, not a secret: it lives in
// storage.local.

import { AuthKey, KeyRing, type KeyRingEntry, type KeySource } from '../../core/keys/index.ts';
import { fromHex, toHex } from '../../core/mtproto/bytes.ts';
import type { SessionStorage } from '../../platform/extension-api.ts';

const keysKey = (origin: string) => `keys:${origin}`;
const autoReadKey = (origin: string) => `keys-auto-read:${origin}`;
/** More keys than any client holds (5 DCs × 4 accounts, media and test DCs): a cap against a hostile dump. */
export const MAX_KEYS_PER_ORIGIN = 64;

interface StoredKey {
  hex: string;
  dc: number | null;
  source: KeySource;
  place?: string | null;
}

/** Only http(s) origins hold keys: an opaque or extension origin never does. */
export function isKeyOrigin(origin: string | null): origin is string {
  return origin !== null && /^https?:\/\/[^/]+$/.test(origin);
}

export class SessionKeyStore {
  private readonly rings = new Map<string, Promise<KeyRing>>();

  constructor(
    private readonly memory: SessionStorage,
    private readonly settings: SessionStorage,
  ) {}

  /** The origin's keys, loaded from session storage on first use after a worker start. */
  ring(origin: string): Promise<KeyRing> {
    let ring = this.rings.get(origin);
    if (!ring) {
      ring = this.load(origin);
      this.rings.set(origin, ring);
    }
    return ring;
  }

  private async load(origin: string): Promise<KeyRing> {
    const ring = new KeyRing();
    const stored = (await this.memory.get([keysKey(origin)]))[keysKey(origin)];
    if (Array.isArray(stored)) {
      for (const item of stored as StoredKey[]) {
        const bytes = typeof item?.hex === 'string' ? fromHex(item.hex) : null;
        if (bytes && bytes.length === 256) ring.add(new AuthKey(bytes, item.source, item.dc ?? null, typeof item.place === 'string' ? item.place : null));
      }
    }
    return ring;
  }

  private async save(origin: string, ring: KeyRing): Promise<void> {
    if (ring.size === 0) return this.memory.remove([keysKey(origin)]);
    const items: StoredKey[] = ring
      .entries()
      .map((entry) => ({ hex: toHex(ring.lookup(entry.keyId)!.bytes), dc: entry.dc, source: entry.source, place: entry.place }));
    await this.memory.set({ [keysKey(origin)]: items });
  }

  /** Adds keys (up to the cap); returns how many were new. */
  async add(origin: string, keys: readonly AuthKey[]): Promise<number> {
    const ring = await this.ring(origin);
    const room = Math.max(0, MAX_KEYS_PER_ORIGIN - ring.size);
    const fresh = keys.filter((key) => ring.lookup(key.keyId) === null).slice(0, room);
    const known = keys.filter((key) => ring.lookup(key.keyId) !== null);
    const added = ring.add([...known, ...fresh]);
    await this.save(origin, ring);
    return added;
  }

  async forget(origin: string, keyId: string): Promise<void> {
    const ring = await this.ring(origin);
    ring.forget(keyId);
    await this.save(origin, ring);
  }

  async forgetAll(origin: string): Promise<void> {
    (await this.ring(origin)).clear();
    await this.memory.remove([keysKey(origin)]);
  }

  async list(origin: string): Promise<KeyRingEntry[]> {
    return (await this.ring(origin)).entries();
  }

  /** The keys as the page hook takes them: 512 hex characters each, back to back. */
  async hexFor(origin: string): Promise<string> {
    const ring = await this.ring(origin);
    return ring
      .entries()
      .map((entry) => toHex(ring.lookup(entry.keyId)!.bytes))
      .join('');
  }

  async autoRead(origin: string): Promise<boolean> {
    return (await this.settings.get([autoReadKey(origin)]))[autoReadKey(origin)] === true;
  }

  async setAutoRead(origin: string, on: boolean): Promise<void> {
    if (on) await this.settings.set({ [autoReadKey(origin)]: true });
    else await this.settings.remove([autoReadKey(origin)]);
  }
}
