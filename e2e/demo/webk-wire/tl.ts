// TL for the Web K-style demo worker: a small writer, the few API methods the demo calls (layer
// 198, the constructors of GramJS's apiTl.js, which the fake Telegram parses them with), the
// MTProto service objects it reads, and readers for the two results the page shows. Written for
// the demo, not taken from a client library; the reader is the project's own TlReader.

import { TlReader } from '../../../src/core/mtproto/tl/tl-reader.ts';

export const LAYER = 198;

export class TlWriter {
  private buf = new Uint8Array(256);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + n));
    next.set(this.buf);
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  int(v: number): this {
    this.room(4);
    this.view.setInt32(this.length, v | 0, true);
    this.length += 4;
    return this;
  }

  id(constructor: number): this {
    this.room(4);
    this.view.setUint32(this.length, constructor >>> 0, true);
    this.length += 4;
    return this;
  }

  long(v: bigint): this {
    this.room(8);
    this.view.setBigInt64(this.length, BigInt.asIntN(64, v), true);
    this.length += 8;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.room(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
    return this;
  }

  /** TL bytes: 1-byte length up to 253, else 0xfe + 3-byte length; padded to 4. */
  bytes(data: Uint8Array): this {
    const head = data.length <= 253 ? [data.length] : [0xfe, data.length & 0xff, (data.length >> 8) & 0xff, (data.length >> 16) & 0xff];
    this.raw(Uint8Array.from(head)).raw(data);
    const pad = (4 - ((head.length + data.length) % 4)) % 4;
    return this.raw(new Uint8Array(pad));
  }

  string(text: string): this {
    return this.bytes(new TextEncoder().encode(text));
  }

  done(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}

export const ID = {
  invokeWithLayer: 0xda9b0d0d,
  initConnection: 0xc1cd5ea9,
  rpcResult: 0xf35c6d01,
  rpcError: 0x2144ca19,
  msgContainer: 0x73f1f8dc,
  gzipPacked: 0x3072cfa1,
  badServerSalt: 0xedab447b,
  badMsgNotification: 0xa7eff811,
  newSessionCreated: 0x9ec20908,
  msgsAck: 0x62d6b459,
  pong: 0x347773c5,
  boolTrue: 0x997275b5,
  boolFalse: 0xbc799737,
  config: 0xcc1a241e,
  uploadFile: 0x096a18d5,
} as const;

type Params = Record<string, unknown>;

const num = (v: unknown, fallback = 0): number => (typeof v === 'number' ? v : fallback);
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : typeof v === 'number' || typeof v === 'string' ? BigInt(v) : 0n);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * The API methods the demo page calls, serialized from tweb-style params (snake_case). Peers
 * and file locations are fixed (the demo has no dialogs): inputPeerSelf, an empty
 * inputFileLocation.
 */
const METHODS: Record<string, (w: TlWriter, p: Params) => void> = {
  'help.getConfig': (w) => void w.id(0xc4f9186b),
  // flags:# peer:InputPeer message:string random_id:long
  'messages.sendMessage': (w, p) =>
    void w
      .id(0x983f9745)
      .int(0)
      .id(0x7da07ec9)
      .string(str(p.message))
      .long(big(p.random_id ?? 1)),
  'payments.getStarGifts': (w, p) => void w.id(0xc4563590).int(num(p.hash)),
  'account.getAuthorizations': (w) => void w.id(0xe320c158),
  // perm_auth_key_id:long nonce:long expires_at:int encrypted_message:bytes
  'auth.bindTempAuthKey': (w, p) => void w.id(0xcdd42a05).long(big(p.perm_auth_key_id)).long(big(p.nonce)).int(num(p.expires_at)).bytes(new Uint8Array(0)),
  // flags:# location:inputFileLocation(volume_id local_id secret file_reference) offset:long limit:int
  'upload.getFile': (w, p) =>
    void w.id(0xbe5335be).int(0).id(0xdfdaabe1).long(0n).int(0).long(0n).bytes(new Uint8Array(0)).long(big(p.offset)).int(num(p.limit, 1024)),
};

export function knowsMethod(method: string): boolean {
  return method in METHODS;
}

/** The call's body; the first call on a connection is wrapped as tweb wraps it (invokeWithLayer(initConnection(...))). */
export function serializeCall(method: string, params: Params, init: boolean): Uint8Array {
  const write = METHODS[method];
  if (!write) throw new Error(`the demo cannot serialize ${method}`);
  const w = new TlWriter();
  if (init) {
    w.id(ID.invokeWithLayer).int(LAYER);
    // flags:# api_id device_model system_version app_version system_lang_code lang_pack lang_code query
    w.id(ID.initConnection).int(0).int(1025907).string('Demo Web K').string('Chromium').string('2.2 K').string('en').string('webk').string('en');
  }
  write(w, params);
  return w.done();
}

/** The result as the demo page shows it: only the fields it reads (tweb passes the whole object). */
export function parseResult(body: Uint8Array): unknown {
  const r = new TlReader(body);
  const id = r.uint32();
  switch (id) {
    case ID.boolTrue:
      return true;
    case ID.boolFalse:
      return false;
    case ID.config: {
      r.int32(); // flags
      r.int32(); // date
      r.int32(); // expires
      const testMode = r.uint32() === ID.boolTrue;
      const thisDc = r.int32();
      return { _: 'config', this_dc: thisDc, test_mode: testMode };
    }
    case ID.uploadFile: {
      r.uint32(); // storage.FileType: a constructor without fields
      const mtime = r.int32();
      const bytes = r.bytesValue().slice();
      return { _: 'upload.file', mtime, bytes };
    }
    default:
      return { _: 'unparsed', constructor: id.toString(16).padStart(8, '0') };
  }
}
