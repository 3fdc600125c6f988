import { describe, expect, it } from 'vitest';
import { HandlingAudit, auditTimeline } from '../../../src/core/handling/index.ts';
import { err, hello, req, s, verdict } from './helpers.ts';

const migrate = (over = {}) =>
  err(1, { code: 303, class: 'ERROR_SEE_OTHER', type: 'PHONE_MIGRATE_4', params: { dc: 4 }, method: 'auth.sendCode', dc: 2, ...over });
const flood = (seconds = 17, over = {}) => err(1, { code: 420, class: 'FLOOD', type: `FLOOD_WAIT_${seconds}`, params: { seconds }, ...over });
const badRequest = (over = {}) => err(1, { code: 400, class: 'BAD_REQUEST', type: 'PEER_ID_INVALID', ...over });
const unauthorized = (over = {}) => err(1, { code: 401, class: 'UNAUTHORIZED', type: 'AUTH_KEY_UNREGISTERED', method: 'updates.getState', ...over });

describe('303 *_MIGRATE_X', () => {
  it('is ok when the method is repeated on DC X', () => {
    const v = verdict([hello(), migrate(), req(0.4, { method: 'auth.sendCode', dc: 4, requestId: 'x1' })], s(1));
    expect(v).toMatchObject({ verdict: 'ok', finding: 'repeated-on-named-dc', final: true, rule: { id: 'redirect' } });
    expect(v.detail).toBe('repeated on DC 4, as the error named, after 0.4 s');
    expect(v.evidence).toEqual([{ requestId: 'x1', at: '2026-11-21T12:00:00.400Z', method: 'auth.sendCode', dc: 4 }]);
    expect(v.decidedAt).toBe('2026-11-21T12:00:00.400Z');
  });

  it('is a violation when repeated on the same or another DC', () => {
    const same = verdict([hello(), migrate(), req(0.4, { method: 'auth.sendCode', dc: 2 })], s(1));
    expect(same).toMatchObject({ verdict: 'violation', finding: 'repeated-on-wrong-dc', final: false, count: 1, decidedAt: '2026-11-21T12:00:00.400Z' });
    expect(verdict([hello(), migrate(), req(0.4, { method: 'auth.sendCode', dc: 2 })], s(61))).toMatchObject({ verdict: 'violation', final: true });
    expect(same.detail).toBe('repeated on the same DC 2 after 0.4 s; the error named DC 4');
    const other = verdict([hello(), migrate(), req(1, { method: 'auth.sendCode', dc: 3 })], s(2));
    expect(other.detail).toBe('repeated on DC 3 after 1.0 s; the error named DC 4');
  });

  it('is pending until REDIRECT_GIVE_UP_MS, then a given-up violation', () => {
    const events = [hello(), migrate(), req(1, { method: 'messages.getDialogs', dc: 2 })];
    const pending = verdict(events, s(30));
    expect(pending).toMatchObject({ verdict: 'pending', final: false, decidedAt: null, pendingUntil: '2026-11-21T12:01:00.000Z' });
    const late = verdict(events, s(61));
    expect(late).toMatchObject({ verdict: 'violation', finding: 'given-up', final: true, decidedAt: '2026-11-21T12:01:00.000Z' });
    // A repeat after the window does not count.
    expect(verdict([...events, req(70, { method: 'auth.sendCode', dc: 4 })], s(71)).finding).toBe('given-up');
  });

  it('counts a repeat exactly at the end of the window', () => {
    expect(verdict([hello(), migrate(), req(60, { method: 'auth.sendCode', dc: 4 })], s(60)).finding).toBe('repeated-on-named-dc');
    expect(verdict([hello(), migrate(), req(60, { method: 'auth.sendCode', dc: 4 })], s(90)).finding).toBe('repeated-on-named-dc');
  });

  it('is not-observable when the repeat went to an unknown DC or the error names none', () => {
    expect(verdict([hello(), migrate(), req(0.2, { method: 'auth.sendCode', dc: null })], s(1)).finding).toBe('repeated-dc-unknown');
    expect(verdict([hello(), migrate({ type: 'FILE_MIGRATE', params: {} })], s(1)).finding).toBe('no-target-dc');
  });

  it('reads X from the type when the params lack it, and ignores calls with other input', () => {
    const v = verdict(
      [hello(), migrate({ params: {} }), req(0.1, { method: 'auth.sendCode', dc: 2, fingerprint: 'other' }), req(0.2, { method: 'auth.sendCode', dc: 4 })],
      s(1),
    );
    expect(v.finding).toBe('repeated-on-named-dc');
  });

  it('gives up when evaluate(now) passes the window (incremental)', () => {
    const audit = new HandlingAudit();
    audit.add(hello());
    expect(audit.add(migrate())[0].verdict.verdict).toBe('pending');
    expect(audit.evaluate(s(59))).toEqual([]);
    const [update] = audit.evaluate(s(61));
    expect(update.verdict.finding).toBe('given-up');
    expect(audit.stats.openErrors).toBe(0);
  });
});

