import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CallLog } from '../../../src/core/calls/call-log.ts';
import { isApiCall } from '../../../src/core/calls/service-messages.ts';
import { exportCalls, importBefore, importCall } from '../../../src/core/calls/export-calls.ts';

const ws = (at: number, method: string | null, msgId?: string, conn = 'c1') => ({
  at,
  method,
  dc: 2,
  channel: 'websocket' as const,
  ...(msgId ? { msgId } : {}),
  conn,
});

describe('CallLog', () => {
  it('settles a call as ok from its answer, with its duration', () => {
    const log = new CallLog();
    const c = log.add(ws(1000, 'help.getConfig', '100'));
    expect(c.outcome).toBe('pending');
    expect(log.answered('100', 1250)).toBe(c);
    expect(c).toMatchObject({ outcome: 'ok', durationMs: 250, recordId: null });
    expect(log.answered('100', 1300)).toBeNull();
  });

  it('links an error by req_msg_id and gives its before without the failing call', () => {
    const log = new CallLog();
    for (let i = 0; i < 5; i++) log.add(ws(1000 + i * 100, 'messages.getHistory', String(10 + i)));
    const linked = log.linkError({
      id: 7,
      at: 1600,
      method: 'messages.getHistory',
      channel: 'websocket',
      dc: 2,
      class: 'FLOOD',
      waitSeconds: 17,
      reqMsgId: '14',
    });
    expect(linked.created).toBe(false);
    expect(linked.call).toMatchObject({ id: 5, outcome: 'error', recordId: 7, durationMs: 200, errorClass: 'FLOOD', waitSeconds: 17 });
    expect(linked.before).toEqual({ windowMs: 60_000, calls: 5, sameMethod: { count: 4, maxPer10s: 4 } });
  });

  it('pairs a page-paired error with the pending call of its method, by fingerprint first', () => {
    const log = new CallLog();
    const a = log.add({ at: 1, method: 'sendMessage', dc: null, channel: 'worker', fingerprint: 'pa' });
    const b = log.add({ at: 2, method: 'sendMessage', dc: null, channel: 'worker', fingerprint: 'pb' });
    expect(log.linkError({ id: 1, at: 5, method: 'sendMessage', channel: 'worker', dc: null, class: 'FLOOD', fingerprint: 'pb' }).call).toBe(b);
    expect(log.linkError({ id: 2, at: 6, method: 'sendMessage', channel: 'worker', dc: null, class: 'FLOOD' }).call).toBe(a);
  });

  it("links a Web A error naming the Telegram method to the client call it answered, and counts that call's name", () => {
    const log = new CallLog();
    // Web A's worker calls are logged by its API function; its error text names messages.getHistory.
    for (let i = 0; i < 4; i++) log.add({ at: 1000 + i, method: 'fetchMessages', dc: null, channel: 'worker', key: `k${i}` });
    log.add({ at: 1010, method: 'fetchChats', dc: null, channel: 'worker', key: 'k9' });
    const linked = log.linkError({ id: 5, at: 1020, method: 'messages.getHistory', clientCall: 'fetchMessages', channel: 'worker', dc: null, class: 'FLOOD' });
    expect(linked.created).toBe(false);
    expect(linked.call).toMatchObject({ method: 'fetchMessages', outcome: 'error', recordId: 5, durationMs: 20 });
    expect(linked.before).toEqual({ windowMs: 60_000, calls: 5, sameMethod: { count: 3, maxPer10s: 3 } });
    expect(log.size).toBe(5);
    // Without a pending call of that name, the Telegram method's is taken, else one is made.
    log.add({ at: 1030, method: 'messages.getHistory', dc: null, channel: 'worker', key: 'k10' });
    expect(
      log.linkError({ id: 6, at: 1040, method: 'messages.getHistory', clientCall: 'fetchTopics', channel: 'worker', dc: null, class: 'FLOOD' }).call,
    ).toMatchObject({
      method: 'messages.getHistory',
      recordId: 6,
    });
  });

  it('makes the call from the error when its request was not seen', () => {
    const log = new CallLog();
    const linked = log.linkError({ id: 3, at: 50, method: 'auth.sendCode', channel: 'fetch', dc: null, class: 'BAD_REQUEST' });
    expect(linked.created).toBe(true);
    expect(linked.call).toMatchObject({ outcome: 'error', recordId: 3, fromError: true, durationMs: null });
    expect(linked.before.calls).toBe(1);
    expect(linked.before.sameMethod.count).toBe(0);
  });

  it('leaves calls unanswered after 60 s or when their connection closes', () => {
    const log = new CallLog();
    const a = log.add(ws(0, 'a', '1', 'c1'));
    const b = log.add(ws(10, 'b', '2', 'c2'));
    const c = log.add(ws(70_000, 'c', '3', 'c2'));
    expect(log.expire(59_999)).toEqual([]);
    expect(log.expire(60_010)).toEqual([a, b]);
    expect(a.outcome).toBe('unanswered');
    expect(log.connectionClosed('c2')).toEqual([c]);
    // An answer read after the close was heard is still the truth.
    expect(log.answered('3', 70_001)).toBe(c);
    expect(c).toMatchObject({ outcome: 'ok', durationMs: 1 });
    expect(log.answered('3', 70_002)).toBeNull();
  });

  it("takes a worker's wire request as the boundary call it stands for, not a second call (Capture inside workers)", () => {
    const log = new CallLog();
    const boundary = (at: number, method: string, key: string) => log.add({ at, method, dc: null, channel: 'worker', key, conn: 'port-1' });
    const first = boundary(1000, 'updates.getState', 'k1');
    const second = boundary(1100, 'updates.getState', 'k2');
    const other = boundary(1200, 'help.getConfig', 'k3');
    // The worker connects first: its requests come seconds later, each the twin of one boundary call, oldest first.
    expect(log.adoptWireTwin(ws(4000, 'updates.getState', '500', 'wire-1'))).toBe(first);
    expect(first).toMatchObject({ msgId: '500', dc: 2, conn: 'wire-1', channel: 'websocket', outcome: 'pending' });
    expect(log.adoptWireTwin(ws(4100, 'updates.getState', '501', 'wire-1'))).toBe(second);
    // No pending boundary call of that method left: the wire's request is a call of its own.
    expect(log.adoptWireTwin(ws(4200, 'updates.getState', '502', 'wire-1'))).toBeNull();
    // Too long after the boundary call (the page's call was answered by the worker itself, say).
    expect(log.adoptWireTwin(ws(1200 + 31_000, 'help.getConfig', '503', 'wire-1'))).toBeNull();
    expect(other.msgId).toBeUndefined();
    // The wire's answer settles the boundary call that took its msg_id.
    expect(log.answered('500', 4300)).toBe(first);
    expect(first).toMatchObject({ outcome: 'ok', durationMs: 3300 });
    expect(log.size).toBe(3);
  });

  it('keeps a ring of its capacity and counts what it dropped', () => {
    const log = new CallLog(3);
    for (let i = 0; i < 10_000; i++) log.add(ws(i, 'm', String(i)));
    expect(log.size).toBe(3);
    expect(log.dropped).toBe(9_997);
    expect(log.calls().map((c) => c.id)).toEqual([9_998, 9_999, 10_000]);
    expect(log.answered('5', 10_001)).toBeNull();
  });

  it('restores what it saved, pending calls still answerable', () => {
    const log = new CallLog();
    log.add(ws(0, 'a', '1'));
    log.add(ws(1, 'b', '2'));
    log.answered('1', 5);
    const again = CallLog.restore(JSON.parse(JSON.stringify(log.save())));
    expect(again.calls()).toEqual(log.calls());
    expect(again.answered('2', 9)?.durationMs).toBe(8);
    expect(again.add(ws(3, 'c')).id).toBe(3);
    expect(CallLog.restore({ calls: [null, 5, { id: 'x' }] as never }).size).toBe(0);
  });

  it('never loses track of ids or counts under any sequence of events', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('add', 'ok', 'err', 'close', 'expire'), fc.integer({ min: 0, max: 30 })), { maxLength: 200 }), (events) => {
        const log = new CallLog(20);
        let now = 0;
        let added = 0;
        for (const [kind, n] of events) {
          now += n * 1000;
          if (kind === 'add') {
            log.add(ws(now, `m${n % 3}`, String(n), `c${n % 2}`));
            added++;
          } else if (kind === 'ok') log.answered(String(n), now);
          else if (kind === 'err') {
            if (log.linkError({ id: n, at: now, method: `m${n % 3}`, channel: 'websocket', dc: 2, class: 'FLOOD', reqMsgId: String(n) }).created) added++;
          } else if (kind === 'close') log.connectionClosed(`c${n % 2}`);
          else log.expire(now);
        }
        expect(log.size + log.dropped).toBe(added);
        const ids = log.calls().map((c) => c.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        for (const c of log.calls()) if (c.outcome === 'pending' || c.outcome === 'unanswered') expect(c.durationMs).toBeNull();
      }),
    );
  });
});

