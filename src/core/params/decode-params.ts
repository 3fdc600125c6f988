// Decodes a TL object (typically a request: a method call and its arguments)
// into plain JSON-able values, driven by the generated schema:
//   {_: 'messages.sendMessage', peer: {_: 'inputPeerUser', user_id: '42', access_hash: '...'}, message: 'hi', ...}
// int/double -> number, long -> decimal string, string -> string (capped),
// bytes/int128/int256 -> {_: 'bytes', length} (contents are never copied out),
// Bool -> boolean, flags.N?true -> true when set; flags fields and absent
// optional fields are left out. Depth, object count, vector items kept and
// string length are bounded; an unknown constructor or malformed data stops
// decoding cleanly: what was read so far is returned with a diagnostic.

import { constructorHex } from '../mtproto/bytes.ts';
import { ID } from '../mtproto/tl/constructors.ts';
import { gunzipCapped } from '../mtproto/tl/gzip.ts';
import { TlReader } from '../mtproto/tl/tl-reader.ts';
import { tlConstructor, type TlParam } from './tl-schema.ts';

export type TlJson = null | boolean | number | string | TlJson[] | TlJsonObject;
export interface TlJsonObject {
  [key: string]: TlJson;
}

export interface ParamLimits {
  /** Nested objects (a method is depth 0). */
  maxDepth: number;
  /** Objects and vector items visited in one decode. */
  maxObjects: number;
  /** Items kept per vector; the rest are read past and counted. */
  maxVectorItems: number;
  /** Characters kept per string. */
  maxStringLength: number;
  /** Largest inflated gzip_packed. */
  gzipOutputCap: number;
}

export const DEFAULT_PARAM_LIMITS: ParamLimits = { maxDepth: 12, maxObjects: 5_000, maxVectorItems: 20, maxStringLength: 300, gzipOutputCap: 1 << 20 };

export interface DecodedParams {
  /** The object, possibly partial when `complete` is false; null when nothing could be read. */
  value: TlJson;
  complete: boolean;
  diagnostics: string[];
}

/** Marker for bytes values; mask-params turns it into '<N bytes>'. */
export interface TlBytesMarker {
  _: 'bytes';
  length: number;
  /** Only with the `digest` option (for fingerprints): a digest of the contents, never the contents. */
  digest?: string;
}

/** A digest of a bytes value's contents; the caller salts it so it reveals nothing. */
export type BytesDigest = (bytes: Uint8Array) => string;

class Stop extends Error {}

class ParamDecoder {
  r: TlReader;
  objectsLeft: number;
  readonly diagnostics: string[] = [];

  constructor(
    r: TlReader,
    readonly limits: ParamLimits,
    readonly digest: BytesDigest | null = null,
  ) {
    this.r = r;
    this.objectsLeft = limits.maxObjects;
  }

  bytesMarker(value: Uint8Array): TlJson {
    const marker: TlJsonObject = { _: 'bytes', length: value.length };
    if (this.digest !== null) marker.digest = this.digest(value);
    return marker;
  }

  stop(message: string): never {
    this.diagnostics.push(message);
    throw new Stop(message);
  }

  check(): void {
    if (this.r.error !== null) this.stop(this.r.error);
  }

  /** A boxed value: constructor id, then its fields. `into` receives the object before its fields are read, so a stop leaves it partial but attached. */
  boxed(depth: number, attach: (v: TlJson) => void): void {
    const at = this.r.pos;
    const id = this.r.uint32('constructor');
    this.check();
    if (id === ID.boolTrue || id === ID.boolFalse) {
      attach(id === ID.boolTrue);
      return;
    }
    if (id === ID.gzipPacked) {
      const packed = this.r.bytesValue('gzip_packed.packed_data');
      this.check();
      const inflated = gunzipCapped(packed, this.limits.gzipOutputCap);
      if (!inflated.ok) this.stop(inflated.reason);
      const outer = this.r;
      this.r = new TlReader(inflated.bytes);
      try {
        this.boxed(depth, attach);
      } finally {
        this.r = outer;
      }
      return;
    }
    if (id === ID.vector) {
      // A bare "Object" that is a vector (a method returning one would never be a request, but be safe).
      this.stop(`untyped vector at byte ${at}; not decoded`);
    }
    const ctor = tlConstructor(id);
    if (!ctor) {
      attach({ _: 'unknown', constructorId: constructorHex(id) });
      this.stop(`unknown constructor ${constructorHex(id)} at byte ${at}`);
    }
    if (depth > this.limits.maxDepth) this.stop(`${ctor.name}: nested deeper than ${this.limits.maxDepth}; not decoded`);
    if (--this.objectsLeft < 0) this.stop(`more than ${this.limits.maxObjects} objects; decoding stopped`);
    const obj: TlJsonObject = { _: ctor.name };
    attach(obj);
    const flags: Record<string, number> = {};
    for (const p of ctor.params) {
      if (p.flagField !== null && ((flags[p.flagField] ?? 0) & (1 << p.flagBit)) === 0) continue;
      if (p.type === '#') {
        flags[p.name] = this.r.uint32(`${ctor.name}.${p.name}`);
        this.check();
        continue;
      }
      if (p.type === 'true') {
        obj[p.name] = true;
        continue;
      }
      this.field(p, `${ctor.name}.${p.name}`, depth + 1, (v) => (obj[p.name] = v));
    }
  }