describe('420 with a wait', () => {
  it('is a violation when called again before retryAt, saying by how much', () => {
    const v = verdict([hello(), flood(), req(13.8)], s(14));
    // Certain at the call; early calls are counted until the wait ends.
    expect(v).toMatchObject({
      verdict: 'violation',
      finding: 'early-retry',
      final: false,
      count: 1,
      decidedAt: '2026-11-21T12:00:13.800Z',
      pendingUntil: '2026-11-21T12:00:17.000Z',
    });
    expect(v.detail).toBe('called again 3.2 s before the wait ended (a 17 s wait, called after 13.8 s)');
    const later = verdict([hello(), flood(), req(13.8), req(14.5), req(16.9)], s(18));
    expect(later).toMatchObject({ verdict: 'violation', final: true, count: 2, decidedAt: '2026-11-21T12:00:13.800Z' });
    expect(later.detail).toBe('called again 3.2 s before the wait ended (a 17 s wait, called after 13.8 s); 2 early calls');
  });

  it('is ok after retryAt, or within the tolerance', () => {
    expect(verdict([hello(), flood(), req(16.8)], s(18))).toMatchObject({
      verdict: 'ok',
      finding: 'retried-after-wait',
      detail: 'called again as the 17 s wait ended',
    });
    expect(verdict([hello(), flood(), req(17)], s(18)).finding).toBe('retried-after-wait');
    // Calls after retryAt are not watched: the wait was respected.
    expect(verdict([hello(), flood(), req(17.3)], s(18))).toMatchObject({ verdict: 'ok', finding: 'wait-respected' });
  });

  it('is pending until retryAt, then ok', () => {
    const events = [hello(), flood(), req(3, { method: 'messages.getHistory' }), req(4, { fingerprint: 'fp-other' })];
    expect(verdict(events, s(10))).toMatchObject({ verdict: 'pending', pendingUntil: '2026-11-21T12:00:17.000Z' });
    expect(verdict(events, s(18))).toMatchObject({ verdict: 'ok', finding: 'wait-respected', detail: 'not called again during the 17 s wait' });
  });

  it('counts any input when fingerprints are unknown, and takes retryAt from the record', () => {
    expect(verdict([hello(), flood(17, { fingerprint: null }), req(2, { fingerprint: 'anything' })], s(3)).verdict).toBe('violation');
    const slow = flood(0, { type: 'SLOWMODE_WAIT_X', params: {}, retryAt: s(30) });
    expect(verdict([hello(), slow, req(20)], s(21)).detail).toBe('called again 10 s before the wait ended (a 30 s wait, called after 20 s)');
  });

  it('is not-observable without a wait time', () => {
    expect(verdict([hello(), flood(0, { type: 'FLOOD', params: {} })], s(1)).finding).toBe('no-wait-time');
  });
});

