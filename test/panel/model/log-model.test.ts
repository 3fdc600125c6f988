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

describe('a snapshot whose older records are stored (read by the panel from the database)', () => {
  const all = Array.from({ length: 3000 }, (_, i) => rec(i + 1));
  const big = { ...settings, maxRecords: 100_000 };
  const stored = { db: 'tab-logs', store: 'kv', keys: ['log:1:c0', 'log:1:c1'], count: 2000, beforeId: 2001 };
  const opened = () =>
    applyLogMessage(initialLogState, { type: 'snapshot', tabId: 1, pageUrl: null, records: all.slice(2000), stats, settings: big, markers: [], stored });
  const older = (records: ErrorRecord[], done = true, beforeId = 2001) => ({ type: 'older' as const, beforeId, records, done });

  it('shows the newest at once, then puts the older before them: the whole log, in order', () => {
    const s1 = opened();
    expect(s1.records.map((r) => r.id)).toEqual(all.slice(2000).map((r) => r.id));
    expect(s1.older).toEqual(stored);
    const s2 = applyLogMessage(s1, older(all.slice(0, 2000)));
    expect(s2.records.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(s2.older).toBeNull();
  });

  it('keeps appends that arrived meanwhile after the older records, and takes no record twice', () => {
    let s = opened();
    s = applyLogMessage(s, { type: 'append', records: [rec(3001), rec(3002)], stats });
    // The database may hold a record the snapshot sent too (the newest chunk read late): skipped.
    s = applyLogMessage(s, older(all.slice(0, 2001)));
    expect(s.records.map((r) => r.id)).toEqual([...all.map((r) => r.id), 3001, 3002]);
  });

  it('takes older records sent over the port in several batches, oldest first', () => {
    let s = opened();
    s = applyLogMessage(s, older(all.slice(0, 500), false));
    s = applyLogMessage(s, older(all.slice(500, 1500), false));
    expect(s.older).not.toBeNull();
    s = applyLogMessage(s, older(all.slice(1500, 2000), false));
    s = applyLogMessage(s, older([], true));
    expect(s.records.map((r) => r.id)).toEqual(all.map((r) => r.id));
    expect(s.older).toBeNull();
  });

  it('ignores older records of another snapshot, or after the log was cleared', () => {
    const s = opened();
    expect(applyLogMessage(s, older(all.slice(0, 2000), true, 99))).toBe(s);
    const cleared = applyLogMessage(s, { type: 'cleared' });
    expect(applyLogMessage(cleared, older(all.slice(0, 2000))).records).toEqual([]);
  });

  it('applies verdicts and sightings that came while the older records were read (they may be read as they were before)', () => {
    let s = opened();
    s = applyLogMessage(s, { type: 'verdicts', updates: [{ id: 10, handling: { verdict: 'violation', reason: 'r' } as never }] });
    s = applyLogMessage(s, { type: 'sightings', updates: [{ id: 11, reachedPage: { at: 't' } as never }] });
    s = applyLogMessage(s, older(all.slice(0, 2000)));
    expect(s.records[9].handling?.verdict).toBe('violation');
    expect(s.records[10].reachedPage).toEqual({ at: 't' });
    expect(s.heldUpdates).toEqual([]);
    // Once loaded, nothing more is held.
    s = applyLogMessage(s, { type: 'verdicts', updates: [{ id: 12, handling: { verdict: 'ok', reason: 'r' } as never }] });
    expect(s.heldUpdates).toEqual([]);
  });

  it('keeps the cap when the older records come', () => {
    const s = applyLogMessage(
      applyLogMessage(initialLogState, {
        type: 'snapshot',
        tabId: 1,
        pageUrl: null,
        records: all.slice(2000),
        stats,
        settings: { ...settings, maxRecords: 2000 },
        markers: [],
        stored,
      }),
      older(all.slice(0, 2000)),
    );
    expect(s.records).toHaveLength(2000);
    expect(s.records.at(-1)!.id).toBe(3000);
  });
});
