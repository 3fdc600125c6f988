// Test-only TL serialisation. Object layouts come from @mtcute/tl's generated
// writer/reader maps (an independent TL implementation); this file supplies
// only the primitive writer/reader those maps call, plus the native
// constructors mtcute does not put in its maps (rpc_result, msg_container,
// gzip_packed) and transport framing.

import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { __tlWriterMap } = require('@mtcute/tl/binary/writer.js') as {
  __tlWriterMap: Record<string, (w: TlTestWriter, v: unknown) => void>;
};
const { __tlReaderMap } = require('@mtcute/tl/binary/reader.js') as {
  __tlReaderMap: Record<number, (r: TlTestReader) => unknown>;
};

export class TlTestWriter {
  private parts: number[] = [];

  uint = (v: number): void => {
    this.parts.push(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
  };
  int = (v: number): void => this.uint(v);
  long = (v: bigint | { low: number; high: number }): void => {
    const b = typeof v === 'bigint' ? BigInt.asUintN(64, v) : (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
    for (let i = 0n; i < 8n; i++) this.parts.push(Number((b >> (8n * i)) & 255n));
  };
  int53 = (v: number): void => this.long(BigInt(v));
  double = (v: number): void => {
    const dv = new DataView(new ArrayBuffer(8));
    dv.setFloat64(0, v, true);
    this.raw(new Uint8Array(dv.buffer));
  };
  boolean = (v: boolean): void => this.uint(v ? 0x997275b5 : 0xbc799737);
  raw = (b: Uint8Array): void => {
    for (const x of b) this.parts.push(x);
  };
  int128 = (b: Uint8Array): void => this.raw(b);
  int256 = (b: Uint8Array): void => this.raw(b);
  bytes = (b: Uint8Array): void => {
    const start = this.parts.length;
    if (b.length <= 253) this.parts.push(b.length);
    else this.parts.push(254, b.length & 255, (b.length >> 8) & 255, (b.length >> 16) & 255);
    this.raw(b);
    while ((this.parts.length - start) % 4 !== 0) this.parts.push(0);
  };
  string = (s: string): void => this.bytes(new TextEncoder().encode(s));
  object = (o: { _: string }): void => {
    const fn = __tlWriterMap[o._];
    if (!fn) throw new Error(`mtcute writer has no ${o._}`);
    fn(this, o);
  };
  vector = (fn: (x: never) => void, items: unknown[], bare?: boolean): void => {
    if (!bare) this.uint(0x1cb5c415);
    this.uint(items.length);
    for (const it of items) (fn as (x: unknown) => void)(it);
  };

  result(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** Serialises a TL object ({ _: 'mt_rpc_error', errorCode, errorMessage }) with mtcute's layouts. */
export function tl(obj: { _: string; [k: string]: unknown }): Uint8Array {
  const w = new TlTestWriter();
  w.object(obj);
  return w.result();
}

export class TlTestReader {
  pos = 0;
  private readonly dv: DataView;
  constructor(private readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  uint = (): number => {
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  };
  int = (): number => {
    const v = this.dv.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  };
  long = (): bigint => {
    const v = this.dv.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  };
  int53 = (): number => Number(this.long());
  double = (): number => {
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  };
  boolean = (): boolean => this.uint() === 0x997275b5;
  raw = (n: number): Uint8Array => {
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  };
  int128 = (): Uint8Array => this.raw(16);
  int256 = (): Uint8Array => this.raw(32);
  bytes = (): Uint8Array => {
    let len = this.b[this.pos];
    let hdr = 1;
    if (len === 254) {
      len = this.b[this.pos + 1] | (this.b[this.pos + 2] << 8) | (this.b[this.pos + 3] << 16);
      hdr = 4;
    }
    const v = this.b.subarray(this.pos + hdr, this.pos + hdr + len);
    this.pos += (hdr + len + 3) & ~3;
    return v;
  };
  string = (): string => new TextDecoder().decode(this.bytes());
  object = (): unknown => {
    const id = this.uint();
    const fn = __tlReaderMap[id];
    if (!fn) throw new Error(`mtcute reader has no 0x${id.toString(16)}`);
    return fn(this);
  };
  vector = (fn: () => unknown): unknown[] => {
    if (this.uint() !== 0x1cb5c415) throw new Error('not a vector');
    const n = this.uint();
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(fn());
    return out;
  };
}

/** Reads one object with mtcute's reader map. */
export function readWithMtcute(bytes: Uint8Array): unknown {
  return new TlTestReader(bytes).object();
}

// ---- Native service constructors (not in mtcute's maps) ----

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function u32(v: number): Uint8Array {
  return Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, (v >>> 24) & 255);
}

export function i64(v: bigint): Uint8Array {
  const w = new TlTestWriter();
  w.long(v);
  return w.result();
}

export function rpcResult(reqMsgId: bigint, result: Uint8Array): Uint8Array {
  return concat(u32(0xf35c6d01), i64(reqMsgId), result);
}

export function rpcError(code: number, message: string): Uint8Array {
  return tl({ _: 'mt_rpc_error', errorCode: code, errorMessage: message });
}

export function gzipPacked(inner: Uint8Array): Uint8Array {
  const w = new TlTestWriter();
  w.uint(0x3072cfa1);
  w.bytes(gzipSync(inner));
  return w.result();
}

export function container(messages: Array<{ msgId: bigint; seqNo?: number; body: Uint8Array }>): Uint8Array {
  const parts = [u32(0x73f1f8dc), u32(messages.length)];
  for (const m of messages) parts.push(i64(m.msgId), u32(m.seqNo ?? 1), u32(m.body.length), m.body);
  return concat(...parts);
}

export function unencrypted(msgId: bigint, body: Uint8Array): Uint8Array {
  return concat(new Uint8Array(8), i64(msgId), u32(body.length), body);
}

export function decrypted(msgId: bigint, body: Uint8Array, padding = 12): Uint8Array {
  return concat(
    Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
    Uint8Array.of(9, 10, 11, 12, 13, 14, 15, 16),
    i64(msgId),
    u32(3),
    u32(body.length),
    body,
    new Uint8Array(padding),
  );
}

/** auth_key_id != 0 | msg_key | ciphertext. */
export function encrypted(seed: number, length: number): Uint8Array {
  const b = new Uint8Array(24 + length);
  let x = seed | 1;
  for (let i = 0; i < b.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 255;
  }
  b[0] |= 1;
  return b;
}

// ---- Transport framing ----

export function abridgedFrame(payload: Uint8Array): Uint8Array {
  const words = payload.length / 4;
  if (words < 0x7f) return concat(Uint8Array.of(words), payload);
  return concat(Uint8Array.of(0x7f, words & 255, (words >> 8) & 255, (words >> 16) & 255), payload);
}

export function intermediateFrame(payload: Uint8Array): Uint8Array {
  return concat(u32(payload.length), payload);
}

export function paddedFrame(payload: Uint8Array, padding: number): Uint8Array {
  return concat(u32(payload.length + padding), payload, new Uint8Array(padding).fill(0x5a));
}

export function fullFrame(payload: Uint8Array, seqNo: number, crc: (b: Uint8Array) => number): Uint8Array {
  const head = concat(u32(payload.length + 12), u32(seqNo), payload);
  return concat(head, u32(crc(head)));
}

// ---- Schema access for the method-name lookup ----

interface SchemaEntry {
  kind: string;
  name: string;
  id: number;
  arguments?: Array<{ name: string; type: string }>;
}

export function loadSchema(file: 'api-schema.json' | 'mtp-schema.json'): SchemaEntry[] {
  const path = require.resolve(`@mtcute/tl/${file}`);
  const json = JSON.parse(readFileSync(path, 'utf8')) as SchemaEntry[] | { e: SchemaEntry[] };
  return Array.isArray(json) ? json : json.e;
}

let methodMap: Map<number, string> | null = null;

/** The injected lookup, built here from api-schema.json so the tests do not depend on generated files. */
export function methodNameFromSchema(id: number): string | null {
  if (!methodMap) {
    methodMap = new Map();
    for (const e of loadSchema('api-schema.json')) if (e.kind === 'method') methodMap.set(e.id >>> 0, e.name);
  }
  return methodMap.get(id >>> 0) ?? null;
}
