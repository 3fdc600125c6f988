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

  it('empties on cleared', () => {
    const s1 = applyLogMessage(initialLogState, { type: 'snapshot', tabId: 1, pageUrl: null, records: [rec(1)], stats, settings, markers: [] });
    expect(applyLogMessage(s1, { type: 'cleared' }).records).toEqual([]);
  });
});
