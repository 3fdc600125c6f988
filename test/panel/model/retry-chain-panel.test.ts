// The retry chain and the certain-but-open verdict in the panel: the attempts' rows, and the
// chain through export and import (version 1, fields only added).

import { describe, expect, it } from 'vitest';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { HandlingAudit, type AuditEvent, type HandlingVerdict } from '../../../src/core/handling/index.ts';
import { buildExportFile } from '../../../src/core/export-format.ts';
import { parseImportFile } from '../../../src/panel/files/import-file.ts';
import { formatGap, RETRY_PATTERN_WORDS, retryAttemptRows } from '../../../src/panel/model/handling-words.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');

/** Four 500s 60 ms apart (each retry 30 ms after the error before), judged by the real engine. */
function tightLoopVerdicts(final: boolean): Map<number, HandlingVerdict> {
  const audit = new HandlingAudit();
  const base = { family: 't', method: 'updates.getState', dc: 2, fingerprint: 'fp', authKeyId: null, msgId: null };
  const events: AuditEvent[] = [{ kind: 'request', requestId: 'r0', at: T0 - 10, ...base }];
  for (let i = 0; i < 4; i++) {
    if (i > 0) events.push({ kind: 'request', requestId: `r${i}`, at: T0 + i * 60 - 30, ...base });
    events.push({ kind: 'error', id: i + 1, at: T0 + i * 60, code: 500, class: 'INTERNAL', type: 'INTERNAL_SERVER_ERROR', params: {}, ...base });
  }
  const out = new Map<number, HandlingVerdict>();
  for (const e of events) for (const u of audit.add(e)) out.set(u.errorId, u.verdict);
  for (const u of audit.evaluate(final ? T0 + 11_000 : T0 + 1000)) out.set(u.errorId, u.verdict);
  return out;
}

const withVerdicts = (verdicts: Map<number, HandlingVerdict>): ErrorRecord[] =>
  [...verdicts].map(
    ([id, handling]) =>
      ({ ...makeRecord({ capturedAt: new Date(T0 + (id - 1) * 60).toISOString(), code: 500, type: 'INTERNAL_SERVER_ERROR', handling }), id }) as ErrorRecord,
  );

describe('retry chains in the panel', () => {
  it('lists each attempt with its gap and what it got; retries without an error say whether the chain is still watched', () => {
    const records = withVerdicts(tightLoopVerdicts(false));
    const rows = retryAttemptRows(records[2])!;
    expect(rows.map((r) => [r.label, r.gap, r.errorId, r.outcome])).toEqual([
      ['First call', null, 1, '500 INTERNAL_SERVER_ERROR'],
      ['Retry 1', '+30 ms', 2, '500 INTERNAL_SERVER_ERROR'],
      ['Retry 2', '+60 ms', 3, '500 INTERNAL_SERVER_ERROR'],
      ['Retry 3', '+60 ms', 4, '500 INTERNAL_SERVER_ERROR'],
    ]);
    // One verdict on every error of the chain: the tight loop's violation, not yet final.
    for (const r of records)
      expect(r.handling).toMatchObject({ verdict: 'violation', finding: 'tight-loop', final: false, retryChain: { id: 1, pattern: 'tight-loop' } });
    expect(retryAttemptRows({ ...records[0], handling: { ...records[0].handling!, retryChain: undefined } })).toBeNull();
    const open = {
      ...records[0],
      handling: {
        ...records[0].handling!,
        retryChain: {
          ...records[0].handling!.retryChain!,
          attempts: [
            ...records[0].handling!.retryChain!.attempts,
            { at: new Date(T0 + 210).toISOString(), gapMs: 30, requestId: 'r4', errorId: null, code: null, type: null },
          ],
        },
      },
    };
    expect(retryAttemptRows(open)![4].outcome).toBe('no error so far');
    expect(retryAttemptRows({ ...open, handling: { ...open.handling, final: true } })![4].outcome).toBe('no error came back');
    expect(RETRY_PATTERN_WORDS['tight-loop']).toBe('a tight loop (3 retries in a row under 0.5 s)');
    expect([formatGap(60), formatGap(999.6), formatGap(1500)]).toEqual(['60 ms', '1000 ms', '1.5 s']);
  });

  it('export and import keep the verdict, its finality and the chain (version 1)', () => {
    const records = withVerdicts(tightLoopVerdicts(true));
    const file = buildExportFile(records, 'http://127.0.0.1/', new Date(T0 + 20_000));
    expect(file.version).toBe(1);
    const imported = parseImportFile('log.json', JSON.stringify(file));
    if (imported.kind !== 'log') throw new Error(JSON.stringify(imported));
    expect(imported.records.map((r) => r.handling)).toEqual(records.map((r) => r.handling));
    expect(imported.records[3].handling).toMatchObject({ final: true, retryChain: { id: 1, pattern: 'tight-loop' } });
    // A malformed chain is dropped, the verdict kept.
    const broken = {
      ...file,
      errors: [{ ...file.errors[0], handling: { ...file.errors[0].handling, retryChain: { id: 'x', pattern: 'loop', attempts: [] } } }],
    };
    const again = parseImportFile('broken.json', JSON.stringify(broken));
    if (again.kind !== 'log') throw new Error('not imported');
    expect(again.records[0].handling).toMatchObject({ verdict: 'violation' });
    expect(again.records[0].handling!.retryChain).toBeUndefined();
  });
});
