// The auth_key_ids a tab's traffic is encrypted under, and which of them a connection made
// itself. The background feeds it every encrypted capture (its first 8 bytes) and every
// unencrypted key-exchange message (req_pq_multi, req_DH_params, set_client_DH_params: the
// plain handshake that makes a key by Diffie-Hellman on the wire). A connection that did the
// handshake and then talks under an id the tab had not used before made that key itself: a
// temporary (PFS) key, which clients keep in memory only (tweb src/lib/mtproto/tempAuthKeys.ts:
// "a connection of its own for every key: the plain handshake and the binding go over it"), or
// the very first key of a new login. Either way no stored key decrypts it until the client
// saves it (a new login) or the key is read from the client's memory (a temporary key).
// Ids only: nothing here holds a key. Bounded.

/** The unencrypted requests of the key exchange (auth_key_id 0 on the wire). */
export const KEY_EXCHANGE_REQUESTS: ReadonlySet<string> = new Set(['req_pq', 'req_pq_multi', 'req_DH_params', 'set_client_DH_params']);

const MAX_KEYS = 64;
const MAX_CONNECTIONS = 64;

export interface WireKey {
  keyId: string;
  /** The DC its traffic went to, when the URL or the obfuscation init named it. */
  dc: number | null;
  /** A connection made this key by a handshake on the wire, then talked under it. */
  madeOnWire: boolean;
}

export class WireKeyWatch {
  private readonly keys = new Map<string, WireKey>();
  /** Connections whose handshake was seen and whose next new key id is the key it made. */
  private readonly handshaking = new Set<string>();

  /** An unencrypted key-exchange message on `connection`. */
  sawHandshake(connection: string): void {
    if (this.handshaking.size >= MAX_CONNECTIONS) this.handshaking.delete(this.handshaking.values().next().value!);
    this.handshaking.add(connection);
  }

  /** Encrypted traffic on `connection` under `keyId`; returns what is known of that key. */
  sawKey(connection: string, keyId: string, dc: number | null): WireKey {
    const id = keyId.toLowerCase();
    let key = this.keys.get(id);
    const made = this.handshaking.delete(connection);
    if (!key) {
      if (this.keys.size >= MAX_KEYS) this.keys.delete(this.keys.keys().next().value!);
      key = { keyId: id, dc, madeOnWire: made };
      this.keys.set(id, key);
    } else if (key.dc === null && dc !== null) {
      key.dc = dc;
    }
    return key;
  }

  get(keyId: string): WireKey | null {
    return this.keys.get(keyId.toLowerCase()) ?? null;
  }

  /** Every id seen, oldest first. */
  ids(): string[] {
    return [...this.keys.keys()];
  }

  /** The ids a connection made on the wire. */
  madeOnWire(): string[] {
    return [...this.keys.values()].filter((k) => k.madeOnWire).map((k) => k.keyId);
  }
}
