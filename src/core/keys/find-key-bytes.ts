// Finds every value that holds exactly 256 bytes (an auth key's size) in what a client stored,
// whatever it named it: a storage text (hex, base64, JSON holding such a value at any depth,
// JSON inside JSON strings) or a structured value read from IndexedDB (Uint8Array, ArrayBuffer,
// any typed array or DataView of 256 bytes, arrays of 256 numbers 0..255, a Uint8Array as
// JSON.stringify writes it, a Node Buffer's JSON). Nothing here knows a client: a candidate is
// only a 256-byte value and where it was; whether it is a key is decided by its auth_key_id
// matching the traffic (see matchCandidates), never by its name. Bounded in values, bytes,
// depth and nodes, so a page that fills its storage costs a known amount.

import { fromBase64, fromHex, toHex } from '../mtproto/bytes.ts';
import { computeAuthKeyId } from './auth-key.ts';

export type KeyEncoding = 'hex' | 'base64' | 'JSON array' | 'array' | 'Buffer JSON' | 'indexed object' | 'ArrayBuffer' | string;

export interface KeyCandidate {
  /** The 256 bytes (never logged, never shown; sent only to the background to be checked). */
  bytes: Uint8Array;
  /** Where it was, e.g. "localStorage['2authKey'] (JSON array)". */
  place: string;
}

export interface FinderLimits {
  /** Storage values (localStorage / sessionStorage entries, IndexedDB records) looked at. */
  maxValues: number;
  /** Characters of text plus bytes of binary data looked at, in all. */
  maxBytes: number;
  /** A text longer than this is not parsed (counted as skipped). */
  maxValueChars: number;
  /** Nesting followed into a value (objects, arrays, JSON in strings). */
  maxDepth: number;
  /** Objects, arrays and strings visited within one value. */
  maxNodesPerValue: number;
  /** Distinct 256-byte values kept. */
  maxCandidates: number;
}

/**
 * The caps (a real client's key store is a few KB; Web K's localStorage holds well under 1 MB).
 * One value costs at most a JSON.parse of 256 K characters and 20,000 nodes, about 1 to 3 ms.
 */
export const FINDER_LIMITS: FinderLimits = {
  maxValues: 2_000,
  maxBytes: 8 << 20,
  maxValueChars: 256 * 1024,
  maxDepth: 8,
  maxNodesPerValue: 20_000,
  maxCandidates: 512,
};

export interface FinderStats {
  values: number;
  bytes: number;
  /** Values not parsed because they were longer than maxValueChars. */
  skippedLarge: number;
  /** True once a cap stopped the scan (values, bytes, nodes or candidates). */
  capped: boolean;
}

const HEX_512 = /^[0-9a-fA-F]{512}$/;
/** base64 of 256 bytes: 344 characters with padding, 342 without; standard or URL-safe. */
const BASE64_256 = /^[A-Za-z0-9+/_-]{342}(?:==)?$/;
const MAX_KEYS_PER_OBJECT = 1_000;
const MAX_ITEMS_PER_ARRAY = 1_000;
const MAX_PLACE_CHARS = 200;

function objectTag(value: object): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/** A property name as a path step: .name when it is an identifier, else ['name'] (cut short). */
function step(name: string): string {
  if (/^[A-Za-z_$][\w$]{0,40}$/.test(name)) return `.${name}`;
  const shown = name.length > 40 ? `${name.slice(0, 40)}…` : name;
  return `[${JSON.stringify(shown)}]`;
}

function bytesOfNumbers(list: readonly unknown[]): Uint8Array | null {
  if (list.length !== 256) return null;
  const out = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    const n = list[i];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** {"0": n, ..., "255": n}: a Uint8Array after JSON.stringify, or one stored as a plain object. */
function indexedObject(value: Record<string, unknown>, names: string[]): Uint8Array | null {
  if (names.length !== 256) return null;
  const out = new Uint8Array(256);
  const seen = new Uint8Array(256);
  for (const name of names) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(name)) return null;
    const i = Number(name);
    const n = value[name];
    if (i > 255 || seen[i] || typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 255) return null;
    seen[i] = 1;
    out[i] = n;
  }
  return out;
}

export class KeyBytesFinder {
  readonly candidates: KeyCandidate[] = [];
  readonly stats: FinderStats = { values: 0, bytes: 0, skippedLarge: 0, capped: false };
  private readonly seen = new Set<string>();
  private nodes = 0;

  constructor(private readonly limits: FinderLimits = FINDER_LIMITS) {}

  /** False once a cap on values, bytes or candidates is reached: the caller stops feeding. */
  get open(): boolean {
    return !this.stats.capped;
  }

  /** A storage entry's text (localStorage, sessionStorage). `where` names it, e.g. "localStorage['x']". */
  scanText(text: string, where: string): void {
    if (!this.admit(text.length)) return;
    if (text.length > this.limits.maxValueChars) {
      this.stats.skippedLarge++;
      return;
    }
    this.nodes = 0;
    this.walkString(text, where, '', 0, true);
  }

  /** A structured value (an IndexedDB record). */
  scanValue(value: unknown, where: string): void {
    if (!this.admit(0)) return;
    this.nodes = 0;
    this.walk(value, where, '', 0);
  }

