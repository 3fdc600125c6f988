// A cheap in-page fingerprint of a request's identifying input, for the handling audit: equal
// for an identical repeat, different for changed input, and worthless to anyone without the
// page's salt. Two FNV-1a-style 32-bit lanes (64 bits) over the request text, or over a bounded
// walk of a worker call's arguments, seeded with 16 random bytes the hook draws at start and
// never hands on, so the fingerprint of a short secret (a login code) cannot be looked up.
// Not cryptographic: it only has to tell repeats apart within one page.
//
// Left out, because clients draw them afresh for every send, repeat or not: `random_id`,
// TL-JSON `msg_id`, TDLib `@extra`, Web K `taskId`, Web A `messageId` (any depth). A JSON text
// is parsed (natively) and walked like a value, so key spacing does not matter; anything else
// is hashed as text. Bounded: 64 K characters of text, 256 nodes, depth 8, 4 K characters per
// string and 4 KB per binary (each with its full length mixed in).
//
// Format: `p<tag>:<16 hex>`, the tag being 6 random hex digits drawn with the salt, so
// fingerprints of two pages (or frames, or a reload) are never compared: the audit treats
// fingerprints of different tags as not comparable (PAGE_FINGERPRINT in src/core/capture/capture.ts).

import {
  bytesOf,
  charCodeAt,
  getPrototypeOf,
  isArray,
  jsonParse,
  mathImul,
  mathRandom,
  NativeUint8Array,
  ObjectPrototype,
  objectKeys,
  randomFill,
} from './natives.ts';

/** Reads one own property of a value being walked (readPageOwn for the page's own objects). */
export type FingerprintReader = (target: object, key: string | number) => unknown;

export const FINGERPRINT_LIMITS = Object.freeze({ textChars: 65_536, nodes: 256, depth: 8, stringChars: 4096, bytes: 4096 });

const HEX = '0123456789abcdef';
const PRIME_1 = 0x01000193; // FNV-1a 32
const PRIME_2 = 0x5bd1e995; // a second odd multiplier for the other lane

/** For JSON this hook parsed itself: own data properties only, no page code can run. */
export const readParsed: FingerprintReader = (target, key) => (target as Record<string | number, unknown>)[key];

function isVolatileKey(key: string): boolean {
  switch (key) {
    case 'random_id':
    case 'msg_id':
    case '@extra':
    case 'taskId':
    case 'messageId':
      return true;
    default:
      return false;
  }
}

function hex8(x: number): string {
  let out = '';
  for (let shift = 28; shift >= 0; shift -= 4) out += HEX[(x >>> shift) & 15];
  return out;
}

