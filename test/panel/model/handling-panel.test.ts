import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../../src/core/record.ts';
import type { HandlingVerdict } from '../../../src/core/handling/types.ts';
import { applyLogMessage, applyVerdicts, initialLogState } from '../../../src/panel/model/log-model.ts';
import { RecordIndex } from '../../../src/panel/model/record-index.ts';
import { filterRecords, NO_FILTER } from '../../../src/panel/model/filters.ts';
import { recordsByRequest, verdictMark, whatHappenedNext } from '../../../src/panel/model/handling-words.ts';
import { asHandlingVerdict } from '../../../src/panel/files/import-file.ts';
import { loadFilter, saveFilter } from '../../../src/panel/browser/filter-memory.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function verdict(
  kind: HandlingVerdict['verdict'],
  finding: HandlingVerdict['finding'],
  evidence: HandlingVerdict['evidence'] = [],
  extra: Partial<HandlingVerdict> = {},
): HandlingVerdict {
  return {
    verdict: kind,
    rule: { id: 'redirect', text: 'rule' },
    finding,
    detail: 'detail',
    evidence,
    final: kind !== 'pending',
    decidedAt: null,
    pendingUntil: null,
    ...extra,
  };
}

const records = (n: number): ErrorRecord[] => Array.from({ length: n }, (_, i) => ({ ...makeRecord({ message: `E${i}` }), id: i + 1 }) as ErrorRecord);

describe('verdicts in the panel model', () => {
  it('applyVerdicts replaces the records by id (new objects), ignores unknown ids, keeps the array when nothing applies', () => {
    const log = records(5);
    const next = applyVerdicts(log, [
      { id: 3, handling: verdict('violation', 'given-up') },
      { id: 9, handling: verdict('ok', 'resent') },
    ]);
    expect(next).not.toBe(log);
    expect(next[2].handling?.verdict).toBe('violation');
    expect(next[1]).toBe(log[1]);
    expect(applyVerdicts(log, [{ id: 9, handling: verdict('ok', 'resent') }])).toBe(log);
    const state = applyLogMessage(
      { ...initialLogState, records: log, loaded: true },
      { type: 'verdicts', updates: [{ id: 1, handling: verdict('ok', 'resent') }] },
    );
    expect(state.records[0].handling?.finding).toBe('resent');
  });

  it('the index counts violations and filters them, following verdict updates and appends without a full rebuild', () => {
    const index = new RecordIndex();
    let log = records(10);
    index.sync(log);
    expect(index.violationCount).toBe(0);
    log = applyVerdicts(log, [
      { id: 2, handling: verdict('violation', 'given-up') },
      { id: 5, handling: verdict('violation', 'tight-loop') },
    ]);
    index.sync(log);
    expect(index.violationCount).toBe(2);
    const filter = { ...NO_FILTER, violations: true };
    expect(index.filter(filter, 0).map((r) => r.id)).toEqual([2, 5]);
    // A verdict changed and a record appended in one go.
    log = applyVerdicts(log, [{ id: 2, handling: verdict('ok', 'repeated-on-named-dc') }]).concat([
      { ...makeRecord({ handling: verdict('violation', 'early-retry') }), id: 11 } as ErrorRecord,
    ]);
    index.sync(log);
    expect(index.violationCount).toBe(2);
    expect(index.filter(filter, 0).map((r) => r.id)).toEqual([5, 11]);
    expect(filterRecords(log, filter, 0).map((r) => r.id)).toEqual([5, 11]);
  });

  it('the Violations filter is kept in the filter memory', () => {
    const data = new Map<string, string>();
    const store = { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
    saveFilter(store, 4, { ...NO_FILTER, violations: true });
    expect(loadFilter(store, 4).violations).toBe(true);
    expect(loadFilter(store, 5).violations).toBe(false);
  });
});

describe('verdicts in words', () => {
  const base = (h: HandlingVerdict, overrides: Partial<ErrorRecord> = {}) =>
    ({ ...makeRecord({ capturedAt: iso(T0), handling: h, ...overrides }), id: 1 }) as ErrorRecord;
  const ref = (ms: number, dc: number, requestId = 'r1') => ({ requestId, at: iso(T0 + ms), method: 'help.getNearestDc', dc });

  it('marks: ✓ ✕ … – with accessible names; none without a verdict', () => {
    expect(verdictMark(verdict('ok', 'resent'))).toMatchObject({ symbol: '✓', kind: 'ok' });
    expect(verdictMark(verdict('violation', 'given-up'))?.symbol).toBe('✕');
    expect(verdictMark(verdict('pending', 'watching'))?.label).toMatch(/watching/);
    expect(verdictMark(verdict('not-observable', 'method-unknown'))?.symbol).toBe('–');
    expect(verdictMark(undefined)).toBeNull();
  });

  it('what happened next, from the finding and the evidence', () => {
    const redirect = { action: { kind: 'redirect' as const, dc: 2 } };
    expect(whatHappenedNext(base(verdict('ok', 'repeated-on-named-dc', [ref(400, 2)]), redirect))).toBe(
      'followed the redirect to DC 2 after 0.4 s, no error came back',
    );
    expect(whatHappenedNext(base(verdict('violation', 'repeated-on-wrong-dc', [ref(100, 1)]), redirect))).toBe(
      'repeated on DC 1 instead of DC 2, no error came back',
    );
    expect(whatHappenedNext(base(verdict('violation', 'given-up'), redirect))).toBe('gave up: not repeated on DC 2');
    expect(whatHappenedNext(base(verdict('ok', 'retried-after-wait', [ref(2000, 2)])))).toBe('waited, retried after 2.0 s, no error came back');
    const again = { ...makeRecord({ type: 'FLOOD_WAIT_3' }), id: 7 } as ErrorRecord;
    expect(
      whatHappenedNext(base(verdict('violation', 'tight-loop', [ref(10, 2, 'a'), ref(20, 2, 'b'), ref(30, 2, 'c')], { count: 3 })), (id) =>
        id === 'c' ? again : null,
      ),
    ).toBe('retried 3 times in a tight loop, failed again with FLOOD_WAIT_3');
    expect(whatHappenedNext(base(verdict('pending', 'watching')))).toBeNull();
    expect(whatHappenedNext({ ...base(verdict('ok', 'resent')), handling: undefined })).toBeNull();
  });

  it('records by the msg_id of the request they answer', () => {
    const list = [
      { ...makeRecord({ reqMsgId: '5' }), id: 1 },
      { ...makeRecord({}), id: 2 },
    ] as ErrorRecord[];
    expect(recordsByRequest(list).get('5')?.id).toBe(1);
  });

  it('an imported verdict is checked: malformed evidence left out, a foreign one dropped', () => {
    expect(asHandlingVerdict({ verdict: 'maybe', rule: { id: 'x' }, finding: 'y' })).toBeNull();
    const v = asHandlingVerdict({ ...verdict('violation', 'tight-loop', [ref(1, 2)]), evidence: [ref(1, 2), { at: 3 }], count: 3 });
    expect(v?.evidence).toHaveLength(1);
    expect(v?.count).toBe(3);
  });
});
