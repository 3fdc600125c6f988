// Finds MTProto auth keys in what a user pastes: a key as hex (quoted or not)
// or base64, a Web K `accountN` value, `dcN_auth_key` values (Web K legacy,
// Web A), Web A's session object, a GramJS StringSession or StoreSession
// value, an mtcute string session, or a JSON dump of localStorage holding any
// of these. Layouts, as read in each client's source:
//  - Web K: localStorage `account1..4` = JSON {dc1_auth_key..dc5_auth_key: 512 hex, dcN_server_salt,
//    userId, dcId, date, auth_key_fingerprint} (tweb src/lib/accounts/types.d.ts, accountController.ts);
//    legacy top-level `dcN_auth_key` = JSON string of the hex (updateStorageForLegacy); `t_` prefix on test DCs.
//  - Web A: localStorage `dcN_auth_key` = JSON.stringify(hex); session object {mainDcId, keys: {dc: hex}, hashes}
//    (telegram-tt src/util/sessions.ts).
//  - GramJS StringSession: '1' + base64(dc:u8, addrLen:i16be, addr, port:i16be, key); a Telethon string
//    (263 bytes: dc, IPv4, port, key) is accepted too (gramjs/sessions/StringSession.ts).
//  - GramJS StoreSession: `<name>:authKey` = Buffer JSON {type:'Buffer', data:[...]}, `<name>:dcId`.
//  - mtcute string session: base64url(version u8 (1..3), flags:int, dc option(s), [self], key:bytes)
//    (mtcute packages/core/src/utils/string-session.ts, utils/dcs.ts).
//  - mtcute storage (@mtcute/web IdbStorage): IndexedDB rows {dc, key: Uint8Array(256)} in `authKeys`,
//    {dc, idx, key, expiresAt} in `tempAuthKeys` (`auth_keys`/`temp_auth_keys` before 2024); the content
//    script dumps them with the key as hex (src/content/page-keys.ts); JSON.stringify of a row (the key
//    as {"0": n, ..., "255": n}) or the key as a number array are read too
//    (mtcute packages/web/src/idb/repository/auth-keys.ts).
// Nothing here keeps the input; only AuthKey objects come out.

import { fromBase64, fromHex } from '../mtproto/bytes.ts';
import { TlReader } from '../mtproto/tl/tl-reader.ts';
import { AuthKey, type KeySource } from './auth-key.ts';

export interface ParsedKeys {
  keys: AuthKey[];
  /** Why parts of the input gave no key (never quoting the input). */
  problems: string[];
}

interface Hint {
  dc: number | null;
  source: KeySource | null;
}

const NO_HINT: Hint = { dc: null, source: null };
const MAX_DEPTH = 8;
const MAX_INPUT = 4 << 20;
const DC_KEY = /^(?:t_)?dc(\d{1,4})_auth_key$/;
const HEX_KEY = /^[0-9a-fA-F]{512}$/;

class Collector {
  readonly keys: AuthKey[] = [];
  readonly problems: string[] = [];
  private readonly seen = new Set<string>();

  add(bytes: Uint8Array, source: KeySource, dc: number | null): void {
    if (bytes.length !== 256) {
      this.problem(`a ${source} value holds ${bytes.length} bytes, not a 256-byte auth key`);
      return;
    }
    if (bytes.every((b) => b === 0)) {
      this.problem('an all-zero key was ignored');
      return;
    }
    const key = new AuthKey(bytes, source, validDc(dc));
    if (this.seen.has(key.keyId)) return;
    this.seen.add(key.keyId);
    this.keys.push(key);
  }

  problem(text: string): void {
    if (this.problems.length < 20 && !this.problems.includes(text)) this.problems.push(text);
  }
}

function validDc(dc: number | null): number | null {
  return dc !== null && Number.isInteger(dc) && dc > 0 && dc < 10_000 ? dc : null;
}

/** Standard or URL-safe base64, padding optional, whitespace ignored. */
function decodeBase64(text: string): Uint8Array | null {
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (clean.length === 0 || !/^[A-Za-z0-9+/]+=*$/.test(clean)) return null;
  return fromBase64(clean);
}

