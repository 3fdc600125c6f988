// What the background keeps of each outgoing request it can read (decrypted MTProto): its
// parameters with secrets masked, for the detail pane and the export, and a fingerprint that
// is equal exactly when a later request repeats it unchanged, for the handling audit.
//
// The fingerprint hashes the unmasked parameters (bytes values by a digest of their contents)
// with a salt the caller draws at random and never stores, so it tells "identical" from
// "changed" without revealing anything (a code or password cannot be found from it).
// random_id fields are left out: clients draw a new one for every send, repeat or not.

import { Sha256 } from '../mtproto/crypto/sha256.ts';
import { toHex } from '../mtproto/bytes.ts';
import type { DescribeRequest } from '../mtproto/tl/request-tracker.ts';
import { decodeTlObject, type TlJson } from './decode-params.ts';
import { maskParams } from './mask-params.ts';

/** Masked parameters longer than this are cut (the detail pane shows the start). */
export const MAX_PARAMS_CHARS = 4096;
const IGNORED_FIELDS = new Set(['random_id']);

const encoder = new TextEncoder();

/** JSON with keys sorted and random_id dropped, so equal requests give equal text. */
function canonical(value: TlJson): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const keys = Object.keys(value)
    .filter((k) => !IGNORED_FIELDS.has(k))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

/** A describer bound to one salt (at least 16 random bytes, drawn by the caller). */
export function createRequestDescriber(salt: Uint8Array): DescribeRequest {
  const hasher = new Sha256();
  const digestOf = (bytes: Uint8Array): string => {
    const out = new Uint8Array(32);
    hasher.update(salt).update(bytes).digestInto(out, 0);
    return toHex(out, 0, 12);
  };
  return (bytes, start, end) => {
    const decoded = decodeTlObject(bytes, { start, end, digest: digestOf });
    if (decoded.value === null) return null;
    const fingerprint = digestOf(encoder.encode(canonical(decoded.value)));
    let params = JSON.stringify(stripDigests(maskParams(decoded.value)));
    if (params.length > MAX_PARAMS_CHARS) params = JSON.stringify({ _: 'truncated', start: params.slice(0, MAX_PARAMS_CHARS) });
    return { params, fingerprint };
  };
}

/** Digests serve the fingerprint only; the shown parameters keep just the sizes. */
function stripDigests(value: TlJson): TlJson {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(stripDigests);
  const out: Record<string, TlJson> = {};
  for (const [k, v] of Object.entries(value)) if (k !== 'digest' || value._ !== 'bytes') out[k] = stripDigests(v);
  return out;
}