describe('400, 403, 404: no identical repeat', () => {
  it('is a violation when the identical request is repeated', () => {
    const v = verdict([hello(), badRequest(), req(1.2, { requestId: 'again' })], s(2));
    expect(v).toMatchObject({
      verdict: 'violation',
      finding: 'identical-repeat',
      detail: 'repeated unchanged after 1.2 s',
      final: false,
      count: 1,
      decidedAt: '2026-11-21T12:00:01.200Z',
    });
    expect(v.evidence.map((r) => r.requestId)).toEqual(['again']);
    // The repeats are counted until the window closes; then nothing can change it.
    const closed = verdict([hello(), badRequest(), req(1.2), req(3)], s(11));
    expect(closed).toMatchObject({
      verdict: 'violation',
      detail: 'repeated unchanged after 1.2 s (2 times)',
      final: true,
      count: 2,
      decidedAt: '2026-11-21T12:00:01.200Z',
    });
  });

  it('is ok with changed input once the quiet period has passed, pending before', () => {
    const events = [hello(), badRequest(), req(2, { fingerprint: 'fp-2' })];
    expect(verdict(events, s(5))).toMatchObject({ verdict: 'pending', pendingUntil: '2026-11-21T12:00:10.000Z' });
    expect(verdict(events, s(11))).toMatchObject({
      verdict: 'ok',
      finding: 'changed-input',
      detail: 'called again with changed input after 2.0 s, no unchanged repeat within 10 s',
    });
    // ...unless the identical request comes later in the window.
    expect(verdict([...events, req(6)], s(11)).finding).toBe('identical-repeat');
  });

  it('is ok when not repeated', () => {
    expect(verdict([hello(), badRequest(), req(1, { method: 'messages.getDialogs' })], s(11))).toMatchObject({ verdict: 'ok', finding: 'not-repeated' });
  });

  it("is not-observable without the failing request's fingerprint, or when the repeat's cannot be read", () => {
    expect(verdict([hello(), badRequest({ fingerprint: null }), req(1)], s(2))).toMatchObject({
      verdict: 'not-observable',
      finding: 'input-unknown',
      final: true,
    });
    expect(verdict([hello(), badRequest(), req(1, { fingerprint: null })], s(11))).toMatchObject({ verdict: 'not-observable', finding: 'input-unknown' });
  });

  it('takes the fingerprint from the request the error answers (msg_id pairing)', () => {
    const sent = req(-0.5, { msgId: '7001', fingerprint: 'fp-9' });
    const v = verdict([sent, badRequest({ fingerprint: null, method: null, msgId: '7001' }), req(1, { fingerprint: 'fp-9', msgId: '7005' })], s(2));
    expect(v.finding).toBe('identical-repeat');
  });

  it('applies the same rule to 403 and 404', () => {
    const forbidden = err(1, { code: 403, class: 'FORBIDDEN', type: 'CHAT_WRITE_FORBIDDEN' });
    expect(verdict([hello(), forbidden, req(0.5)], s(1))).toMatchObject({ verdict: 'violation', rule: { id: 'forbidden' } });
    const notFound = err(1, { code: 404, class: 'NOT_FOUND', type: 'METHOD_NOT_FOUND' });
    expect(verdict([hello(), notFound], s(11))).toMatchObject({ verdict: 'ok', rule: { id: 'not-found' } });
  });
});

