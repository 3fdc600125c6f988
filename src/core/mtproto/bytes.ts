// Byte helpers shared by the decoder. No Buffer/btoa: the code runs in Node,
// in a service worker and in pages, and must behave the same everywhere.

const HEX_DIGITS = '0123456789abcdef';
const HEX_BYTE: string[] = [];
for (let i = 0; i < 256; i++) HEX_BYTE.push(HEX_DIGITS[i >> 4] + HEX_DIGITS[i & 15]);

/** Char codes of each byte's two hex digits: HEX_CODE[2b], HEX_CODE[2b + 1]. */
const HEX_CODE = new Uint16Array(512);
for (let i = 0; i < 256; i++) {
  HEX_CODE[2 * i] = HEX_DIGITS.charCodeAt(i >> 4);
  HEX_CODE[2 * i + 1] = HEX_DIGITS.charCodeAt(i & 15);
}

/** 16 hex digits of bytes[at..at+8) as one flat string (ids, salts: the common case). */
function hex8(bytes: Uint8Array, at: number): string {
  const h = HEX_CODE;
  const a = bytes[at] * 2,
    b = bytes[at + 1] * 2,
    c = bytes[at + 2] * 2,
    d = bytes[at + 3] * 2;
  const e = bytes[at + 4] * 2,
    f = bytes[at + 5] * 2,
    g = bytes[at + 6] * 2,
    k = bytes[at + 7] * 2;
  return String.fromCharCode(h[a], h[a + 1], h[b], h[b + 1], h[c], h[c + 1], h[d], h[d + 1], h[e], h[e + 1], h[f], h[f + 1], h[g], h[g + 1], h[k], h[k + 1]);
}

export function toHex(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  let i = start;
  // Whole 8-byte groups in one call each, when the range lies inside the array.
  if (start >= 0 && (start | 0) === start && end <= bytes.length) for (; i + 8 <= end; i += 8) out += hex8(bytes, i);
  for (; i < end; i++) out += HEX_BYTE[bytes[i]];
  return out;
}

/** Returns null for malformed input instead of throwing. */
export function fromHex(hex: string): Uint8Array | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < 64; i++) B64_INDEX[B64.charCodeAt(i)] = i;

export function toBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  let chunk = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    chunk += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + B64[n & 63];
    // Keeps string concatenation from building one enormous rope.
    if (chunk.length >= 8192) {
      parts.push(chunk);
      chunk = '';
    }
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i] << 16;
    chunk += B64[n >> 18] + B64[(n >> 12) & 63] + '==';
  } else if (rest === 2) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8);
    chunk += B64[n >> 18] + B64[(n >> 12) & 63] + B64[(n >> 6) & 63] + '=';
  }
  parts.push(chunk);
  return parts.join('');
}

/** Returns null for malformed input instead of throwing. */
export function fromBase64(text: string): Uint8Array | null {
  const clean = text.replace(/=+$/, '');
  if (clean.length % 4 === 1) return null;
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean.charCodeAt(i);
    const v = c < 128 ? B64_INDEX[c] : -1;
    if (v < 0) return null;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  return out;
}

export function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function readInt32LE(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24);
}

export function readUint32LE(bytes: Uint8Array, at: number): number {
  return readInt32LE(bytes, at) >>> 0;
}

/** Constructor ids are shown as 0x-prefixed 8-digit hex, the way the schema docs print them. */
export function constructorHex(id: number): string {
  const key = id >>> 0;
  let text = HEX_ID_CACHE.get(key);
  if (text === undefined) {
    text = '0x' + key.toString(16).padStart(8, '0');
    // Service ids repeat on every message; arbitrary ids from junk must not grow the cache forever.
    if (HEX_ID_CACHE.size < 4096) HEX_ID_CACHE.set(key, text);
  }
  return text;
}

const HEX_ID_CACHE = new Map<number, string>();
