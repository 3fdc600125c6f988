// The HTTP transport (/apiw1) posts one MTProto message per body. When that message is
// unencrypted (auth_key_id 0: key exchange, and test setups), its head is kept with the
// response, so the decoder can name the method an error in the response answers, as it does
// on WebSockets. Encrypted bodies (every real call after key exchange) cost an 8-byte read.

import { bytesOf, copyBytes } from '../common/natives.ts';

/** auth_key_id (8) + msg_id (8) + length (4) + a constructor id (4). */
const MIN_MESSAGE = 24;
const HEAD_BYTES = 256;

/** A copy of the first bytes of a binary request body that is an unencrypted MTProto message. */
export function plainMtprotoRequestHead(body: unknown): Uint8Array | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const bytes = bytesOf(body);
  if (bytes === null || bytes.length < MIN_MESSAGE) return undefined;
  for (let i = 0; i < 8; i++) if (bytes[i] !== 0) return undefined;
  return copyBytes(bytes, 0, bytes.length > HEAD_BYTES ? HEAD_BYTES : bytes.length);
}