  /** Counts one value of `size` characters or bytes; false (and capped) when over a cap. */
  private admit(size: number): boolean {
    if (this.stats.capped) return false;
    if (this.stats.values >= this.limits.maxValues || this.stats.bytes + size > this.limits.maxBytes) {
      this.stats.capped = true;
      return false;
    }
    this.stats.values++;
    this.stats.bytes += size;
    return true;
  }

  /** Counts `n` more characters or bytes of a value already admitted; false (and capped) over the cap. */
  private spend(n: number): boolean {
    if (this.stats.bytes + n > this.limits.maxBytes) {
      this.stats.capped = true;
      return false;
    }
    this.stats.bytes += n;
    return true;
  }

  private found(bytes: Uint8Array, where: string, path: string, encoding: KeyEncoding): void {
    if (bytes.every((b) => b === 0)) return;
    const hex = toHex(bytes);
    if (this.seen.has(hex)) return;
    if (this.candidates.length >= this.limits.maxCandidates) {
      this.stats.capped = true;
      return;
    }
    this.seen.add(hex);
    const place = `${where}${path ? ` → ${path}` : ''} (${encoding})`;
    this.candidates.push({ bytes: bytes.slice(), place: place.length > MAX_PLACE_CHARS ? `${place.slice(0, MAX_PLACE_CHARS - 1)}…` : place });
  }

  /** One more node of this value; false when the value's node budget is spent. */
  private visit(): boolean {
    if (this.nodes >= this.limits.maxNodesPerValue) {
      this.stats.capped = true;
      return false;
    }
    this.nodes++;
    return true;
  }

  private walkString(text: string, where: string, path: string, depth: number, counted = false): void {
    if (!this.visit()) return;
    const value = text.trim();
    const n = value.length;
    if (n < 342) return;
    if (n === 512 && HEX_512.test(value)) return this.found(fromHex(value)!, where, path, 'hex');
    if ((n === 342 || n === 344) && BASE64_256.test(value)) {
      const bytes = fromBase64(value.replace(/-/g, '+').replace(/_/g, '/'));
      if (bytes && bytes.length === 256) return this.found(bytes, where, path, 'base64');
    }
    const first = value[0];
    if (first !== '{' && first !== '[' && first !== '"') return;
    if (depth >= this.limits.maxDepth) return;
    // A string nested in a value is text the scan has not counted yet.
    if (!counted && (n > this.limits.maxValueChars || !this.spend(n))) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      return;
    }
    this.walk(parsed, where, path, depth + 1, true);
  }

  private walk(value: unknown, where: string, path: string, depth: number, fromJson = false): void {
    if (typeof value === 'string') return this.walkString(value, where, path, depth);
    if (value === null || typeof value !== 'object' || depth > this.limits.maxDepth || !this.visit()) return;
    // Tags, not instanceof: a structured clone may come from another realm.
    const tag = objectTag(value);
    if (tag === 'ArrayBuffer') {
      const buffer = value as ArrayBuffer;
      if (!this.spend(buffer.byteLength)) return;
      if (buffer.byteLength === 256) this.found(new Uint8Array(buffer), where, path, 'ArrayBuffer');
      return;
    }
    if (ArrayBuffer.isView(value)) {
      if (!this.spend(value.byteLength)) return;
      if (value.byteLength === 256) this.found(new Uint8Array(value.buffer, value.byteOffset, 256), where, path, tag);
      return;
    }
    if (Array.isArray(value)) {
      const bytes = bytesOfNumbers(value);
      if (bytes) return this.found(bytes, where, path, fromJson ? 'JSON array' : 'array');
      const end = Math.min(value.length, MAX_ITEMS_PER_ARRAY);
      for (let i = 0; i < end && this.open; i++) this.walk(value[i], where, `${path}[${i}]`, depth + 1, fromJson);
      return;
    }
    if (tag === 'Map') {
      let i = 0;
      for (const [name, item] of value as Map<unknown, unknown>) {
        if (i++ >= MAX_KEYS_PER_OBJECT || !this.open) break;
        this.walk(item, where, `${path}.get(${typeof name === 'string' ? step(name).replace(/^\./, '') : String(name).slice(0, 40)})`, depth + 1, fromJson);
      }
      return;
    }
    if (tag !== 'Object') return; // Blob, File, Date, RegExp, Set...: no key bytes
    const obj = value as Record<string, unknown>;
    if (obj.type === 'Buffer' && Array.isArray(obj.data)) {
      const bytes = bytesOfNumbers(obj.data);
      if (bytes) return this.found(bytes, where, path, 'Buffer JSON');
    }
    const names = Object.keys(obj);
    const indexed = indexedObject(obj, names);
    if (indexed) return this.found(indexed, where, path, 'indexed object');
    const end = Math.min(names.length, MAX_KEYS_PER_OBJECT);
    for (let i = 0; i < end && this.open; i++) this.walk(obj[names[i]], where, path + step(names[i]), depth + 1, fromJson);
  }
}

/** The candidates whose auth_key_id is one of `keyIds` (16 hex digits, wire order), each with its id. */
export function matchCandidates(candidates: readonly KeyCandidate[], keyIds: ReadonlySet<string>): (KeyCandidate & { keyId: string })[] {
  const out: (KeyCandidate & { keyId: string })[] = [];
  if (keyIds.size === 0) return out;
  for (const candidate of candidates) {
    const keyId = computeAuthKeyId(candidate.bytes);
    if (keyIds.has(keyId)) out.push({ ...candidate, keyId });
  }
  return out;
}
