import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { beforeOf, densestSpanStart, maxInSpan, sameMethodByDc } from '../../../src/core/calls/before.ts';
import type { CallRecord } from '../../../src/core/calls/call.ts';

/** The most times in any [s, s + span): every span start tried (a start at a time suffices, but all are tried here). */
function bruteMax(times: number[], span: number): number {
  let best = 0;
  const starts = new Set<number>();
  for (const t of times) for (const d of [-span, -1, 0, 1]) starts.add(t + d);
  for (const s of starts) best = Math.max(best, times.filter((t) => t >= s && t < s + span).length);
  return best;
}

const call = (id: number, at: number, method: string | null, dc: number | null = 2): CallRecord => ({
  id,
  at,
  method,
  dc,
  channel: 'websocket',
  outcome: 'ok',
  durationMs: 1,
  recordId: null,
});

describe('maxInSpan', () => {
  it('equals a brute-force count on random call times', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 60_000 }), { maxLength: 120 }), fc.integer({ min: 1, max: 20_000 }), (raw, span) => {
        const times = [...raw].sort((a, b) => a - b);
        expect(maxInSpan(times, span)).toBe(bruteMax(times, span));
      }),
    );
  });

  it('counts a span as half-open: calls 10 s apart are not in one 10 s span', () => {
    expect(maxInSpan([0, 10_000])).toBe(1);
    expect(maxInSpan([0, 9_999])).toBe(2);
    expect(maxInSpan([])).toBe(0);
  });

  it('names where the densest span starts', () => {
    expect(densestSpanStart([0, 20_000, 21_000, 29_000, 40_000])).toBe(20_000);
    expect(densestSpanStart([])).toBeNull();
  });
});

describe('beforeOf', () => {
  it('counts the tab, the method without the failing call, and the densest 10 s within the 60 s window', () => {
    const t = 1_000_000;
    const calls = [
      call(1, t - 70_000, 'messages.getHistory'), // outside the window
      call(2, t - 50_000, 'messages.getHistory'),
      call(3, t - 9_000, 'messages.getHistory'),
      call(4, t - 5_000, 'messages.getHistory'),
      call(5, t - 4_000, 'help.getConfig'),
      call(6, t - 1_000, 'messages.getHistory'), // the failing call
    ];
    expect(beforeOf(calls, t, 'messages.getHistory', 6)).toEqual({ windowMs: 60_000, calls: 5, sameMethod: { count: 3, maxPer10s: 2 } });
  });

  it('agrees with a brute force on random logs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ at: fc.integer({ min: 0, max: 120_000 }), m: fc.constantFrom('a', 'b', 'c') }), { maxLength: 150 }),
        fc.integer({ min: 0, max: 120_000 }),
        (raw, errorAt) => {
          const calls = raw.sort((x, y) => x.at - y.at).map((r, i) => call(i + 1, r.at, r.m));
          const failing = calls.filter((c) => c.method === 'a' && c.at <= errorAt).at(-1)?.id ?? null;
          const inWindow = calls.filter((c) => c.at >= errorAt - 60_000 && c.at <= errorAt);
          const same = inWindow.filter((c) => c.method === 'a' && c.id !== failing).map((c) => c.at);
          expect(beforeOf(calls, errorAt, 'a', failing)).toEqual({
            windowMs: 60_000,
            calls: inWindow.length,
            sameMethod: { count: same.length, maxPer10s: bruteMax(same, 10_000) },
          });
        },
      ),
    );
  });

  it('splits the method by DC', () => {
    const calls = [call(1, 0, 'x', 2), call(2, 1, 'x', 4), call(3, 2, 'x', 2), call(4, 3, 'x', null), call(5, 4, 'y', 2)];
    expect([...sameMethodByDc(calls, 10, 'x', 3)]).toEqual([
      ['2', 1],
      ['4', 1],
      ['?', 1],
    ]);
  });
});
