import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FINDER_LIMITS, KeyBytesFinder, matchCandidates } from '../../../src/core/keys/find-key-bytes.ts';
import { computeAuthKeyId } from '../../../src/core/keys/index.ts';
import { toBase64, toHex } from '../../../src/core/mtproto/bytes.ts';

const keyArb = fc.uint8Array({ minLength: 256, maxLength: 256 }).filter((b) => b.some((x) => x !== 0));

/** Ways a client writes 256 bytes into JSON text. */
type TextEncoding = 'hex' | 'HEX' | 'base64' | 'base64url' | 'array' | 'indexed' | 'buffer';
const textEncodings: TextEncoding[] = ['hex', 'HEX', 'base64', 'base64url', 'array', 'indexed', 'buffer'];

function encodeForJson(key: Uint8Array, how: TextEncoding): unknown {
  switch (how) {
    case 'hex':
      return toHex(key);
    case 'HEX':
      return toHex(key).toUpperCase();
    case 'base64':
      return toBase64(key);
    case 'base64url':
      return toBase64(key).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    case 'array':
      return [...key];
    case 'indexed':
      return Object.fromEntries([...key].map((b, i) => [String(i), b]));
    case 'buffer':
      return { type: 'Buffer', data: [...key] };
  }
}

/** Random JSON-ish trees of objects, arrays and scalars (no 256-byte values among them). */
const noiseArb = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string({ maxLength: 20 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 4 }),
  ),
})).node;

/** Puts `value` somewhere inside `tree` (following `steps`), possibly as JSON text inside a string. */
function hide(tree: unknown, value: unknown, steps: number[], asString: boolean): unknown {
  const inner = asString ? JSON.stringify(value) : value;
  if (steps.length === 0 || tree === null || typeof tree !== 'object') return { hidden: inner, rest: tree };
  const [first, ...rest] = steps;
  if (Array.isArray(tree)) {
    const copy = tree.slice();
    if (copy.length === 0) return [hide(null, value, rest, asString)];
    copy[first % copy.length] = hide(copy[first % copy.length], value, rest, asString);
    return copy;
  }
  const obj = { ...(tree as Record<string, unknown>) };
  const names = Object.keys(obj);
  const name = names.length === 0 ? 'k' : names[first % names.length];
  obj[name] = hide(obj[name], value, rest, asString);
  return obj;
}

describe('KeyBytesFinder: storage text', () => {
  it('finds a key hidden anywhere in random nested JSON, in any encoding, and only matches it by id', () => {
    fc.assert(
      fc.property(
        keyArb,
        noiseArb,
        fc.constantFrom(...textEncodings),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.boolean(),
        (key, noise, how, steps, asString) => {
          const text = JSON.stringify(hide(noise, encodeForJson(key, how), steps, asString));
          const finder = new KeyBytesFinder();
          finder.scanText(text, "localStorage['state']");
          const id = computeAuthKeyId(key);
          const matched = matchCandidates(finder.candidates, new Set([id]));
          expect(matched).toHaveLength(1);
          expect(toHex(matched[0].bytes)).toBe(toHex(key));
          expect(matched[0].place.startsWith("localStorage['state']")).toBe(true);
          // Not matched by any other id: a 256-byte value alone is never a key.
          expect(matchCandidates(finder.candidates, new Set(['0123456789abcdef']))).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("names where the key was: localStorage['2authKey'] (JSON array)", () => {
    const key = Uint8Array.from({ length: 256 }, (_, i) => (i * 7 + 3) & 255);
    const finder = new KeyBytesFinder();
    finder.scanText(JSON.stringify([...key]), "localStorage['2authKey']");
    expect(finder.candidates.map((c) => c.place)).toEqual(["localStorage['2authKey'] (JSON array)"]);
    const nested = new KeyBytesFinder();
    nested.scanText(JSON.stringify({ auth: { dcs: [null, { key: toHex(key) }] } }), "sessionStorage['app']");
    expect(nested.candidates.map((c) => c.place)).toEqual(["sessionStorage['app'] → .auth.dcs[1].key (hex)"]);
    const quoted = new KeyBytesFinder();
    quoted.scanText(JSON.stringify(toBase64(key)), "localStorage['k']");
    expect(quoted.candidates.map((c) => c.place)).toEqual(["localStorage['k'] (base64)"]);
  });

  it('keeps no value of another size, no all-zero value, no numbers out of 0..255', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 600 }).filter((b) => b.length !== 256),
        (bytes) => {
          const finder = new KeyBytesFinder();
          finder.scanText(JSON.stringify({ a: toHex(bytes), b: toBase64(bytes), c: [...bytes] }), 'x');
          expect(finder.candidates).toEqual([]);
        },
      ),
    );
    const finder = new KeyBytesFinder();
    finder.scanText(
      JSON.stringify({
        zero: '00'.repeat(256),
        big: Array.from({ length: 256 }, () => 256),
        neg: Array.from({ length: 256 }, () => -1),
        frac: Array.from({ length: 256 }, () => 1.5),
      }),
      'x',
    );
    expect(finder.candidates).toEqual([]);
  });

  it('a value of 256 bytes found twice is one candidate, under its first place', () => {
    const key = Uint8Array.from({ length: 256 }, (_, i) => i);
    const finder = new KeyBytesFinder();
    finder.scanText(toHex(key), 'a');
    finder.scanText(JSON.stringify([...key]), 'b');
    expect(finder.candidates.map((c) => c.place)).toEqual(['a (hex)']);
  });
});