describe('401', () => {
  it('counts further non-auth calls with the same key, up to the auth.* call', () => {
    const events = [
      hello(),
      unauthorized(),
      req(0.1, { method: 'messages.getDialogs' }),
      req(0.5, { method: 'messages.getDialogs' }),
      req(1, { method: 'updates.getState' }),
    ];
    const open = verdict(events, s(2));
    expect(open).toMatchObject({ verdict: 'violation', finding: 'calls-before-reauth', count: 2, final: false, decidedAt: '2026-11-21T12:00:00.500Z' });
    const closed = verdict([...events, req(3, { method: 'auth.signIn' }), req(4, { method: 'messages.getDialogs' })], s(5));
    expect(closed).toMatchObject({ verdict: 'violation', count: 2, final: true });
    expect(closed.detail).toBe('2 further calls with the refused key, the first 0.5 s after the error, before auth.signIn after 3.0 s');
    expect(closed.evidence.map((r) => r.method)).toEqual(['messages.getDialogs', 'updates.getState', 'auth.signIn']);
  });

  it('is ok when an auth.* call or a new key comes first', () => {
    expect(verdict([hello(), unauthorized(), req(0.3, { method: 'help.getConfig' }), req(0.5, { method: 'auth.sendCode' })], s(1))).toMatchObject({
      verdict: 'ok',
      finding: 'reauthorized',
    });
    expect(verdict([hello(), unauthorized(), req(2, { method: 'users.getFullUser', authKeyId: 'bbbb000000000000' })], s(3))).toMatchObject({
      verdict: 'ok',
      finding: 'key-changed',
    });
    expect(verdict([hello(), unauthorized(), req(2, { method: 'req_pq_multi', authKeyId: null })], s(3)).finding).toBe('key-changed');
  });

  it('does not count calls on other DCs, calls already in flight, or calls needing no authorization', () => {
    const events = [
      hello(),
      unauthorized(),
      req(0.1, { method: 'messages.getDialogs' }),
      req(1, { method: 'upload.getFile', dc: 4 }),
      req(2, { method: 'langpack.getStrings' }),
    ];
    expect(verdict(events, s(5))).toMatchObject({ verdict: 'pending', count: 0 });
    expect(verdict(events, s(31))).toMatchObject({ verdict: 'ok', finding: 'no-further-calls', final: true });
  });
});

describe('500 and unknown codes', () => {
  it('is a violation for a tight loop', () => {
    const v = verdict([hello(), err(1), req(0.1), req(0.2), req(0.35)], s(1));
    expect(v).toMatchObject({ verdict: 'violation', finding: 'tight-loop', count: 3, final: false, decidedAt: '2026-11-21T12:00:00.350Z' });
    expect(v.detail).toBe('a tight loop: 3 retries, 100 ms, 100 ms, 150 ms apart (3 in a row under 0.5 s)');
    expect(verdict([hello(), err(1), req(0.1), req(0.2), req(0.35), req(2)], s(11))).toMatchObject({
      verdict: 'violation',
      count: 4,
      final: true,
      decidedAt: '2026-11-21T12:00:00.350Z',
    });
  });

  it('is ok for retries with backoff, or steady retries, once the window closes', () => {
    const backoff = [hello(), err(1), req(1), req(2.5), req(4.75)];
    expect(verdict(backoff, s(5))).toMatchObject({ verdict: 'pending', count: 3 });
    const v = verdict(backoff, s(11));
    expect(v).toMatchObject({ verdict: 'ok', finding: 'retried-with-backoff', count: 3 });
    expect(v.detail).toBe('retried 3 times in 10 s, 1.0 s, 1.5 s, 2.3 s apart (growing)');
    expect(verdict([hello(), err(1), req(2), req(4), req(6)], s(11)).finding).toBe('retried-steady');
    expect(verdict([hello(), err(1)], s(11))).toMatchObject({ verdict: 'ok', finding: 'not-retried', count: 0 });
  });

  it('treats undocumented codes as 500', () => {
    const timeout = err(1, { code: -503, class: 'INTERNAL', type: null });
    expect(verdict([hello(), timeout, req(0.05), req(0.1), req(0.15)], s(1))).toMatchObject({ verdict: 'violation', rule: { id: 'server-error' } });
  });
});

