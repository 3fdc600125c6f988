import { describe, expect, it } from 'vitest';
import { CallLog, callsOfNotes, errorSeenOf } from '../../../src/core/calls/index.ts';
import { readCallNotes } from '../../../src/core/capture/call-notes.ts';
import { exportCalls } from '../../../src/core/calls/export-calls.ts';

const T0 = 1_700_000_000_000;
const batch = (...lines: string[]) => readCallNotes(lines.join('\n'), T0 + 10_000);

describe('the call log from the hook call notes', () => {
  it('logs each noted call pending, settles its answer ok with its duration, an error by its record', () => {
    const log = new CallLog();
    callsOfNotes(log, 'fetch', batch('q\tfetch\t1\t9000\tmessages.getHistory', 'q\tfetch\t2\t8000\tmessages.getHistory', 'q\tfetch\t3\t7000\thelp.getConfig'));
    expect(log.calls().map((c) => c.outcome)).toEqual(['pending', 'pending', 'pending']);
    // Call 2 failed: its error arrives (the hook sent the notes first), then the answer notes.
    const linked = log.linkError({ id: 77, at: T0 + 2500, method: 'messages.getHistory', channel: 'fetch', dc: null, class: 'FLOOD' });
    expect(linked.call?.id).toBe(1); // the oldest pending call of that method (no fingerprint)
    const settled = callsOfNotes(log, 'fetch', batch('k\tfetch\t2\t7500', 'e\tfetch\t1\t7500', 'k\tfetch\t3\t6900'));
    expect(settled.map((c) => c.id)).toEqual([2, 3]);
    expect(log.calls().map((c) => [c.method, c.outcome, c.durationMs, c.recordId])).toEqual([
      ['messages.getHistory', 'error', 1500, 77],
      ['messages.getHistory', 'ok', 500, null],
      ['help.getConfig', 'ok', 100, null],
    ]);
    expect(exportCalls(log.calls()).map((c) => c.channel)).toEqual(['fetch', 'fetch', 'fetch']);
  });

  it('keys are per connection; an unknown or repeated answer changes nothing; drops are counted', () => {
    const log = new CallLog();
    callsOfNotes(log, 'worker', batch('d\t4', 'q\tw1\t1\t100\ta.b', 'q\tw2\t1\t100\tc.d'));
    expect(log.dropped).toBe(4);
    expect(callsOfNotes(log, 'worker', batch('k\tw2\t1\t50', 'k\tw2\t1\t40', 'k\tw3\t1\t40')).map((c) => c.method)).toEqual(['c.d']);
    expect(log.calls().map((c) => c.outcome)).toEqual(['pending', 'ok']);
  });

  it('a late answer settles a call the timeout gave up on; the answer is the truth', () => {
    const log = new CallLog();
    callsOfNotes(log, 'websocket', batch('q\tws1\t5\t9000\tmessages.sendMessage'));
    expect(log.expire(T0 + 70_000).map((c) => c.outcome)).toEqual(['unanswered']);
    callsOfNotes(log, 'websocket', readCallNotes('k\tws1\t5\t0', T0 + 71_000));
    expect(log.calls()[0]).toMatchObject({ outcome: 'ok', durationMs: 70_000 });
  });

  it('a request that ended without an answer (failed, aborted) is unanswered at once; nothing settles it twice', () => {
    const log = new CallLog();
    callsOfNotes(log, 'xhr', batch('q\txhr\t1\t9000\tmessages.getHistory', 'q\txhr\t2\t8000\thelp.getConfig'));
    const ended = callsOfNotes(log, 'xhr', batch('u\txhr\t1\t8500', 'u\txhr\t9\t8500'));
    expect(ended.map((c) => [c.id, c.outcome, c.durationMs])).toEqual([[1, 'unanswered', null]]);
    // A stray answer for it changes nothing; the other call is still waiting and answered.
    expect(callsOfNotes(log, 'xhr', batch('k\txhr\t1\t100', 'k\txhr\t2\t100')).map((c) => c.id)).toEqual([2]);
    expect(log.calls().map((c) => c.outcome)).toEqual(['unanswered', 'ok']);
    // Long after, the timeout has nothing left to do.
    expect(log.expire(T0 + 600_000)).toEqual([]);
  });

  it('a closed socket leaves the JSON calls noted on it unanswered at once, not those of another socket', () => {
    const log = new CallLog();
    callsOfNotes(log, 'websocket', batch('q\tws-1\t1\t900\tmessages.getHistory', 'q\tws-2\t1\t800\tmessages.getHistory', 'q\tws-1\t2\t700\thelp.getConfig'));
    callsOfNotes(log, 'websocket', batch('k\tws-1\t2\t600'));
    expect(log.connectionClosed('ws-1').map((c) => c.id)).toEqual([1]);
    expect(log.calls().map((c) => [c.conn, c.outcome])).toEqual([
      ['ws-1', 'unanswered'],
      ['ws-2', 'pending'],
      ['ws-1', 'ok'],
    ]);
  });

  it('counts the noted calls in the before of a later error', () => {
    const log = new CallLog();
    const lines: string[] = [];
    for (let i = 0; i < 12; i++) lines.push(`q\tws1\t${i}\t${9000 - i * 100}\tmessages.getHistory`);
    callsOfNotes(log, 'websocket', batch(...lines));
    const error = errorSeenOf({
      capturedAt: new Date(T0 + 9500).toISOString(),
      method: 'messages.getHistory',
      channel: 'websocket',
      dc: null,
      class: 'FLOOD',
      params: { seconds: 3 },
    } as Parameters<typeof errorSeenOf>[0]);
    const { before } = log.linkError({ ...error, id: 1 });
    expect(before.calls).toBe(12);
    expect(before.sameMethod.count).toBe(11);
  });
});
