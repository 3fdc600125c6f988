import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isoFromEpochMs } from '../../src/core/iso-time.ts';

describe('isoFromEpochMs', () => {
  it('formats exactly as Date#toISOString', () => {
    for (const ms of [0, -0, 1, 1.9, -1.9, 86_399_999, 86_400_000, 253_402_300_799_999, 253_402_300_800_000, -62_198_755_200_000, 8.64e15, -8.64e15]) {
      expect(isoFromEpochMs(ms), String(ms)).toBe(new Date(ms).toISOString());
    }
    fc.assert(
      fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
        expect(isoFromEpochMs(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it('returns null where Date cannot', () => {
    for (const ms of [Number.NaN, Infinity, -Infinity, 8.64e15 + 1]) expect(isoFromEpochMs(ms)).toBeNull();
  });
});
