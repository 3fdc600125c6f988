import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CALL_NOTE_BATCH, CALL_NOTE_FLUSH_MS, CallNotes } from '../../../src/hook/common/call-notes.ts';
import { readCallNotes } from '../../../src/core/capture/call-notes.ts';
import { createReporter } from '../../../src/hook/common/report.ts';
import { validateCapture } from '../../../src/shared/validate-capture.ts';
import type { HookCapture } from '../../../src/shared/messages.ts';

const T0 = 1_700_000_000_000;

function notes(perSecond = 1000) {
  const clock = { now: T0 };
  const sent: [string, string][] = [];
  const timers: (() => void)[] = [];
  const n = new CallNotes<string>(
    (channel, text) => sent.push([channel, text]),
    () => clock.now,
    perSecond,
    (fn) => timers.push(fn),
  );
  return { clock, sent, timers, n };
}

describe('call notes (hook)', () => {
  it('batches per channel, sends after the flush delay, and the background reads back method, key and time', () => {
    const { clock, sent, timers, n } = notes();
    n.note('fetch', 'fetch', 'q', '1', 'messages.getHistory');
    clock.now += 40;
    n.note('worker', 'worker-1', 'q', '7', 'appMessagesManager.sendText');
    n.note('fetch', 'fetch', 'k', '1');
    expect(sent).toEqual([]);
    expect(timers).toHaveLength(1); // one timer for all channels
    clock.now += CALL_NOTE_FLUSH_MS;
    timers[0]();
    expect(sent.map(([c]) => c)).toEqual(['fetch', 'worker']);
    const fetch = readCallNotes(sent[0][1], clock.now);
    expect(fetch.calls).toEqual([{ at: T0, conn: 'fetch', key: '1', method: 'messages.getHistory' }]);
    expect(fetch.answers).toEqual([{ at: T0 + 40, conn: 'fetch', key: '1', reported: false }]);
    expect(readCallNotes(sent[1][1], clock.now).calls[0]).toMatchObject({ at: T0 + 40, key: '7', method: 'appMessagesManager.sendText' });
    // Nothing left: a second flush sends nothing.
    n.flush();
    expect(sent).toHaveLength(2);
  });

  it('sends a full batch at once', () => {
    const { sent, n } = notes(10_000);
    for (let i = 0; i < CALL_NOTE_BATCH; i++) n.note('websocket', 'ws1', 'q', String(i), 'm');
    expect(sent).toHaveLength(1);
    expect(readCallNotes(sent[0][1], T0).calls).toHaveLength(CALL_NOTE_BATCH);
  });

  it('bounds notes per second and counts what it dropped', () => {
    const { clock, sent, n } = notes(10);
    for (let i = 0; i < 25; i++) n.note('xhr', 'xhr', 'q', String(i), 'help.getConfig');
    n.flush();
    const read = readCallNotes(sent[0][1], clock.now);
    expect(read.calls).toHaveLength(10);
    expect(read.dropped).toBe(15);
    // The next second is admitted again; drops with no note to ride on are sent on their own.
    clock.now += 1000;
    n.note('xhr', 'xhr', 'k', '0');
    for (let i = 0; i < 10; i++) n.note('xhr', 'xhr', 'k', String(i + 1));
    n.note('xhr', 'xhr', 'k', 'late');
    n.flush();
    expect(readCallNotes(sent[1][1], clock.now)).toMatchObject({ dropped: 2 });
    expect(readCallNotes(sent[1][1], clock.now).answers).toHaveLength(10);
  });

  it('never notes keys or methods that would break a line', () => {
    const { sent, n } = notes();
    n.note('worker', 'w', 'q', 'a\tb', 'm');
    n.note('worker', 'w', 'q', 'x'.repeat(65), 'm');
    n.note('worker', 'w\n', 'q', '1', 'm');
    n.flush();
    expect(sent).toEqual([]);
  });

  it('the reporter sends the notes before a capture that can carry an error, as valid captures', () => {
    const delivered: HookCapture[] = [];
    const report = createReporter({ deliver: (d) => delivered.push(JSON.parse(d)), now: () => T0, schedule: () => undefined });
    report.callNote('websocket', 'ws1', 'q', '42', 'messages.sendMessage');
    report.text(
      { channel: 'websocket', direction: 'in', url: 'wss://x', conn: 'ws1' },
      '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_3","req_msg_id":"42"}',
    );
    expect(delivered.map((c) => (c.calls !== undefined ? 'notes' : c.kind))).toEqual(['notes', 'text']);
    const checked = validateCapture(JSON.stringify(delivered[0]));
    expect(checked.ok && checked.capture.calls).toBe('q\tws1\t42\t0\tmessages.sendMessage');
  });
});

describe('call notes before a close', () => {
  it('the reporter sends the notes before a connection closed note, so the calls it ends are in the log', () => {
    const delivered: HookCapture[] = [];
    const report = createReporter({ deliver: (d) => delivered.push(JSON.parse(d)), now: () => T0, schedule: () => undefined });
    report.callNote('websocket', 'ws1', 'q', '7', 'messages.getDialogs');
    report.request({ channel: 'websocket', direction: 'in', url: 'wss://x', conn: 'ws1', closed: true });
    expect(delivered.map((c) => (c.calls !== undefined ? 'notes' : c.closed ? 'closed' : c.kind))).toEqual(['notes', 'closed']);
    for (const c of delivered) expect(validateCapture(JSON.stringify(c)).ok).toBe(true);
  });

  it('a request sighting (not a close) does not send them early', () => {
    const delivered: HookCapture[] = [];
    const report = createReporter({ deliver: (d) => delivered.push(JSON.parse(d)), now: () => T0, schedule: () => undefined });
    report.callNote('fetch', 'fetch', 'q', '1', 'messages.getDialogs');
    report.request({ channel: 'fetch', direction: 'out', url: 'https://x', method: 'messages.getDialogs' });
    expect(delivered.map((c) => c.kind)).toEqual(['request']);
  });
});

describe('call notes (background reader)', () => {
  it('skips and counts lines that do not parse, never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const read = readCallNotes(text, T0);
        for (const c of read.calls) expect(c.method).toMatch(/^[A-Za-z][\w.]*$/);
        expect(read.calls.length + read.answers.length + read.unanswered.length + read.malformed).toBeLessThanOrEqual(text.split('\n').length);
      }),
    );
    expect(readCallNotes('q\tc\t1\t5\tm\nz\tc\t1\t5\nk\tc\t1\t-3', T0)).toMatchObject({ calls: [{ at: T0 - 5 }], malformed: 2 });
    // u: a call that ended without an answer; it carries no method.
    expect(readCallNotes('u\txhr\t3\t20\nu\txhr\t4\t20\tm', T0)).toMatchObject({ unanswered: [{ at: T0 - 20, conn: 'xhr', key: '3' }], malformed: 1 });
  });
});
