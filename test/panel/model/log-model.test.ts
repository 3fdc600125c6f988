import { describe, expect, it } from 'vitest';
import { applyLogMessage, initialLogState } from '../../../src/panel/model/log-model.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const rec = (id: number) => ({ ...makeRecord(), id }) as ErrorRecord;
const stats = { droppedOldest: 0, dropped: {}, diagnostics: 0 };
const settings = { recording: true, preserveLog: false, maxRecords: 5000 };

describe('applyLogMessage', () => {
  it('replaces everything on a snapshot (a reconnect after a worker restart)', () => {
    const before = applyLogMessage(initialLogState, { type: 'append', records: [rec(9)], stats });
    const after = applyLogMessage(before, { type: 'snapshot', tabId: 1, pageUrl: 'u', records: [rec(1), rec(2)], stats, settings, markers: [] });
    expect(after.records.map((r) => r.id)).toEqual([1, 2]);
    expect(after.loaded).toBe(true);
  });

  it('appends only records it does not have', () => {
    const s1 = applyLogMessage(initialLogState, { type: 'snapshot', tabId: 1, pageUrl: null, records: [rec(1), rec(2)], stats, settings, markers: [] });
    const s2 = applyLogMessage(s1, { type: 'append', records: [rec(2), rec(3)], stats });
    expect(s2.records.map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('a log of 100,000 sent as a snapshot of its oldest records and appends of the rest arrives whole, in order', () => {
    const all = Array.from({ length: 100_000 }, (_, i) => rec(i + 1));
    const big = { ...settings, maxRecords: 100_000 };
    let state = applyLogMessage(initialLogState, { type: 'snapshot', tabId: 1, pageUrl: null, records: all.slice(0, 5000), stats, settings: big, markers: [] });
    for (let at = 5000; at < all.length; at += 5000) state = applyLogMessage(state, { type: 'append', records: all.slice(at, at + 5000), stats });
    expect(state.records).toHaveLength(100_000);
    expect(state.records[0].id).toBe(1);
    expect(state.records.at(-1)!.id).toBe(100_000);
  });

  it('empties on cleared', () => {
    const s1 = applyLogMessage(initialLogState, { type: 'snapshot', tabId: 1, pageUrl: null, records: [rec(1)], stats, settings, markers: [] });
    expect(applyLogMessage(s1, { type: 'cleared' }).records).toEqual([]);
  });
});
