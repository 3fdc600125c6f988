// Decryption joined to the existing decoder: a decrypted message goes through
// decodeDecryptedMessage, so rpc_result -> gzip_packed -> rpc_error, containers,
// service errors and requests come out exactly as for plaintext captures.
// Offsets in the findings are offsets into the decrypted plaintext.

import type { KeyLookup } from '../../keys/key-ring.ts';
import { decodeDecryptedMessage, decodeMtprotoPayload, type DecodeOptions } from '../tl/decode.ts';
import { decryptMessage, type DecryptDirection, type DecryptedMessage, type DecryptResult } from './decrypt.ts';
import type { DecodeFindings } from '../types.ts';

export type DecryptDecodeOptions = Omit<DecodeOptions, 'direction'> & {
  /** Default 'unknown': both directions are tried and the decoder uses the one that verified. */
  direction?: DecryptDirection;
  start?: number;
  end?: number;
};

/** Decodes a message decryptMessage() returned; the envelope also gets its auth_key_id and msg_key. */
export function decodeDecrypted(message: DecryptedMessage, opts: Omit<DecodeOptions, 'direction'> = {}): DecodeFindings {
  const findings = decodeDecryptedMessage(message.plaintext, { ...opts, direction: message.direction });
  if (findings.envelope) findings.envelope = { ...findings.envelope, authKeyId: message.keyId, msgKey: message.msgKey };
  return findings;
}

export interface DecryptDecodeResult {
  decrypted: DecryptResult;
  findings: DecodeFindings;
}

/**
 * One encrypted transport payload: decrypted with the key its auth_key_id names and decoded.
 * When it cannot be decrypted the findings are the header-only ones decodeMtprotoPayload gives,
 * plus a diagnostic saying why.
 */
export function decryptAndDecode(payload: Uint8Array, keys: KeyLookup, opts: DecryptDecodeOptions = {}): DecryptDecodeResult {
  const { direction, start, end, ...decodeOpts } = opts;
  const decrypted = decryptMessage(payload, keys, { direction, start, end });
  if (decrypted.ok) return { decrypted, findings: decodeDecrypted(decrypted, decodeOpts) };
  const unit = start !== undefined || end !== undefined ? payload.subarray(start ?? 0, end ?? payload.length) : payload;
  const findings = decodeMtprotoPayload(unit, { ...decodeOpts, direction: direction === 'out' ? 'out' : 'in' });
  if (decrypted.reason !== 'not-encrypted' && decrypted.reason !== 'too-short') findings.diagnostics.push(`not decrypted: ${decrypted.message}`);
  return { decrypted, findings };
}