function gramjsStringSession(text: string): { dc: number; key: Uint8Array } | null {
  if (text[0] !== '1') return null;
  const b = decodeBase64(text.slice(1));
  if (!b || b.length < 1 + 4 + 2 + 256) return null;
  // Telethon strings carry the IP as 4 (or 16) raw bytes; gramjs reads the 4-byte form by length.
  if (b.length === 1 + 4 + 2 + 256) return { dc: b[0], key: b.subarray(7) };
  if (b.length === 1 + 16 + 2 + 256) return { dc: b[0], key: b.subarray(19) };
  const addressLength = (b[1] << 8) | b[2];
  if (b.length !== 1 + 2 + addressLength + 2 + 256) return null;
  for (let i = 3; i < 3 + addressLength; i++) if (b[i] < 0x20 || b[i] > 0x7e) return null;
  return { dc: b[0], key: b.subarray(5 + addressLength) };
}

const TL_DC_OPTION = 0x18b7a10d;

function mtcuteStringSession(text: string): { dc: number | null; key: Uint8Array } | null {
  const b = decodeBase64(text);
  if (!b || b.length < 1 + 4 + 256 || b[0] < 1 || b[0] > 3) return null;
  const version = b[0];
  const r = new TlReader(b, 1);
  const flags = r.int32('flags');
  const hasMedia = version >= 2 && (flags & 4) !== 0;
  let dc: number | null = null;
  for (let n = 0; n < (hasMedia ? 2 : 1); n++) {
    let id: number;
    if (version === 3) {
      // Basic DC option as bytes: [format 1|2, dc id, flags], ip:string, port:int.
      const opt = r.bytesValue('dc option');
      if (opt.length < 3 || (opt[0] !== 1 && opt[0] !== 2)) return null;
      id = opt[1];
    } else {
      if (r.uint32('dcOption') !== TL_DC_OPTION) return null;
      const optFlags = r.int32('dcOption.flags');
      id = r.int32('dcOption.id');
      r.bytesValue('dcOption.ip_address');
      r.int32('dcOption.port');
      if (optFlags & 1024) r.bytesValue('dcOption.secret');
    }
    if (n === 0) dc = id;
  }
  if (flags & 1) {
    r.raw(8, 'self.user_id');
    r.raw(4, 'self.is_bot');
  }
  const key = r.bytesValue('auth key');
  if (r.error !== null || r.remaining !== 0 || key.length !== 256) return null;
  return { dc, key };
}

function parseToken(token: string, out: Collector, hint: Hint, depth: number): void {
  const text = token.trim();
  if (text.length === 0) return;
  if (HEX_KEY.test(text)) {
    out.add(fromHex(text)!, hint.source ?? 'hex', hint.dc);
    return;
  }
  const first = text[0];
  if (first === '{' || first === '[' || first === '"') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      out.problem('text that starts like JSON is not valid JSON');
      return;
    }
    walk(parsed, out, hint, depth + 1);
    return;
  }
  if (/\s|,|;/.test(text)) {
    for (const part of text.split(/[\s,;]+/)) parseToken(part, out, hint, depth + 1);
    return;
  }
  const gramjs = gramjsStringSession(text);
  if (gramjs) {
    out.add(gramjs.key, 'gramjs-string-session', gramjs.dc);
    return;
  }
  const mtcute = mtcuteStringSession(text);
  if (mtcute) {
    out.add(mtcute.key, 'mtcute-string-session', mtcute.dc);
    return;
  }
  const raw = decodeBase64(text);
  if (raw && raw.length === 256) {
    out.add(raw, hint.source ?? 'base64', hint.dc);
    return;
  }
  if (/^[0-9a-fA-F]+$/.test(text)) out.problem(`a hex value of ${text.length} digits is not a key (512 expected)`);
  else if (text.length >= 40) out.problem(`a value of ${text.length} characters is not a key, session string or JSON`);
}

function bufferJson(value: unknown): Uint8Array | null {
  const data = Array.isArray(value)
    ? value
    : value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer'
      ? (value as { data?: unknown }).data
      : null;
  if (!Array.isArray(data) || data.length !== 256) return null;
  if (!data.every((x) => Number.isInteger(x) && x >= 0 && x <= 255)) return null;
  return Uint8Array.from(data as number[]);
}

