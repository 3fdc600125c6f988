import { describe, expect, it } from 'vitest';
import { AUDIT_TICK_MS, HandlingAudits, orphanUpdates, type AuditTimers, type RecordVerdict } from '../../../src/background/audit/handling-audits.ts';
import { TabLogStore } from '../../../src/background/log/tab-log-store.ts';
import type { RequestSeen } from '../../../src/core/capture/decode-capture.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import type { HandlingVerdict } from '../../../src/core/handling/types.ts';
import { MemoryStorage } from '../../helpers/memory-storage.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function fakeTimers() {
  let now = T0;
  const queue: { at: number; run: () => void }[] = [];
  const timers: AuditTimers = {
    now: () => now,
    setTimeout: (run, ms) => {
      const entry = { at: now + ms, run };
      queue.push(entry);
      return entry;
    },
    clearTimeout: (handle) => {
      const i = queue.indexOf(handle as (typeof queue)[number]);
      if (i >= 0) queue.splice(i, 1);
    },
  };
  const advance = (ms: number) => {
    const until = now + ms;
    for (;;) {
      queue.sort((a, b) => a.at - b.at);
      const next = queue[0];
      if (!next || next.at > until) break;
      queue.shift();
      now = next.at;
      next.run();
    }
    now = until;
  };
  return { timers, advance, pending: () => queue.length };
}

const record = (id: number, overrides: Partial<ErrorRecord>): ErrorRecord => ({ ...makeRecord(overrides), id }) as ErrorRecord;
const request = (at: number, method: string, extra: Partial<RequestSeen> = {}): RequestSeen => ({
  msgId: null,
  method,
  dc: 2,
  fingerprint: 'f1',
  authKeyId: null,
  at,
  ...extra,
});

const flood = (id: number, at: number) =>
  record(id, {
    capturedAt: iso(at),
    method: 'messages.sendMessage',
    dc: 2,
    request: { params: {}, fingerprint: 'f1' },
    reqMsgId: '100',
    action: { kind: 'wait', retryAt: iso(at + 5000) },
    params: { seconds: 5 },
  });

