// Shared steps of walking nested objects: budget/depth checks and opening a
// gzip_packed body (its constructor id already read) into a reader over the
// inflated bytes.

import { diagnose, type DecodeContext, type Location } from './context.ts';
import { gunzipCapped } from './gzip.ts';
import { TlReader } from './tl-reader.ts';

/** Counts one object against the budget; false when the budget or depth is exhausted. */
export function enterObject(ctx: DecodeContext, loc: Location, r: TlReader): boolean {
  if (loc.depth > ctx.limits.maxDepth) {
    diagnose(ctx, loc, `nesting deeper than ${ctx.limits.maxDepth}; not decoded`);
    r.pos = r.end;
    return false;
  }
  if (--ctx.objectsLeft < 0) {
    if (ctx.objectsLeft === -1) diagnose(ctx, loc, `more than ${ctx.limits.maxObjects} objects; rest not decoded`);
    r.pos = r.end;
    return false;
  }
  return true;
}

/** Reads packed_data after the gzip_packed id; `start` is the id's position. */
export function openGzipPacked(r: TlReader, ctx: DecodeContext, loc: Location, start: number): { reader: TlReader; loc: Location } | null {
  const packed = r.bytesValue('gzip_packed.packed_data');
  const path = [...loc.path, 'gzip_packed'];
  if (r.error !== null) {
    diagnose(ctx, { ...loc, path }, r.error);
    return null;
  }
  const inflated = gunzipCapped(packed, ctx.limits.gzipOutputCap);
  if (!inflated.ok) {
    diagnose(ctx, { ...loc, path }, inflated.reason);
    return null;
  }
  const compressed = loc.compressed ?? { offset: loc.base + start, length: r.pos - start };
  return {
    reader: new TlReader(inflated.bytes),
    loc: { msgId: loc.msgId, path, base: 0, compressed, depth: loc.depth + 1 },
  };
}
