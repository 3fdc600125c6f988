// PFS detection from the wire: a connection's unencrypted key exchange, then traffic under an
// auth_key_id new to the tab, is a key the connection made itself. The frames are built as the
// page hook forwards them (a plain frame whole, deobfuscated, with its transport header; an
// encrypted one as its payload), with the constructor ids of the MTProto schema
// (req_pq_multi#be7e8ef1, resPQ#05162463, req_DH_params#d712e4be, server_DH_params_ok#d0e8075c,
// set_client_DH_params#f5045f1f, dh_gen_ok#3bcbf734). The fake Telegram has no key exchange
// (e2e/fake-telegram/README.md), so this is tested here, not end to end.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WireKeyWatch } from '../../../src/core/keys/wire-key-watch.ts';
import { encryptedKeyId, keyExchangeStep, observeWireKeys } from '../../../src/core/capture/wire-keys.ts';
import type { HookCapture } from '../../../src/core/capture/capture.ts';
import { toBase64, toHex } from '../../../src/core/mtproto/bytes.ts';

type Framing = 'abridged' | 'intermediate' | 'padded-intermediate' | 'full';

const CTOR = {
  req_pq_multi: 0xbe7e8ef1,
  resPQ: 0x05162463,
  req_DH_params: 0xd712e4be,
  server_DH_params_ok: 0xd0e8075c,
  set_client_DH_params: 0xf5045f1f,
  dh_gen_ok: 0x3bcbf734,
} as const;

function le32(n: number): number[] {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];
}

/** An unencrypted message (auth_key_id 0, msg_id, length, body) in the transport's framing. */
function plainFrame(ctor: number, framing: Framing, bodyBytes = 16): Uint8Array {
  const body = [...le32(ctor), ...Array.from({ length: bodyBytes }, (_, i) => (i * 37) & 255)];
  const message = [...new Array(8).fill(0), ...le32(0x12345678), ...le32(0x6543), ...le32(body.length), ...body];
  let header: number[];
  switch (framing) {
    case 'abridged':
      header = [message.length / 4];
      break;
    case 'full':
      header = [...le32(message.length + 12), ...le32(0)];
      break;
    default:
      header = le32(message.length);
  }
  return Uint8Array.from([...header, ...message]);
}

function capture(conn: string, direction: 'in' | 'out', bytes: Uint8Array, extra: Partial<HookCapture>): HookCapture {
  return { v: 1, channel: 'websocket', direction, url: 'wss://venus.web.telegram.org/apiws', at: 0, kind: 'binary', data: toBase64(bytes), conn, ...extra };
}

const plain = (conn: string, direction: 'in' | 'out', ctor: number, framing: Framing = 'intermediate') =>
  capture(conn, direction, plainFrame(ctor, framing), { framing });
const encrypted = (conn: string, keyId: Uint8Array, kind: HookCapture['encrypted'] = 'unknown-key') =>
  capture(conn, 'in', Uint8Array.from([...keyId, ...new Array(kind === 'unknown-key' ? 0 : 40).fill(7)]), { encrypted: kind });

/** The whole handshake both ways, as a PFS connection makes it. */
function handshake(conn: string, framing: Framing = 'intermediate'): HookCapture[] {
  return [
    plain(conn, 'out', CTOR.req_pq_multi, framing),
    plain(conn, 'in', CTOR.resPQ, framing),
    plain(conn, 'out', CTOR.req_DH_params, framing),
    plain(conn, 'in', CTOR.server_DH_params_ok, framing),
    plain(conn, 'out', CTOR.set_client_DH_params, framing),
    plain(conn, 'in', CTOR.dh_gen_ok, framing),
  ];
}

const id = (seed: number) => Uint8Array.from({ length: 8 }, (_, i) => (seed * 17 + i * 3 + 1) & 255);

describe('keyExchangeStep / encryptedKeyId', () => {
  it('names the handshake steps in every framing the hook follows', () => {
    for (const framing of ['abridged', 'intermediate', 'padded-intermediate', 'full'] as const) {
      for (const [name, ctor] of Object.entries(CTOR)) expect(keyExchangeStep(plain('c', 'out', ctor, framing))).toBe(name);
    }
  });

  it('an encrypted capture gives its auth_key_id; a plain one of another constructor is no handshake', () => {
    expect(encryptedKeyId(encrypted('c', id(1)))).toBe(toHex(id(1)));
    expect(encryptedKeyId(encrypted('c', id(2), 'whole'))).toBe(toHex(id(2)));
    expect(keyExchangeStep(plain('c', 'in', 0x2144ca19 /* rpc_error */))).toBeNull();
    expect(keyExchangeStep(encrypted('c', id(1)))).toBeNull();
  });

  it('random plain frames are a handshake only when they carry a key-exchange constructor', () => {
    const known = new Set<number>([...Object.values(CTOR), 0x60469778, 0x79cb045d]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.constantFrom<Framing>('abridged', 'intermediate', 'full'), (ctor, framing) => {
        expect(keyExchangeStep(plain('c', 'out', ctor, framing)) !== null).toBe(known.has(ctor));
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (bytes) => {
        // Never throws on any bytes.
        keyExchangeStep(capture('c', 'in', bytes, { framing: 'intermediate' }));
      }),
    );
  });
});

describe('WireKeyWatch: a key a connection made on the wire', () => {
  it('handshake, then a new auth_key_id on that connection: made on the wire (a temporary key)', () => {
    const watch = new WireKeyWatch();
    // The permanent key's traffic on one connection; the temporary key made on another (tweb's TempAuthKeys).
    expect(observeWireKeys(watch, encrypted('main', id(1)))).toMatchObject({ keyId: toHex(id(1)), madeOnWire: false, dc: 2 });
    for (const c of handshake('temp')) expect(observeWireKeys(watch, c)).toBeNull();
    expect(observeWireKeys(watch, encrypted('temp', id(2)))).toMatchObject({ keyId: toHex(id(2)), madeOnWire: true });
    // The networkers then move to it: still the key a connection made.
    expect(observeWireKeys(watch, encrypted('main', id(2)))!.madeOnWire).toBe(true);
    expect(watch.ids()).toEqual([toHex(id(1)), toHex(id(2))]);
    expect(watch.madeOnWire()).toEqual([toHex(id(2))]);
  });

  it('no handshake, or a handshake on another connection: not made here', () => {
    const watch = new WireKeyWatch();
    for (const c of handshake('a')) observeWireKeys(watch, c);
    expect(observeWireKeys(watch, encrypted('b', id(3)))!.madeOnWire).toBe(false);
  });

  it('a key already in use before the handshake stays what it was', () => {
    const watch = new WireKeyWatch();
    observeWireKeys(watch, encrypted('a', id(4)));
    for (const c of handshake('a', 'abridged')) observeWireKeys(watch, c);
    expect(observeWireKeys(watch, encrypted('a', id(4)))!.madeOnWire).toBe(false);
    // The handshake is spent on the first key after it.
    expect(observeWireKeys(watch, encrypted('a', id(5)))!.madeOnWire).toBe(false);
  });

  it('is bounded in keys and connections', () => {
    const watch = new WireKeyWatch();
    for (let i = 0; i < 500; i++) {
      watch.sawHandshake(`c${i}`);
      watch.sawKey(`c${i}`, toHex(id(i)), null);
    }
    expect(watch.ids().length).toBeLessThanOrEqual(64);
  });
});