describe('bad_server_salt / bad_msg_notification', () => {
  const salt = (over = {}) => err(1, { code: 48, class: 'PROTOCOL', type: 'BAD_SERVER_SALT', method: null, fingerprint: null, msgId: '100', ...over });
  const tooLow = (over = {}) => err(1, { code: 16, class: 'PROTOCOL', type: 'BAD_MSG_NOTIFICATION', method: null, fingerprint: null, msgId: '100', ...over });
  const sent = () => req(-0.2, { method: 'messages.getHistory', msgId: '100' });

  it('is ok when the refused message is resent', () => {
    const v = verdict([sent(), salt(), req(0.1, { method: 'messages.getHistory', msgId: '104' })], s(1));
    expect(v).toMatchObject({ verdict: 'ok', finding: 'resent', detail: 'resent as msg_id 104 after 0.1 s' });
    expect(verdict([sent(), salt(), req(0.1, { method: 'x.y', msgId: '100' })], s(1)).detail).toBe('resent with the same msg_id after 0.1 s');
  });

  it('is a violation when a msg_id error is resent with the same msg_id', () => {
    expect(verdict([sent(), tooLow(), req(0.1, { method: 'messages.getHistory', msgId: '100' })], s(1))).toMatchObject({
      verdict: 'violation',
      finding: 'resent-same-msg-id',
    });
    expect(verdict([sent(), tooLow(), req(0.1, { method: 'messages.getHistory', msgId: '108' })], s(1)).verdict).toBe('ok');
  });

  it('is pending, then a violation when not resent', () => {
    expect(verdict([sent(), salt()], s(5)).verdict).toBe('pending');
    expect(verdict([sent(), salt()], s(11))).toMatchObject({ verdict: 'violation', finding: 'not-resent' });
  });

  it('is not-observable when neither the message nor its method is known', () => {
    expect(verdict([hello(), salt({ msgId: null })], s(1)).finding).toBe('method-unknown');
  });
});

describe('not observable', () => {
  it('406 and transport errors have nothing to check', () => {
    expect(verdict([hello(), err(1, { code: 406, class: 'NOT_ACCEPTABLE', type: 'AUTH_KEY_DUPLICATED' })], s(1))).toMatchObject({
      verdict: 'not-observable',
      finding: 'nothing-to-check',
      final: true,
    });
    expect(verdict([hello(), err(1, { code: -404, class: 'TRANSPORT', type: null, method: null })], s(1)).rule.id).toBe('transport');
  });

  it('without any request of the family, absence decides nothing', () => {
    const open = verdict([flood()], s(5));
    expect(open).toMatchObject({ verdict: 'not-observable', finding: 'no-requests-visible', final: false });
    expect(verdict([flood()], s(18))).toMatchObject({ verdict: 'not-observable', final: true });
    // Another family's requests do not count.
    expect(verdict([req(-1, { family: 'other' }), flood()], s(18)).finding).toBe('no-requests-visible');
    // A request of the family in the window makes it visible.
    expect(verdict([flood(), req(3, { method: 'messages.getHistory' })], s(18)).finding).toBe('wait-respected');
  });

  it('an unknown method cannot be followed', () => {
    expect(verdict([hello(), badRequest({ method: null })], s(1)).finding).toBe('method-unknown');
  });
});

