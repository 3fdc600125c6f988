// Shared pieces of the fuzzing pass (issue 14): the case count, structured mutators of valid
// inputs, and the per-case checks (never throws, terminates in time, output bounded).
//
// `npm test` runs each property FUZZ_RUNS times (default below: the whole suite stays well
// under 30 s on two cores); `npm run fuzz` sets FUZZ_RUNS high. FUZZ_SEED replays a run.

import fc from 'fast-check';

const envRuns = Number(process.env.FUZZ_RUNS);
/** Cases per property: FUZZ_RUNS, or the default that `npm test` uses. */
export const FUZZ_RUNS = Number.isFinite(envRuns) && envRuns > 0 ? Math.floor(envRuns) : 300;
/** True under `npm run fuzz`: the per-case time bound is measured over many more cases. */
export const LONG_RUN = FUZZ_RUNS > 1000;

const seed = Number(process.env.FUZZ_SEED);
/** fast-check parameters: `weight` scales the count for cheap (>1) or costly (<1) properties. */
export function params(weight = 1): fc.Parameters<unknown> {
  const p: fc.Parameters<unknown> = { numRuns: Math.max(10, Math.round(FUZZ_RUNS * weight)) };
  if (Number.isFinite(seed)) p.seed = seed;
  return p;
}

/** Generous bound for one case: a hang or a quadratic blow-up fails, a slow machine does not. */
export const CASE_MS = 2000;

/** Runs `fn`, fails when it threw (with the input-independent message) or ran past `ms`. */
export function timed<T>(fn: () => T, ms = CASE_MS): T {
  const t0 = performance.now();
  const out = fn();
  const spent = performance.now() - t0;
  if (spent > ms) throw new Error(`one case took ${spent.toFixed(0)} ms (bound ${ms} ms)`);
  return out;
}

export type Edit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'cut'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'lie'; at: number; value: number }
  | { op: 'dup'; at: number; len: number };

/** Lengths and counts a hostile writer would put in a length field or a vector count. */
export const LIES = [0, 1, 3, 4, 0x7f, 0xfe, 0xff, 0x100, 0xffff, 0x10000, 0xffffff, 0x1000000, 0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff];

export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 16 }) }),
  // A length field or count lied about: a 32-bit little-endian word overwritten, 4-aligned
  // (where TL puts them) or not (abridged lengths, TL string prefixes).
  fc.record({ op: fc.constant('lie' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...LIES), fc.nat()) }),
  fc.record({ op: fc.constant('dup' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
);

export function applyEdits(seed: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let b = Uint8Array.from(seed);
  for (const e of edits) {
    const i = b.length === 0 ? 0 : e.at % b.length;
    switch (e.op) {
      case 'flip':
        if (b.length > 0) b[i] ^= 1 << e.bit;
        break;
      case 'set':
        if (b.length > 0) b[i] = e.value;
        break;
      case 'cut':
        b = b.slice(0, i);
        break;
      case 'insert': {
        const n = new Uint8Array(b.length + e.bytes.length);
        n.set(b.subarray(0, i));
        n.set(e.bytes, i);
        n.set(b.subarray(i), i + e.bytes.length);
        b = n;
        break;
      }
      case 'lie': {
        if (b.length < 4) break;
        const at = e.at % 2 === 0 ? Math.min(i & ~3, b.length - 4) : Math.min(i, b.length - 4);
        new DataView(b.buffer, b.byteOffset).setUint32(at, e.value >>> 0, true);
        break;
      }
      case 'dup': {
        const part = b.slice(i, i + e.len);
        const n = new Uint8Array(b.length + part.length);
        n.set(b.subarray(0, i + part.length));
        n.set(part, i + part.length);
        n.set(b.subarray(i + part.length), i + 2 * part.length);
        b = n;
        break;
      }
    }
  }
  return b;
}

/** A seed with a few structured edits, or the seed cut at random, or random bytes. */
export function mutatedBytes(seeds: readonly Uint8Array[], maxEdits = 6): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.array(edit, { minLength: 1, maxLength: maxEdits })).map(([s, e]) => applyEdits(s, e)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...seeds), fc.nat()).map(([s, n]) => s.slice(0, s.length === 0 ? 0 : n % s.length)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 512 }) },
  );
}

/** Text edits: characters replaced, cut, inserted (including controls and markup), or a part repeated. */
const hostileBits = [
  '"',
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '\u0000',
  '\u202e',
  '\ud800',
  '<script>',
  '\n',
  'data: ',
  '__proto__',
  'constructor',
  '1e999',
  '-0',
  '9007199254740993',
];
export function mutatedText(seeds: readonly string[]): fc.Arbitrary<string> {
  const textEdit = fc.tuple(
    fc.nat(),
    fc.nat(),
    fc.oneof(fc.constantFrom(...hostileBits), fc.string({ maxLength: 8 })),
    fc.constantFrom('cut', 'insert', 'replace', 'drop', 'dup'),
  );
  return fc.tuple(fc.constantFrom(...seeds), fc.array(textEdit, { minLength: 1, maxLength: 5 })).map(([seed, edits]) => {
    let s = seed;
    for (const [at, len, piece, op] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      if (op === 'cut') s = s.slice(0, i);
      else if (op === 'insert') s = s.slice(0, i) + piece + s.slice(i);
      else if (op === 'replace') s = s.slice(0, i) + piece + s.slice(i + piece.length);
      else if (op === 'drop') s = s.slice(0, i) + s.slice(i + (len % 8) + 1);
      else s = s.slice(0, i) + s.slice(i, i + (len % 40) + 1).repeat(1 + (len % 50)) + s.slice(i);
    }
    return s;
  });
}

/** JSON nested `depth` deep around `inner` (arrays or objects). */
export function nestingBomb(depth: number, inner = 'null', objects = false): string {
  return objects ? '{"a":'.repeat(depth) + inner + '}'.repeat(depth) : '['.repeat(depth) + inner + ']'.repeat(depth);
}
