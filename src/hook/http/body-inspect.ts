// Runs the right prefilter on a body that was read into bytes, and reports hits. An
// encrypted MTProto body (the HTTP transport) is triaged with the keys given for the page,
// as on WebSockets: kept whole when it can carry an error, as its first bytes when it is a
// successful answer; without keys, the first one is reported by its auth_key_id only.

import { mayContainRpcError } from '../common/binary-prefilter.ts';
import { TRIAGE_BYTES, TRIAGE_PREFIX, TRIAGE_UNKNOWN_KEY, TRIAGE_WHOLE } from '../../core/mtproto/decrypt/encrypted-triage.ts';
import { pageTriage } from '../common/page-session-keys.ts';
import { copyBytes, textIndexOf, textSlice } from '../common/natives.ts';
import type { BodyKind } from './body-kind.ts';
import { decodeUtf8 } from '../common/natives.ts';
import { mayContainApiErrorText } from '../common/text-prefilter.ts';
import type { CaptureSource, Reporter } from '../common/report.ts';

/** Reports what a body may hold; true when it reported something that can carry an error. */
export function inspectBodyBytes(report: Reporter, source: CaptureSource, kind: BodyKind, bytes: Uint8Array): boolean {
  if (kind === 'skip' || bytes.length === 0) return false;
  if (kind === 'binary' && isEncryptedMessage(bytes) && isMtprotoHttpUrl(source.url)) {
    inspectEncrypted(report, source, bytes);
    return true;
  }
  if (kind !== 'text' && mayContainRpcError(bytes)) {
    report.binary(source, bytes);
    return true;
  }
  if (kind === 'binary') return false;
  const text = decodeUtf8(bytes);
  if (!mayContainApiErrorText(text)) return false;
  report.text(source, text);
  return true;
}

/** auth_key_id (8) not zero, and room for msg_key and three blocks: an encrypted MTProto message. */
function isEncryptedMessage(bytes: Uint8Array): boolean {
  // auth_key_id, msg_key, then whole AES blocks: the HTTP transport adds no padding.
  if (bytes.length < TRIAGE_BYTES || (bytes.length - 24) % 16 !== 0) return false;
  for (let i = 0; i < 8; i++) if (bytes[i] !== 0) return true;
  return false;
}

/** The HTTP transport's endpoints (`/apiw1`, `/apiw`, `/api`, and their `_test` forms): any other binary body is not MTProto. */
function isMtprotoHttpUrl(url: string): boolean {
  const q = textIndexOf(url, '?');
  const path = q < 0 ? url : textSlice(url, 0, q);
  // The last path segment, with the captured natives only (a page may patch String.prototype).
  let slash = -1;
  for (let at = textIndexOf(path, '/'); at >= 0; at = textIndexOf(path, '/', at + 1)) slash = at;
  const last = slash < 0 ? path : textSlice(path, slash + 1);
  return last === 'api' || last === 'apiw' || last === 'apiw1' || last === 'apiw_test1' || last === 'api_test';
}

/** One unknown-key report per page is enough for the panel to say what it needs. */
let unknownKeyReported = false;

function inspectEncrypted(report: Reporter, source: CaptureSource, bytes: Uint8Array): void {
  const verdict = pageTriage.armed ? pageTriage.triage(true, bytes, 0, TRIAGE_BYTES, bytes.length) : TRIAGE_UNKNOWN_KEY;
  if (verdict === TRIAGE_WHOLE) return report.binary({ ...source, encrypted: 'whole', payloadLength: bytes.length }, bytes);
  if (verdict === TRIAGE_PREFIX) {
    const prefix = copyBytes(bytes, 0, pageTriage.prefixLength(true, bytes.length));
    return report.binary({ ...source, encrypted: 'prefix', payloadLength: bytes.length }, prefix);
  }
  if (verdict === TRIAGE_UNKNOWN_KEY && !unknownKeyReported) {
    unknownKeyReported = true;
    report.binary({ ...source, encrypted: 'unknown-key', payloadLength: bytes.length }, copyBytes(bytes, 0, 8));
  }
}