describe('service messages', () => {
  it('are not calls; API methods and unknown constructors are', () => {
    for (const m of ['msgs_ack', 'ping', 'ping_delay_disconnect', 'http_wait', 'msg_resend_req', 'destroy_session', 'get_future_salts', 'req_pq_multi'])
      expect(isApiCall(m)).toBe(false);
    expect(isApiCall('messages.getHistory')).toBe(true);
    expect(isApiCall(null)).toBe(true);
  });
});

describe('export and import of calls', () => {
  it('writes the issue shape in time order and reads it back', () => {
    const log = new CallLog();
    log.add(ws(2000, 'b', '2'));
    log.add(ws(1000, 'a', '1'));
    log.answered('1', 1010);
    const out = exportCalls(log.calls());
    expect(out.map((c) => c.method)).toEqual(['a', 'b']);
    expect(out[0]).toEqual({
      id: 2,
      at: new Date(1000).toISOString(),
      method: 'a',
      dc: 2,
      channel: 'websocket',
      outcome: 'ok',
      durationMs: 10,
      recordId: null,
    });
    expect(Object.keys(out[1])).toEqual(['id', 'at', 'method', 'dc', 'channel', 'outcome', 'durationMs', 'recordId']);
    expect(out.map(importCall)).toEqual(out.map((c) => ({ ...c, at: Date.parse(c.at) })));
    expect(importCall({ ...out[0], outcome: 'maybe' })).toBeNull();
    expect(importBefore({ windowMs: 60000, calls: 3, sameMethod: { count: 1, maxPer10s: 1 } })).toEqual({
      windowMs: 60000,
      calls: 3,
      sameMethod: { count: 1, maxPer10s: 1 },
    });
    expect(importBefore({ windowMs: 60000, calls: -1, sameMethod: { count: 1, maxPer10s: 1 } })).toBeUndefined();
  });
});