describe('HandlingAudits (background)', () => {
  it('judges an error from the requests that follow it: an early repeat of a flood-waited call is a violation', () => {
    const { timers } = fakeTimers();
    const audits = new HandlingAudits(() => undefined, timers);
    // The request that failed, then its error: pending while the wait runs.
    const first = audits.see(1, [request(T0 - 50, 'messages.sendMessage', { msgId: '100' })], [flood(1, T0)]);
    expect(first).toHaveLength(1);
    expect(first[0].handling).toMatchObject({ verdict: 'pending', rule: { id: 'flood-wait' }, final: false });
    // The same call 1 s later.
    const updates = audits.see(1, [request(T0 + 1000, 'messages.sendMessage', { msgId: '104' })], []);
    // Certain at once; not final while the wait runs (more early calls would be counted).
    expect(updates).toEqual([{ id: 1, handling: expect.objectContaining({ verdict: 'violation', finding: 'early-retry', final: false, count: 1 }) }]);
    expect(updates[0].handling.evidence).toEqual([{ requestId: '104', at: iso(T0 + 1000), method: 'messages.sendMessage', dc: 2 }]);
    audits.stop();
  });

  it('tabs are separate families: requests of another tab never decide a verdict', () => {
    const { timers } = fakeTimers();
    const audits = new HandlingAudits(() => undefined, timers);
    audits.see(1, [request(T0 - 50, 'messages.sendMessage', { msgId: '100' })], [flood(1, T0)]);
    expect(audits.see(2, [request(T0 + 1000, 'messages.sendMessage')], [])).toEqual([]);
    expect(audits.openCount(1)).toBe(1);
    audits.stop();
  });

  it('the timer closes windows without traffic (about once a second) and stops when nothing is open', () => {
    const { timers, advance, pending } = fakeTimers();
    const ticks: [number, RecordVerdict[]][] = [];
    const audits = new HandlingAudits((tabId, updates) => ticks.push([tabId, updates]), timers);
    audits.see(3, [request(T0 - 50, 'messages.sendMessage', { msgId: '100' })], [flood(1, T0)]);
    expect(pending()).toBe(1);
    advance(4 * AUDIT_TICK_MS);
    expect(ticks).toEqual([]);
    advance(2 * AUDIT_TICK_MS);
    expect(ticks).toHaveLength(1);
    expect(ticks[0][0]).toBe(3);
    expect(ticks[0][1][0].handling).toMatchObject({ verdict: 'ok', finding: 'wait-respected', final: true });
    expect(audits.openCount(3)).toBe(0);
    expect(pending()).toBe(0);
  });

  it('evaluate(now) (a panel connecting) closes passed windows at once; reset forgets the tab', () => {
    const { timers } = fakeTimers();
    const audits = new HandlingAudits(() => undefined, timers);
    audits.see(1, [request(T0 - 50, 'messages.sendMessage', { msgId: '100' })], [flood(1, T0)]);
    expect(audits.evaluate(1, T0 + 6000)[0].handling.finding).toBe('wait-respected');
    audits.see(1, [], [flood(2, T0 + 7000)]);
    audits.reset(1);
    expect(audits.has(1)).toBe(false);
    expect(audits.evaluate(1, T0 + 60_000)).toEqual([]);
    audits.stop();
  });

  it('a worker restart in the middle of a flood wait: the restored audit still judges the early repeat and the patient one', () => {
    const { timers } = fakeTimers();
    const before = new HandlingAudits(() => undefined, timers);
    before.see(1, [request(T0 - 50, 'messages.sendMessage', { msgId: '100' })], [flood(1, T0)]);
    before.see(
      1,
      [request(T0 - 40, 'messages.sendMessage', { msgId: '101', fingerprint: 'f2' })],
      [{ ...flood(2, T0), request: { params: {}, fingerprint: 'f2' }, reqMsgId: '101' }],
    );
    const saved = JSON.parse(JSON.stringify(before.save(1)));
    before.stop();
    expect(before.save(7)).toBeNull();
    // A new worker: only the snapshot.
    const after = new HandlingAudits(() => undefined, timers);
    after.restore(1, saved);
    expect(after.watches(1, 1)).toBe(true);
    expect(after.watches(1, 3)).toBe(false);
    expect(after.see(1, [request(T0 + 2000, 'messages.sendMessage', { msgId: '108', fingerprint: 'f2' })], [])).toEqual([
      { id: 2, handling: expect.objectContaining({ verdict: 'violation', finding: 'early-retry' }) },
    ]);
    // The patient one's ok, and the early one's violation, certain since T0 + 2000, now final (its wait is over).
    expect(after.see(1, [request(T0 + 5200, 'messages.sendMessage', { msgId: '10c' })], [])).toEqual([
      { id: 1, handling: expect.objectContaining({ verdict: 'ok', final: true }) },
      { id: 2, handling: expect.objectContaining({ verdict: 'violation', finding: 'early-retry', final: true }) },
    ]);
    // Verdicts the snapshot missed are settled as before; those it holds are left to the audit.
    const pending: HandlingVerdict = {
      verdict: 'pending',
      rule: { id: 'flood-wait', text: '' },
      finding: 'watching',
      detail: '',
      evidence: [],
      final: false,
      decidedAt: null,
      pendingUntil: iso(T0 + 5000),
    };
    const watched = new HandlingAudits(() => undefined, timers);
    watched.restore(1, saved);
    expect(orphanUpdates([record(1, { handling: pending }), record(9, { handling: pending })], T0, (id) => watched.watches(1, id)).map((u) => u.id)).toEqual([
      9,
    ]);
    after.stop();
    watched.stop();
  });

  it('after a worker restart, stored open verdicts are settled: a violation stays one, a pending one becomes not observable', () => {
    const pending: HandlingVerdict = {
      verdict: 'pending',
      rule: { id: 'flood-wait', text: '' },
      finding: 'watching',
      detail: 'not called again so far',
      evidence: [],
      final: false,
      decidedAt: null,
      pendingUntil: iso(T0 + 5000),
    };
    const violation: HandlingVerdict = {
      ...pending,
      verdict: 'violation',
      finding: 'calls-before-reauth',
      detail: '2 further calls',
      decidedAt: iso(T0 + 300),
      count: 2,
    };
    const done: HandlingVerdict = { ...pending, verdict: 'ok', finding: 'wait-respected', final: true };
    const updates = orphanUpdates(
      [record(1, { handling: pending }), record(2, { handling: violation }), record(3, { handling: done }), record(4, {})],
      T0 + 10_000,
    );
    expect(updates.map((u) => [u.id, u.handling.verdict, u.handling.finding, u.handling.final])).toEqual([
      [1, 'not-observable', 'dropped', true],
      [2, 'violation', 'calls-before-reauth', true],
    ]);
    expect(updates[0].handling.detail).toMatch(/restarted/);
    expect(updates[1].handling.decidedAt).toBe(iso(T0 + 300));
  });
});

describe('TabLogStore.updateHandling', () => {
  it('rewrites the record in its chunk (stored), skips ids no longer in the log', async () => {
    const storage = new MemoryStorage();
    const store = new TabLogStore(storage);
    await store.append(
      1,
      Array.from({ length: 600 }, () => makeRecord()),
    );
    const handling: HandlingVerdict = {
      verdict: 'ok',
      rule: { id: 'flood-wait', text: '' },
      finding: 'wait-respected',
      detail: 'd',
      evidence: [],
      final: true,
      decidedAt: null,
      pendingUntil: null,
    };
    const applied = await store.updateHandling(1, [
      { id: 1, handling },
      { id: 260, handling },
      { id: 600, handling },
      { id: 601, handling },
    ]);
    expect(applied.map((u) => u.id)).toEqual([1, 260, 600]);
    await store.flush();
    const again = await new TabLogStore(storage).records(1);
    expect(again.filter((r) => r.handling).map((r) => r.id)).toEqual([1, 260, 600]);
    expect(await store.updateHandling(2, [{ id: 1, handling }])).toEqual([]);
  });
});
