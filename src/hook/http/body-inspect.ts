// Runs the right prefilter on a body that was read into bytes, and reports hits.

import { mayContainRpcError } from '../common/binary-prefilter.ts';
import type { BodyKind } from './body-kind.ts';
import { decodeUtf8 } from '../common/natives.ts';
import { mayContainApiErrorText } from '../common/text-prefilter.ts';
import type { CaptureSource, Reporter } from '../common/report.ts';

export function inspectBodyBytes(report: Reporter, source: CaptureSource, kind: BodyKind, bytes: Uint8Array): void {
  if (kind === 'skip' || bytes.length === 0) return;
  if (kind !== 'text' && mayContainRpcError(bytes)) {
    report.binary(source, bytes);
    return;
  }
  if (kind === 'binary') return;
  const text = decodeUtf8(bytes);
  if (mayContainApiErrorText(text)) report.text(source, text);
}
