// Which HTTP bodies are worth reading in the page, judged from headers alone.

import { textIndexOf, textLowerCase } from '../common/natives.ts';

/** Bodies longer than this (by Content-Length) are never read. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** How a body is prefiltered: as text, as MTProto bytes, as either (type unknown), or not at all. */
export type BodyKind = 'text' | 'binary' | 'unknown' | 'skip';

// Never-ending or media bodies: reading them would hold the connection and memory for nothing.
const SKIPPED = ['event-stream', 'image/', 'audio/', 'video/', 'font/', 'multipart/'];
const TEXTUAL = ['json', 'javascript', 'text/'];

function containsAny(text: string, needles: string[]): boolean {
  for (let i = 0; i < needles.length; i++) if (textIndexOf(text, needles[i]) !== -1) return true;
  return false;
}

export function bodyKindOf(contentType: string | null): BodyKind {
  if (contentType === null) return 'unknown';
  const type = textLowerCase(contentType);
  if (textIndexOf(type, '/') === -1) return 'unknown';
  if (containsAny(type, SKIPPED)) return 'skip';
  if (textIndexOf(type, 'octet-stream') !== -1) return 'binary';
  if (containsAny(type, TEXTUAL)) return 'text';
  return 'skip';
}

/** A declared length within the cap, or no declared length at all (read with a cap then). */
export function contentLengthAllowsRead(contentLength: string | null): boolean {
  if (contentLength === null || contentLength === '') return true;
  const length = Number(contentLength);
  return Number.isFinite(length) && length >= 0 && length <= MAX_BODY_BYTES;
}
