// gzip_packed inflation with an output cap. A small gzip_packed can expand a
// thousand-fold, so the stream is inflated in small input slices and abandoned
// as soon as the output passes the cap: a bomb costs at most about cap + 1 MB.

import { Gunzip, gunzipSync } from 'fflate';
import { crc32 } from '../transport/crc32.ts';

export type InflateResult = { ok: true; bytes: Uint8Array } | { ok: false; reason: string };

/** Deflate's best ratio is about 1032:1, so a 1 KB slice yields at most ~1 MB per push. */
const INPUT_SLICE = 1024;
/** Up to this compressed size the one-shot path is used: at most ~4 MB of inflate work. */
const SMALL_INPUT = 4096;

export function gunzipCapped(data: Uint8Array, outputCap: number): InflateResult {
  if (data.length < 18 || data[0] !== 0x1f || data[1] !== 0x8b) {
    return { ok: false, reason: 'gzip_packed: data is not a gzip stream (no 1f 8b header)' };
  }
  // ISIZE (uncompressed size mod 2^32) lets an honest bomb be refused without any work.
  const n = data.length;
  const declared = (data[n - 4] | (data[n - 3] << 8) | (data[n - 2] << 16) | (data[n - 1] << 24)) >>> 0;
  if (declared > outputCap) {
    return { ok: false, reason: `gzip_packed: declared size ${declared} exceeds the ${outputCap}-byte cap; not inflated` };
  }
  // Small inputs: one-shot inflation into a buffer of the declared size is ~10x
  // cheaper than setting up a stream, and its work is bounded by the input
  // size (a lying ISIZE only makes writes past the buffer drop, caught below).
  if (n <= SMALL_INPUT) {
    try {
      return checkTrailer(data, gunzipSync(data, { out: new Uint8Array(declared) }));
    } catch (err) {
      return { ok: false, reason: `gzip_packed: corrupt gzip data (${err instanceof Error ? err.message : String(err)})` };
    }
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  let finished = false;
  try {
    const inflater = new Gunzip((chunk, final) => {
      chunks.push(chunk);
      total += chunk.length;
      if (final) finished = true;
    });
    for (let at = 0; at < n; at += INPUT_SLICE) {
      const end = Math.min(n, at + INPUT_SLICE);
      inflater.push(data.subarray(at, end), end === n);
      if (total > outputCap) {
        return { ok: false, reason: `gzip_packed: output passed the ${outputCap}-byte cap (gzip bomb?); inflation stopped` };
      }
      if (finished) break;
    }
  } catch (err) {
    return { ok: false, reason: `gzip_packed: corrupt gzip data (${err instanceof Error ? err.message : String(err)})` };
  }
  if (!finished) return { ok: false, reason: 'gzip_packed: gzip stream ended early' };
  let out: Uint8Array;
  if (chunks.length === 1) {
    out = chunks[0];
  } else {
    out = new Uint8Array(total);
    let o = 0;
    for (const c of chunks) {
      out.set(c, o);
      o += c.length;
    }
  }
  return checkTrailer(data, out);
}

/** fflate does not check the gzip trailer; corrupted data would otherwise decode as garbage objects. */
function checkTrailer(data: Uint8Array, out: Uint8Array): InflateResult {
  const n = data.length;
  const declaredCrc = (data[n - 8] | (data[n - 7] << 8) | (data[n - 6] << 16) | (data[n - 5] << 24)) >>> 0;
  const declared = (data[n - 4] | (data[n - 3] << 8) | (data[n - 2] << 16) | (data[n - 1] << 24)) >>> 0;
  if (out.length !== declared || crc32(out) !== declaredCrc) {
    return { ok: false, reason: 'gzip_packed: crc32 or size in the gzip trailer does not match the inflated data' };
  }
  return { ok: true, bytes: out };
}