const MTCUTE_ROW_FIELDS = new Set(['dc', 'key', 'idx', 'expiresAt']);

/** An mtcute storage row: {dc, key} (and idx, expiresAt for a temporary key), nothing else. */
function isMtcuteRow(obj: Record<string, unknown>): boolean {
  return typeof obj.dc === 'number' && 'key' in obj && Object.keys(obj).every((name) => MTCUTE_ROW_FIELDS.has(name));
}

/** A Uint8Array as JSON.stringify writes it: {"0": n, ..., "255": n}. */
function indexedBytes(value: unknown): Uint8Array | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length !== 256) return null;
  const bytes = new Uint8Array(256);
  for (const [index, byte] of entries) {
    const i = Number(index);
    if (!/^(?:0|[1-9]\d{0,2})$/.test(index) || i > 255 || !Number.isInteger(byte) || (byte as number) < 0 || (byte as number) > 255) return null;
    bytes[i] = byte as number;
  }
  return bytes;
}

function walk(value: unknown, out: Collector, hint: Hint, depth: number): void {
  if (depth > MAX_DEPTH) return;
  if (typeof value === 'string') {
    parseToken(value, out, hint, depth);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const buffer = bufferJson(value);
  if (buffer) {
    out.add(buffer, hint.source ?? 'gramjs-store-session', hint.dc);
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 100)) walk(item, out, hint, depth + 1);
    return;
  }
  const obj = value as Record<string, unknown>;
  if (isMtcuteRow(obj)) {
    const mtcuteHint: Hint = { dc: obj.dc as number, source: 'mtcute-storage' };
    const bytes = indexedBytes(obj.key);
    if (bytes) out.add(bytes, 'mtcute-storage', mtcuteHint.dc);
    else walk(obj.key, out, mtcuteHint, depth + 1);
    return;
  }
  // Web K keeps the account's keys next to userId/dcId; the same names at top level are the legacy copy.
  const isWebKAccount = 'userId' in obj || 'auth_key_fingerprint' in obj || hint.source === 'webk-account';
  for (const [name, child] of Object.entries(obj).slice(0, 500)) {
    const dcMatch = DC_KEY.exec(name);
    if (dcMatch) {
      walk(child, out, { dc: Number(dcMatch[1]), source: isWebKAccount ? 'webk-account' : 'dc-auth-key' }, depth + 1);
    } else if (/^account\d$/.test(name)) {
      walk(child, out, { dc: null, source: 'webk-account' }, depth + 1);
    } else if (name === 'keys' && child && typeof child === 'object' && !Array.isArray(child)) {
      // Web A's session object: {mainDcId, keys: {2: hex}, hashes}.
      for (const [dc, key] of Object.entries(child as Record<string, unknown>)) {
        walk(key, out, { dc: /^\d+$/.test(dc) ? Number(dc) : null, source: 'weba-session' }, depth + 1);
      }
    } else if (name === 'authKey' || name.endsWith(':authKey')) {
      const prefix = name.slice(0, name.length - 'authKey'.length);
      // localStorage values are strings ("2"); a parsed dump may hold the number.
      const dc = Number(obj[prefix + 'dcId']);
      walk(child, out, { dc: Number.isFinite(dc) ? dc : null, source: 'gramjs-store-session' }, depth + 1);
    } else if (typeof child === 'string' && child.length < 300 && !/^[{["]/.test(child)) {
      // Short plain strings (salts, user ids, dates) cannot hold a key.
    } else {
      walk(child, out, NO_HINT, depth + 1);
    }
  }
}

/** Every auth key found in `input`, each once, with its DC when the format names it. */
export function parseAuthKeys(input: string): ParsedKeys {
  const out = new Collector();
  if (typeof input !== 'string' || input.length > MAX_INPUT) {
    out.problem('input is not text or is larger than 4 MB');
    return { keys: out.keys, problems: out.problems };
  }
  parseToken(input, out, NO_HINT, 0);
  if (out.keys.length === 0 && out.problems.length === 0) out.problem('no auth key found');
  return { keys: out.keys, problems: out.problems };
}
