import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { serializeBounded, SERIALIZE_LIMITS } from '../../../src/hook/workers/safe-serialize.ts';
import { readClonedOwn } from '../../../src/hook/workers/structured-natives.ts';

describe('bounded serializer', () => {
  it('writes plain data exactly as JSON.stringify does', () => {
    const message = { type: 'result', payload: { taskId: 7, error: { type: 'FLOOD_WAIT_17', code: 420, handled: false, list: [1, 'a', null, true] } } };
    expect(serializeBounded(message)).toBe(JSON.stringify(message));
    expect(serializeBounded(structuredClone(message), readClonedOwn)).toBe(JSON.stringify(message));
  });

  it('skips functions and undefined, marks cycles, writes placeholders for built-ins', () => {
    const cyclic: Record<string, unknown> = { a: 1, f: () => 1, u: undefined };
    cyclic.self = cyclic;
    expect(JSON.parse(serializeBounded(cyclic))).toEqual({ a: 1, self: '[cycle]' });
    expect(
      JSON.parse(serializeBounded({ bytes: new Uint8Array(5), buf: new ArrayBuffer(3), view: new DataView(new ArrayBuffer(2)), big: 12n, nan: NaN })),
    ).toEqual({
      bytes: '[Uint8Array 5 bytes]',
      buf: '[ArrayBuffer 3 bytes]',
      view: '[DataView 2 bytes]',
      big: '12n',
      nan: null,
    });
    expect(JSON.parse(serializeBounded({ when: new Date(0), map: new Map([[1, 2]]), blob: new Blob(['xy']) }))).toEqual({
      when: '[object]',
      map: '[object]',
      blob: '[Blob]',
    });
    expect(JSON.parse(serializeBounded(new TypeError('bad')))).toEqual({ name: 'TypeError', message: 'bad' });
  });

  it('never runs getters or toJSON', () => {
    let calls = 0;
    const message = { toJSON: () => 'replaced', plain: 1 };
    Object.defineProperty(message, 'secret', { enumerable: true, get: () => ++calls });
    expect(JSON.parse(serializeBounded(message))).toEqual({ plain: 1 });
    expect(calls).toBe(0);
  });

  it('caps strings, nodes and depth', () => {
    const long = 'x'.repeat(10_000);
    expect(JSON.parse(serializeBounded({ long })).long.length).toBe(SERIALIZE_LIMITS.maxStringChars + 1);
    expect(serializeBounded(Array.from({ length: 100_000 }, (_, i) => i)).length).toBeLessThan(SERIALIZE_LIMITS.maxNodes * 8);
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = [deep];
    expect(() => JSON.parse(serializeBounded(deep))).not.toThrow();
  });

  it('always returns bounded valid JSON for arbitrary values', () => {
    const anything = fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withObjectString: true,
      withBoxedValues: true,
      maxDepth: 6,
    });
    fc.assert(
      fc.property(anything, (v) => {
        const text = serializeBounded(v);
        expect(() => JSON.parse(text)).not.toThrow();
        expect(() => JSON.parse(serializeBounded(v, readClonedOwn))).not.toThrow();
        expect(text.length).toBeLessThanOrEqual(SERIALIZE_LIMITS.maxChars + SERIALIZE_LIMITS.maxStringChars * 6 + 64);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the output near its character cap for wide values of long strings', () => {
    const wide = Array.from({ length: 5000 }, () => 'y'.repeat(5000));
    expect(serializeBounded(wide).length).toBeLessThan(SERIALIZE_LIMITS.maxChars + SERIALIZE_LIMITS.maxStringChars * 2);
  });
});