describe('KeyBytesFinder: IndexedDB values', () => {
  it('finds Uint8Array, ArrayBuffer, other typed arrays, DataView, arrays and Maps of 256 bytes', () => {
    const key = Uint8Array.from({ length: 256 }, (_, i) => (i * 13 + 1) & 255);
    const cases: [unknown, string][] = [
      [{ dc: 2, key: key.slice() }, 'IDB → .key (Uint8Array)'],
      [{ deep: { buf: key.slice().buffer } }, 'IDB → .deep.buf (ArrayBuffer)'],
      [new Int32Array(key.slice().buffer), 'IDB (Int32Array)'],
      [[0, new DataView(key.slice().buffer)], 'IDB → [1] (DataView)'],
      [{ list: [...key] }, 'IDB → .list (array)'],
      [new Map([['k', key.slice()]]), 'IDB → .get(k) (Uint8Array)'],
      [{ text: JSON.stringify({ inner: toHex(key) }) }, 'IDB → .text.inner (hex)'],
    ];
    for (const [value, place] of cases) {
      const finder = new KeyBytesFinder();
      finder.scanValue(value, 'IDB');
      expect(finder.candidates.map((c) => c.place)).toEqual([place]);
      expect(toHex(finder.candidates[0].bytes)).toBe(toHex(key));
    }
    // A view of 256 bytes inside a larger buffer: only its own bytes.
    const big = new Uint8Array(1024);
    big.set(key, 100);
    const finder = new KeyBytesFinder();
    finder.scanValue({ k: big.subarray(100, 356) }, 'IDB');
    expect(toHex(finder.candidates[0].bytes)).toBe(toHex(key));
  });

  it('survives cycles-free hostile shapes: deep nesting, huge arrays, getters are not called', () => {
    let deep: unknown = { key: 'ab'.repeat(256) };
    for (let i = 0; i < 50; i++) deep = { d: deep };
    const finder = new KeyBytesFinder();
    finder.scanValue(deep, 'IDB');
    expect(finder.candidates).toEqual([]); // beyond maxDepth
    const wide = new KeyBytesFinder();
    wide.scanValue(
      Array.from({ length: 100_000 }, () => ({ a: 1 })),
      'IDB',
    );
    expect(wide.candidates).toEqual([]);
  });
});

describe('KeyBytesFinder: caps', () => {
  it('stops at the value, byte and candidate caps, and says it was capped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 }), (maxValues, maxCandidates) => {
        const finder = new KeyBytesFinder({ ...FINDER_LIMITS, maxValues, maxCandidates });
        for (let i = 0; i < 50; i++) {
          const key = new Uint8Array(256).fill(i + 1);
          finder.scanText(toHex(key), `v${i}`);
        }
        expect(finder.stats.values).toBeLessThanOrEqual(maxValues);
        expect(finder.candidates.length).toBeLessThanOrEqual(Math.min(maxValues, maxCandidates));
        expect(finder.stats.capped).toBe(true);
        expect(finder.open).toBe(false);
      }),
    );
    const bytes = new KeyBytesFinder({ ...FINDER_LIMITS, maxBytes: 10_000 });
    for (let i = 0; i < 100; i++) bytes.scanText('x'.repeat(512), `v${i}`);
    expect(bytes.stats.bytes).toBeLessThanOrEqual(10_000);
    expect(bytes.stats.capped).toBe(true);
    const large = new KeyBytesFinder({ ...FINDER_LIMITS, maxValueChars: 1000 });
    large.scanText(JSON.stringify({ pad: 'x'.repeat(2000), key: 'ab'.repeat(256) }), 'big');
    expect(large.candidates).toEqual([]);
    expect(large.stats.skippedLarge).toBe(1);
  });

  it('bounds the nodes of one value', () => {
    const finder = new KeyBytesFinder({ ...FINDER_LIMITS, maxNodesPerValue: 100 });
    const value = Array.from({ length: 500 }, (_, i) => ({ i }));
    finder.scanValue([...value, { key: new Uint8Array(256).fill(7) }], 'IDB');
    expect(finder.candidates).toEqual([]);
    expect(finder.stats.capped).toBe(true);
  });
});