/** murmur3's finalizer: spreads every input bit over the output. */
function fmix(h: number): number {
  h ^= h >>> 16;
  h = mathImul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = mathImul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export interface RequestFingerprinter {
  readonly tag: string;
  /** A request text: parsed and walked when it is JSON, hashed as it is otherwise. */
  text(text: string): string;
  /** A structured value (a worker call's arguments), walked with `read`. */
  value(value: unknown, read: FingerprintReader): string;
}

/** `salt`: 16 random bytes; `tag`: 6 hex digits naming this salt. */
export function createFingerprinter(salt: Uint8Array, tag: string): RequestFingerprinter {
  const seed = (i: number) => (salt[i] | (salt[i + 1] << 8) | (salt[i + 2] << 16) | (salt[i + 3] << 24)) >>> 0;
  const seed1 = (0x811c9dc5 ^ seed(0)) >>> 0;
  const seed2 = (0x27d4eb2f ^ seed(4)) >>> 0;
  const seed3 = seed(8);
  const seed4 = seed(12);
  let h1 = 0;
  let h2 = 0;
  let nodes = 0;

  const mix = (c: number): void => {
    h1 = mathImul(h1 ^ c, PRIME_1);
    h2 = mathImul(h2 ^ c, PRIME_2);
  };
  const mixNumber = (n: number): void => {
    mix(n & 0xffff);
    mix((n >>> 16) & 0xffff);
  };
  const mixString = (s: string, max: number): void => {
    const n = s.length < max ? s.length : max;
    for (let i = 0; i < n; i++) mix(charCodeAt(s, i));
    mixNumber(s.length);
  };
  const start = (domain: number): void => {
    h1 = seed1;
    h2 = seed2;
    nodes = 0;
    mixNumber(seed3);
    mixNumber(seed4);
    mix(domain);
  };
  const finish = (): string => 'p' + tag + ':' + hex8(fmix(h1 ^ seed4)) + hex8(fmix(h2 ^ seed3));

  const walk = (value: unknown, read: FingerprintReader, depth: number): void => {
    switch (typeof value) {
      case 'string':
        mix(1);
        return mixString(value, FINGERPRINT_LIMITS.stringChars);
      case 'number':
        mix(2);
        return mixString('' + value, 32);
      case 'bigint':
        mix(3);
        return mixString('' + value, 64);
      case 'boolean':
        return mix(value ? 4 : 5);
      case 'undefined':
        return mix(6);
      case 'function':
        return mix(13);
      case 'symbol':
        return mix(14);
    }
    if (value === null) return mix(7);
    if (++nodes > FINGERPRINT_LIMITS.nodes || depth > FINGERPRINT_LIMITS.depth) return mix(8);
    const object = value as object;
    const proto = getPrototypeOf(object) as object | null;
    if (proto === ObjectPrototype || proto === null) {
      mix(11);
      const keys = objectKeys(object);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (isVolatileKey(key)) continue;
        mixString(key, 256);
        walk(read(object, key), read, depth + 1);
      }
      return mix(12);
    }
    if (isArray(object)) {
      mix(9);
      const items = object as unknown[];
      const length = items.length;
      mixNumber(length);
      for (let i = 0; i < length && nodes <= FINGERPRINT_LIMITS.nodes; i++) walk(read(items, i), read, depth + 1);
      return mix(10);
    }
    const bytes = bytesOf(object);
    if (bytes !== null) {
      mix(15);
      const n = bytes.length < FINGERPRINT_LIMITS.bytes ? bytes.length : FINGERPRINT_LIMITS.bytes;
      for (let i = 0; i < n; i++) mix(bytes[i]);
      return mixNumber(bytes.length);
    }
    // Dates, Maps, Blobs, class instances: their kind only.
    mix(16);
  };

  return {
    tag,
    text(text) {
      const length = text.length;
      if (length <= FINGERPRINT_LIMITS.textChars) {
        let i = 0;
        while (i < length && charCodeAt(text, i) <= 32) i++;
        const first = i < length ? charCodeAt(text, i) : 0;
        if (first === 123 /* { */ || first === 91 /* [ */) {
          let parsed: unknown;
          let ok = true;
          try {
            parsed = jsonParse(text);
          } catch {
            ok = false;
          }
          if (ok) {
            start(21);
            walk(parsed, readParsed, 0);
            return finish();
          }
        }
      }
      start(22);
      mixString(text, FINGERPRINT_LIMITS.textChars);
      return finish();
    },
    value(value, read) {
      start(21);
      walk(value, read, 0);
      return finish();
    },
  };
}

function drawSalt(): Uint8Array {
  const bytes = new NativeUint8Array(19);
  if (!randomFill(bytes)) for (let i = 0; i < bytes.length; i++) bytes[i] = (mathRandom() * 256) & 255;
  return bytes;
}

const drawn = drawSalt();

/** This page's fingerprinter: salt and tag drawn when the hook starts, never handed on. */
export const pageFingerprint: RequestFingerprinter = createFingerprinter(
  drawn.subarray(0, 16),
  hex8((drawn[16] << 16) | (drawn[17] << 8) | drawn[18]).slice(2),
);
