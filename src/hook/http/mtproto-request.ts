// The HTTP transport (/apiw1) posts one MTProto message per body. Its head is kept with the
// response, so the decoder can name the method an error in the response answers, as it does
// on WebSockets: an unencrypted message's first 256 bytes (key exchange, test setups), or, when
// the user gave keys for this page, an encrypted one's first 4 KB (its method and parameters;
// the background decrypts it). Without keys, encrypted bodies cost an 8-byte read.

import { TRIAGE_LIMITS } from '../../core/mtproto/decrypt/encrypted-triage.ts';
import { bytesOf, copyBytes } from '../common/natives.ts';
import { pageTriage } from '../common/page-session-keys.ts';

/** auth_key_id (8) + msg_id (8) + length (4) + a constructor id (4). */
const MIN_MESSAGE = 24;
const HEAD_BYTES = 256;

/** A copy of the first bytes of a binary request body that is an MTProto message the background can read. */
export function mtprotoRequestHead(body: unknown): Uint8Array | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const bytes = bytesOf(body);
  if (bytes === null || bytes.length < MIN_MESSAGE) return undefined;
  let encrypted = false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== 0) encrypted = true;
  if (!encrypted) return copyBytes(bytes, 0, bytes.length > HEAD_BYTES ? HEAD_BYTES : bytes.length);
  if (!pageTriage.armed) return undefined;
  const take = bytes.length > TRIAGE_LIMITS.requestPrefix ? TRIAGE_LIMITS.requestPrefix : bytes.length;
  return copyBytes(bytes, 0, take);
}