  field(p: TlParam, what: string, depth: number, attach: (v: TlJson) => void): void {
    if (p.vector === null) {
      this.value(p.type, what, depth, attach);
      return;
    }
    if (p.vector === 'Vector') {
      const id = this.r.uint32(what);
      this.check();
      if (id !== ID.vector) this.stop(`${what}: expected a vector, got ${constructorHex(id)}`);
    }
    const count = this.r.int32(`${what} count`);
    this.check();
    // Every item takes at least 4 bytes, so a count the bytes cannot hold is junk.
    if (count < 0 || count * 4 > this.r.remaining) this.stop(`${what}: vector count ${count} does not fit in ${this.r.remaining} bytes`);
    const items: TlJson[] = [];
    attach(items);
    const keep = Math.min(count, this.limits.maxVectorItems);
    for (let i = 0; i < count; i++) {
      if (--this.objectsLeft < 0) this.stop(`more than ${this.limits.maxObjects} objects; decoding stopped`);
      if (i < keep) this.value(p.type, what, depth, (v) => items.push(v));
      else this.value(p.type, what, depth, () => {});
    }
    if (count > keep) items.push(`… ${count - keep} more`);
  }

  value(type: string, what: string, depth: number, attach: (v: TlJson) => void): void {
    const r = this.r;
    switch (type) {
      case 'int':
        attach(r.int32(what));
        break;
      case 'long':
        attach(r.longDecimal(what));
        break;
      case 'double': {
        const v = r.double(what);
        attach(Number.isFinite(v) ? v : String(v));
        break;
      }
      case 'string': {
        const s = r.string(what);
        attach(s.length > this.limits.maxStringLength ? `${s.slice(0, this.limits.maxStringLength)}… (${s.length} chars)` : s);
        break;
      }
      case 'bytes':
        attach(this.bytesMarker(r.bytesValue(what)));
        break;
      case 'int128':
        attach(this.bytesMarker(r.raw(16, what)));
        break;
      case 'int256':
        attach(this.bytesMarker(r.raw(32, what)));
        break;
      default:
        if (/^[a-z]/.test(type.slice(type.lastIndexOf('.') + 1)) && type !== 'Bool') {
          this.stop(`${what}: bare type ${type} is not supported`);
        }
        // Boxed: Bool, '!X' (a wrapped query), 'X', 'Object' or any schema type.
        this.boxed(depth, attach);
        return;
    }
    this.check();
  }
}

/** Decodes the boxed TL object at bytes[start, end). Never throws. */
export function decodeTlObject(
  bytes: Uint8Array,
  opts: { start?: number; end?: number; limits?: Partial<ParamLimits>; digest?: BytesDigest } = {},
): DecodedParams {
  const limits = opts.limits ? { ...DEFAULT_PARAM_LIMITS, ...opts.limits } : DEFAULT_PARAM_LIMITS;
  const d = new ParamDecoder(new TlReader(bytes, opts.start ?? 0, opts.end ?? bytes.length), limits, opts.digest ?? null);
  let value: TlJson = null;
  try {
    d.boxed(0, (v) => (value = v));
    return { value, complete: true, diagnostics: d.diagnostics };
  } catch (err) {
    if (!(err instanceof Stop)) d.diagnostics.push(`internal decoder error: ${err instanceof Error ? err.message : String(err)}`);
    return { value, complete: false, diagnostics: d.diagnostics };
  }
}

export interface MessageParams {
  /** msg_id of the container item (decimal), or the caller's for a bare body. */
  msgId: string | null;
  params: DecodedParams;
}

/**
 * The requests in an outgoing message body: one, or one per msg_container item
 * (msgs_ack and other bodies are decoded the same way; the schema knows them).
 */
export function decodeRequestParams(body: Uint8Array, msgId: string | null = null, limits?: Partial<ParamLimits>): MessageParams[] {
  const r = new TlReader(body);
  if (r.remaining >= 8 && r.uint32() === ID.msgContainer) {
    const count = r.int32();
    const out: MessageParams[] = [];
    for (let i = 0; i < count && r.error === null && r.remaining >= 16 && i < 1024; i++) {
      const id = r.longDecimal('msg_id');
      r.int32('seqno');
      const length = r.int32('bytes');
      if (r.error !== null || length < 0 || length > r.remaining) break;
      out.push({ msgId: id, params: decodeTlObject(body, { start: r.pos, end: r.pos + length, limits }) });
      r.pos += length;
    }
    return out;
  }
  return [{ msgId, params: decodeTlObject(body, { limits }) }];
}
