import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { beforeBuckets, callMenus, filterCalls, isPicked, methodTable, NO_CALL_FILTER, percentile } from '../../../src/panel/model/call-view.ts';
import { mergeCalls } from '../../../src/panel/model/call-merge.ts';
import type { CallRecord } from '../../../src/core/calls/call.ts';

const call = (id: number, at: number, method: string | null, o: Partial<CallRecord> = {}): CallRecord => ({
  id,
  at,
  method,
  dc: 2,
  channel: 'websocket',
  outcome: 'ok',
  durationMs: 10 * id,
  recordId: null,
  ...o,
});

describe('Calls view model', () => {
  it('filters by method, DC, outcome, window and search', () => {
    const calls = [
      call(1, 0, 'a'),
      call(2, 10, 'b', { dc: 4 }),
      call(3, 20, 'a', { outcome: 'error', recordId: 9, errorClass: 'FLOOD' }),
      call(4, 30, null, { dc: null }),
    ];
    expect(filterCalls(calls, NO_CALL_FILTER)).toBe(calls);
    expect(filterCalls(calls, { ...NO_CALL_FILTER, method: { name: 'a' } }).map((c) => c.id)).toEqual([1, 3]);
    // The calls whose method is unknown are a choice of their own, not "any".
    expect(filterCalls(calls, { ...NO_CALL_FILTER, method: { name: null } }).map((c) => c.id)).toEqual([4]);
    expect(filterCalls(calls, { ...NO_CALL_FILTER, dc: '4' }).map((c) => c.id)).toEqual([2]);
    expect(filterCalls(calls, { ...NO_CALL_FILTER, dc: '?' }).map((c) => c.id)).toEqual([4]);
    expect(filterCalls(calls, { ...NO_CALL_FILTER, outcome: 'error' }).map((c) => c.id)).toEqual([3]);
    expect(filterCalls(calls, { ...NO_CALL_FILTER, window: { from: 5, to: 20, label: '' } }).map((c) => c.id)).toEqual([2, 3]);
    expect(filterCalls(calls, { ...NO_CALL_FILTER, search: 'UNKNOWN' }).map((c) => c.id)).toEqual([4]);
  });

  it('tables methods: calls, errors by class, p50/p95 of ok durations, densest 10 s, last flood and its rate', () => {
    const calls = [
      ...Array.from({ length: 20 }, (_, i) => call(i + 1, i * 100, 'messages.getHistory')),
      call(21, 2_100, 'messages.getHistory', { outcome: 'error', errorClass: 'FLOOD', waitSeconds: 17, recordId: 1, durationMs: 5 }),
      call(22, 50_000, 'help.getConfig', { outcome: 'error', errorClass: 'INTERNAL', recordId: 2 }),
    ];
    const [history, config] = methodTable(calls);
    expect(history).toMatchObject({
      method: 'messages.getHistory',
      calls: 21,
      errors: { FLOOD: 1 },
      errorCount: 1,
      p50: 100,
      p95: 190,
      maxPer10s: 21,
      lastFlood: { seconds: 17, maxPer10s: 20 },
    });
    expect(config).toMatchObject({ calls: 1, errors: { INTERNAL: 1 }, p50: null, lastFlood: null });
  });

  it('tables the calls whose method is unknown as a row of their own', () => {
    const calls = [call(1, 0, 'a'), call(2, 10, null), call(3, 20, null, { outcome: 'error', errorClass: 'INTERNAL', recordId: 4 })];
    const rows = methodTable(calls);
    expect(rows.map((r) => [r.method, r.calls, r.errorCount])).toEqual([
      [null, 2, 1],
      ['a', 1, 0],
    ]);
    expect(callMenus(calls).methods).toEqual([null, 'a']);
    expect(isPicked(null, null)).toBe(false);
    expect(isPicked({ name: null }, null)).toBe(true);
    expect(isPicked({ name: null }, 'a')).toBe(false);
  });

  it('percentile is nearest-rank', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 50 }), fc.integer({ min: 1, max: 100 }), (raw, p) => {
        const sorted = [...raw].sort((a, b) => a - b);
        const v = percentile(sorted, p)!;
        expect(sorted.filter((x) => x <= v).length / sorted.length).toBeGreaterThanOrEqual(p / 100);
        expect(sorted.filter((x) => x < v).length / sorted.length).toBeLessThan(p / 100);
      }),
    );
  });

  it('buckets the minute before an error by second, errors marked', () => {
    const calls = [call(1, 0, 'a'), call(2, 59_500, 'a'), call(3, 59_900, 'a', { outcome: 'error' }), call(4, 59_000, 'b')];
    const buckets = beforeBuckets(calls, 60_000, 'a');
    expect(buckets).toHaveLength(60);
    expect(buckets[0]).toEqual({ calls: 1, errors: 0 });
    expect(buckets[59]).toEqual({ calls: 2, errors: 1 });
    expect(buckets.reduce((n, b) => n + b.calls, 0)).toBe(3);
  });

  it('merges changes: new calls appended, known ones replaced, capped', () => {
    const a = [call(1, 0, 'a'), call(2, 0, 'a', { outcome: 'pending', durationMs: null })];
    const b = mergeCalls(a, [call(2, 0, 'a'), call(3, 1, 'b')]);
    expect(b.map((c) => [c.id, c.outcome])).toEqual([
      [1, 'ok'],
      [2, 'ok'],
      [3, 'ok'],
    ]);
    expect(mergeCalls(b, [call(4, 2, 'c')], 2).map((c) => c.id)).toEqual([3, 4]);
    expect(mergeCalls(b, [])).toBe(b);
  });
});