describe('the engine', () => {
  it('reports only changes, and drops the oldest open error beyond its cap', () => {
    const audit = new HandlingAudit({ maxOpenErrors: 2 });
    audit.add(hello());
    audit.add(flood(17, { id: 1 }));
    audit.add(flood(17, { id: 2, fingerprint: 'fp-2' }));
    expect(audit.add(req(1, { method: 'messages.getHistory' }))).toEqual([]);
    const updates = audit.add(flood(17, { id: 3, at: s(2), fingerprint: 'fp-3' }));
    expect(updates.map((u) => [u.errorId, u.verdict.finding])).toEqual([
      [3, 'watching'],
      [1, 'dropped'],
    ]);
    expect(audit.stats).toMatchObject({ openErrors: 2, droppedErrors: 1 });
    expect(audit.verdictOf(2)?.verdict).toBe('pending');
    expect(audit.openVerdicts().map((u) => u.errorId)).toEqual([2, 3]);
  });

  it('caps remembered requests and families, counting what it drops', () => {
    const audit = new HandlingAudit({ maxRememberedRequests: 2, maxFamilies: 2 });
    for (let i = 0; i < 4; i++) audit.add(req(i, { msgId: String(i), family: `f${i}` }));
    expect(audit.stats).toMatchObject({ rememberedRequests: 2, droppedRequests: 2, families: 2, droppedFamilies: 2 });
  });

  it('takes malformed events without throwing', () => {
    const audit = new HandlingAudit();
    const junk: unknown[] = [null, 3, {}, { kind: 'error' }, { kind: 'request' }, { kind: 'error', id: 'x', at: 'y', class: 5, params: null, type: 7 }];
    for (const j of junk) expect(() => audit.add(j as never)).not.toThrow();
    expect(() => audit.evaluate(NaN)).not.toThrow();
    expect(() => auditTimeline(junk as never, Infinity)).not.toThrow();
  });
});

describe('msg_id pairing', () => {
  it('does not take the failing request, reported after its error, for a repeat', () => {
    const e = badRequest({ msgId: '900' });
    expect(verdict([hello(), e, req(0, { msgId: '900' })], s(11)).finding).toBe('not-repeated');
    const u = unauthorized({ msgId: '900' });
    expect(verdict([hello(), u, req(0.3, { method: 'updates.getState', msgId: '900' })], s(31)).finding).toBe('no-further-calls');
  });
});

describe('limits and records', () => {
  it('decides a 401 when MAX_RELATED_REQUESTS calls have come', async () => {
    const { MAX_RELATED_REQUESTS } = await import('../../../src/core/handling/index.ts');
    const calls = Array.from({ length: MAX_RELATED_REQUESTS + 3 }, (_, i) => req(1 + i * 0.1, { method: 'messages.getDialogs' }));
    const v = verdict([hello(), unauthorized(), ...calls], s(5));
    expect(v).toMatchObject({ verdict: 'violation', final: true, count: MAX_RELATED_REQUESTS });
    expect(v.detail).toBe(`at least ${MAX_RELATED_REQUESTS} further calls with the refused key, the first 1.0 s after the error, before any auth.* call`);
    expect(v.evidence).toHaveLength(MAX_RELATED_REQUESTS);
  });

  it('builds a sighting from an ErrorRecord', async () => {
    const { errorSightingFromRecord } = await import('../../../src/core/handling/index.ts');
    const { makeRecord } = await import('../../helpers/make-record.ts');
    const record = { ...makeRecord({ method: 'messages.sendMessage', dc: 2 }), id: 1 };
    const sighting = errorSightingFromRecord(record, { family: 'tab', fingerprint: 'fp-1' });
    expect(sighting).toMatchObject({
      kind: 'error',
      id: 1,
      at: Date.parse('2026-11-21T12:00:00.000Z'),
      retryAt: Date.parse('2026-11-21T12:00:17.000Z'),
      redirectDc: null,
      family: 'tab',
    });
    expect(verdict([hello(), sighting, req(5)], s(6))).toMatchObject({ verdict: 'violation', finding: 'early-retry' });
    const redirect = {
      ...makeRecord({
        code: 303,
        class: 'ERROR_SEE_OTHER',
        type: 'USER_MIGRATE_4',
        params: { dc: 4 },
        action: { kind: 'redirect', dc: 4 },
        method: 'help.getConfig',
      }),
      id: 1,
    };
    expect(errorSightingFromRecord(redirect, { family: 'tab' }).redirectDc).toBe(4);
  });
});
