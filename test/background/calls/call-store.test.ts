import { afterEach, describe, expect, it, vi } from 'vitest';
import { CALL_CHUNK, CallStore } from '../../../src/background/calls/call-store.ts';
import { MemoryStorage } from '../../helpers/memory-storage.ts';
import { makeRecord } from '../../helpers/make-record.ts';
import type { RequestSeen } from '../../../src/core/capture/decode-capture.ts';
import type { NewRecord } from '../../../src/core/record.ts';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');
const req = (msgId: string, method: string | null, at: number): RequestSeen => ({ msgId, method, dc: 2, fingerprint: null, authKeyId: null, at });
const capture = (at: number) => ({ channel: 'websocket' as const, conn: 'ws1', at });

afterEach(() => vi.useRealTimers());

describe('CallStore', () => {
  it("takes a request read on a worker's wire as the boundary call it stands for: one call, settled by the wire's answer", async () => {
    const store = new CallStore(new MemoryStorage(), undefined, undefined, () => T0 + 5_000);
    const boundary = { channel: 'worker' as const, conn: 'port1', at: T0 };
    const notes = { calls: [{ at: T0, method: 'updates.getState', conn: 'port1', key: '1' }], answers: [], unanswered: [], dropped: 0, malformed: 0 };
    await store.see(1, boundary, { callNotes: notes }, []);
    // The page's own WebSocket: never a twin, even of the same method.
    await store.see(1, capture(T0 + 1_000), { requests: [req('400', 'updates.getState', T0 + 1_000)] }, []);
    expect((await store.calls(1)).map((c) => c.channel)).toEqual(['worker', 'websocket']);
    const wire = { channel: 'websocket' as const, conn: 'wire1', at: T0 + 2_000 };
    const seen = await store.see(1, wire, { requests: [req('500', 'updates.getState', T0 + 2_000)] }, [], true);
    expect(seen.changes.calls).toHaveLength(1);
    await store.see(1, wire, { answers: [{ reqMsgId: '500', at: T0 + 2_300 }] }, [], true);
    const calls = await store.calls(1);
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatchObject({ method: 'updates.getState', channel: 'websocket', conn: 'wire1', msgId: '500', outcome: 'ok', durationMs: 2_300 });
  });

  it('logs calls (not service messages), settles answers, and gives an error its before', async () => {
    let now = T0;
    const store = new CallStore(new MemoryStorage(), undefined, undefined, () => now);
    const requests = Array.from({ length: 12 }, (_, i) => req(String(100 + i), 'messages.getHistory', T0 + i * 500));
    requests.push(req('900', 'ping', T0), req('901', 'msgs_ack', T0));
    await store.see(1, capture(T0), { requests }, []);
    await store.see(
      1,
      capture(T0 + 6_100),
      {
        answers: [
          { reqMsgId: '100', at: T0 + 6_100 },
          { reqMsgId: '101', at: T0 + 6_100 },
        ],
      },
      [],
    );
    now = T0 + 6_200;
    const flood = makeRecord({
      dialect: 'mtproto',
      method: 'messages.getHistory',
      reqMsgId: '111',
      capturedAt: new Date(T0 + 6_200).toISOString(),
    }) as NewRecord;
    const seen = await store.see(1, capture(T0 + 6_200), {}, [flood]);
    expect(flood.before).toEqual({ windowMs: 60_000, calls: 12, sameMethod: { count: 11, maxPer10s: 11 } });
    const linked = seen.attach([42]);
    expect(linked[0]).toMatchObject({ id: 12, outcome: 'error', recordId: 42, errorClass: 'FLOOD', waitSeconds: 17 });
    const calls = await store.calls(1);
    expect(calls).toHaveLength(12);
    expect(calls.slice(0, 2).map((c) => [c.outcome, c.durationMs])).toEqual([
      ['ok', 6100],
      ['ok', 5600],
    ]);
  });

  it('keeps the calls across a worker restart, pending ones still answerable', async () => {
    const storage = new MemoryStorage();
    const first = new CallStore(storage, undefined, undefined, () => T0);
    await first.see(3, capture(T0), { requests: Array.from({ length: CALL_CHUNK + 5 }, (_, i) => req(String(i), 'm', T0)) }, []);
    await first.flush();
    const second = new CallStore(storage, undefined, undefined, () => T0 + 10);
    expect(await second.calls(3)).toHaveLength(CALL_CHUNK + 5);
    await second.see(3, capture(T0 + 10), { answers: [{ reqMsgId: '7', at: T0 + 10 }] }, []);
    expect((await second.calls(3))[7]).toMatchObject({ outcome: 'ok', durationMs: 10 });
  });

  it('drops the oldest past its capacity, counted, and removes their chunks from storage', async () => {
    const storage = new MemoryStorage();
    const store = new CallStore(storage, undefined, 1500, () => T0);
    for (let k = 0; k < 4; k++) await store.see(1, capture(T0), { requests: Array.from({ length: 1000 }, (_, i) => req(`${k}-${i}`, 'm', T0)) }, []);
    await store.flush();
    expect(await store.dropped(1)).toBe(2500);
    expect([...storage.data.keys()].filter((k) => k.startsWith('calls:1:c')).sort()).toEqual(['calls:1:c2', 'calls:1:c3', 'calls:1:c4']);
    const again = new CallStore(storage, undefined, 1500, () => T0);
    expect((await again.calls(1)).map((c) => c.id)[0]).toBe(2501);
    expect(await again.dropped(1)).toBe(2500);
  });

  it('sweeps calls unanswered for 60 s and tells the tab', async () => {
    vi.useFakeTimers();
    let now = T0;
    const swept = vi.fn();
    const store = new CallStore(new MemoryStorage(), swept, undefined, () => now);
    await store.see(5, capture(T0), { requests: [req('1', 'a', T0)] }, []);
    now = T0 + 61_000;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(swept).toHaveBeenCalledWith(5, expect.objectContaining({ calls: [expect.objectContaining({ outcome: 'unanswered' })] }));
  });

  it('a closed connection leaves its waiting calls unanswered, others untouched', async () => {
    const store = new CallStore(new MemoryStorage(), undefined, undefined, () => T0);
    await store.see(4, capture(T0), { requests: [req('1', 'a', T0)] }, []);
    await store.see(4, { channel: 'websocket', conn: 'ws2', at: T0 }, { requests: [req('2', 'b', T0)] }, []);
    const closed = await store.see(4, capture(T0 + 5), { closed: true }, []);
    expect(closed.changes.calls.map((c) => [c.method, c.outcome])).toEqual([['a', 'unanswered']]);
    expect((await store.calls(4)).map((c) => c.outcome)).toEqual(['unanswered', 'pending']);
  });

  it('clears and forgets a tab', async () => {
    const storage = new MemoryStorage();
    const store = new CallStore(storage, undefined, undefined, () => T0);
    await store.see(2, capture(T0), { requests: [req('1', 'a', T0)] }, []);
    await store.flush();
    await store.clear(2);
    expect(await store.calls(2)).toEqual([]);
    await store.see(2, capture(T0), { requests: [req('2', 'a', T0)] }, []);
    expect((await store.calls(2))[0].id).toBe(2);
    await store.flush();
    await store.forget(2);
    expect([...storage.data.keys()].filter((k) => k.startsWith('calls:2'))).toEqual([]);
  });
});
