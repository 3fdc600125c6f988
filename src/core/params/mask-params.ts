// Masks secrets in decoded request parameters before they are shown, stored
// or exported. What goes: phone numbers and login codes (and their hashes),
// passwords and everything SRP (InputCheckPasswordSRP's A and M1), api_hash,
// bot tokens and every *token field, e-mail addresses, secrets, `hash` fields
// that are strings or bytes (invite links, phone_code_hash; cache hashes are
// numbers and stay), access_hash, payment credentials, Passport data, and the
// contents of every bytes value (auth keys and key-exchange data among them),
// which become '<N bytes>'. Bot tokens and runs of 128+ hex or base64
// characters (an auth key as text) are masked wherever they appear in a string.
// Message text itself is kept: it is what a developer debugs (MESSAGE_TOO_LONG...).

import { MASK, maskSecretsInText } from '../capture/mask-secrets.ts';
import type { TlJson, TlJsonObject } from './decode-params.ts';
import { tlConstructorByName } from './tl-schema.ts';

/** Field names masked whatever their type. */
const SECRET_FIELDS = new Set([
  'phone',
  'phone_number',
  'phones',
  'phone_code',
  'phone_code_hash',
  'codes',
  'password',
  'new_password_hash',
  'current_password_hash',
  'hint',
  'A',
  'M1',
  'api_hash',
  'bot_auth_token',
  'secret',
  'secure_secret',
  'ios_push_secret',
  'email',
  'new_email',
  'access_hash',
  'match_code',
]);

/** Field names masked when they hold text or bytes (the same names hold harmless numbers elsewhere). */
const SECRET_WHEN_TEXT = new Set(['code', 'hash', 'nonce', 'data']);

/** Constructors whose every field is private (payment cards, Passport values, SRP, password settings). */
const PRIVATE_CONSTRUCTORS =
  /^(inputPaymentCredentials\w*|inputCheckPasswordSRP|account\.passwordInputSettings|secureSecretSettings|secureCredentialsEncrypted|inputSecureValue|securePlain\w+|paymentRequestedInfo|postAddress|inputPasskeyResponse\w*|inputPasskeyCredential\w*|emailVerification\w+|payments\.validateRequestedInfo)$/;

/**
 * Long hex or base64 runs: an auth key (or part of one: strings are capped when decoded, so a
 * pasted key may arrive cut short) or another binary secret written as text.
 */
const KEY_AS_TEXT = /[0-9a-fA-F]{128,}|[A-Za-z0-9+/_-]{128,}={0,2}/g;

function isBytesMarker(v: TlJson): v is { _: 'bytes'; length: number } {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && v._ === 'bytes' && typeof v.length === 'number';
}

const BYTES_TEXT = /^<\d+ bytes>$/;

function bytesText(v: { length: number }): string {
  return `<${v.length} bytes>`;
}

/** Everything inside a private value, replaced: bytes by their size, the rest by the mask. */
function maskWhole(v: TlJson): TlJson {
  if (isBytesMarker(v)) return bytesText(v);
  if (Array.isArray(v)) return v.map(maskWhole);
  if (typeof v === 'object' && v !== null) {
    const out: TlJsonObject = {};
    for (const [k, child] of Object.entries(v)) out[k] = k === '_' ? child : maskWhole(child);
    return out;
  }
  // null stays null; a value masked before keeps its form ('<N bytes>'), so masking is idempotent.
  if (v === null) return null;
  return typeof v === 'string' && BYTES_TEXT.test(v) ? v : MASK;
}

function maskString(s: string): string {
  const text = s.length >= 128 ? s.replace(KEY_AS_TEXT, MASK) : s;
  return maskSecretsInText(text);
}

/** Whether field `name` of constructor `ctor` holds text or bytes, by the schema (the value's shape as a fallback). */
function holdsText(ctor: string | null, name: string, value: TlJson): boolean {
  const param = ctor ? tlConstructorByName(ctor)?.params.find((p) => p.name === name) : undefined;
  if (param) return param.type === 'string' || param.type === 'bytes' || param.type === 'DataJSON' || param.type === 'JSONValue';
  // Longs are decimal strings, so only non-numeric text counts as text here.
  return isBytesMarker(value) || (typeof value === 'string' && !/^-?\d+$/.test(value));
}

function maskValue(v: TlJson, depth: number): TlJson {
  if (depth > 64) return MASK;
  if (typeof v === 'string') return maskString(v);
  if (Array.isArray(v)) return v.map((x) => maskValue(x, depth + 1));
  if (typeof v !== 'object' || v === null) return v;
  if (isBytesMarker(v)) return bytesText(v);
  const ctor = typeof v._ === 'string' ? v._ : null;
  if (ctor !== null && PRIVATE_CONSTRUCTORS.test(ctor)) return maskWhole(v);
  const out: TlJsonObject = {};
  for (const [name, child] of Object.entries(v)) {
    if (name === '_') out[name] = child;
    else if (
      SECRET_FIELDS.has(name) ||
      /_?token$|^logout_tokens$/.test(name) ||
      (SECRET_WHEN_TEXT.has(name) && holdsText(ctor, name, child)) ||
      (/_hash$/.test(name) && holdsText(ctor, name, child))
    ) {
      out[name] = maskWhole(child);
    } else if (ctor === 'jsonObjectValue' && name === 'value' && typeof v.key === 'string' && isSecretJsonKey(v.key)) {
      // initConnection params and other JSON: {key: 'token', value: ...}.
      out[name] = maskWhole(child);
    } else {
      out[name] = maskValue(child, depth + 1);
    }
  }
  return out;
}

function isSecretJsonKey(key: string): boolean {
  const k = key.toLowerCase();
  return SECRET_FIELDS.has(k) || /token|secret|password|passcode|hash|phone|email|auth/.test(k);
}

/** A masked copy of decoded parameters; the input is not changed. Idempotent. */
export function maskParams(value: TlJson): TlJson {
  return maskValue(value, 0);
}
