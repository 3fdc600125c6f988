import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateCaptureShape } from '../capture-shape.ts';
import { toBase64 as bytesToBase64, toHex as bytesToHex } from '../../../src/core/mtproto/bytes.ts';
import { buildCapture, createReporter, type CaptureSource } from '../../../src/hook/common/report.ts';
import { LIMITS, type HookCapture } from '../../../src/shared/messages.ts';

function collect(perSecond = 200, clock = { now: 1_000_000 }) {
  const details: HookCapture[] = [];
  const reporter = createReporter({ deliver: (detail) => details.push(JSON.parse(detail)), now: () => clock.now, perSecond });
  return { details, reporter, clock };
}

const socket: CaptureSource = { channel: 'websocket', direction: 'in', url: 'wss://kws2.web.telegram.org/apiws', conn: 'ws-ab-1', offset: 12 };

describe('base64 and hex', () => {
  it('matches Node for arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40_000 }), (bytes) => {
        expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
        expect(bytesToHex(bytes)).toBe(Buffer.from(bytes).toString('hex'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('capture building', () => {
  it('builds the contract fields for a binary WebSocket capture', () => {
    const { details, reporter } = collect();
    const head = new Uint8Array(80).map((_, i) => i);
    reporter.binary({ ...socket, clientHead: head }, Uint8Array.of(0x6c, 0xfe, 0xff, 0xff));
    expect(details).toEqual([
      {
        v: 1,
        channel: 'websocket',
        direction: 'in',
        url: socket.url,
        at: 1_000_000,
        kind: 'binary',
        data: 'bP7//w==',
        conn: 'ws-ab-1',
        offset: 12,
        clientHead: bytesToHex(head.subarray(0, 64)),
      },
    ]);
    expect(validateCaptureShape(details[0])).toBe(true);
  });

  it('builds a text capture with status and no optional fields it was not given', () => {
    const { details, reporter } = collect();
    reporter.text({ channel: 'fetch', direction: 'in', url: 'https://api.telegram.org/botX/getMe', status: 401 }, '{"ok":false}');
    expect(details[0]).toEqual({
      v: 1,
      channel: 'fetch',
      direction: 'in',
      url: 'https://api.telegram.org/botX/getMe',
      at: 1_000_000,
      kind: 'text',
      data: '{"ok":false}',
      status: 401,
    });
  });

  it('builds a structured worker capture with its method', () => {
    const { details, reporter } = collect();
    const json = JSON.stringify({ type: 'result', payload: { taskId: 1, error: { type: 'FLOOD_WAIT_17', code: 420 } } });
    reporter.structured({ channel: 'worker', direction: 'in', url: 'http://127.0.0.1/w.js', conn: 'worker-ab-1', method: 'messages.sendMessage' }, json);
    expect(details[0]).toEqual({
      v: 1,
      channel: 'worker',
      direction: 'in',
      url: 'http://127.0.0.1/w.js',
      at: 1_000_000,
      kind: 'structured',
      data: json,
      conn: 'worker-ab-1',
      method: 'messages.sendMessage',
    });
    expect(validateCaptureShape(details[0])).toBe(true);
  });

  it('caps binary data, text data and the URL', () => {
    const { details, reporter } = collect();
    reporter.binary({ ...socket, url: 'x'.repeat(LIMITS.urlChars + 10) }, new Uint8Array(LIMITS.binaryBytes + 1000).fill(7));
    reporter.text(socket, 'e'.repeat(LIMITS.textChars + 5));
    expect(Buffer.from(details[0].data, 'base64').length).toBe(LIMITS.binaryBytes);
    expect(details[0].url.length).toBe(LIMITS.urlChars);
    expect(details[1].data.length).toBe(LIMITS.textChars);
    for (const capture of details) expect(validateCaptureShape(capture)).toBe(true);
  });

  it('copies the bytes, so a later change to the page buffer does not matter', () => {
    const capture = buildCapture(socket, 'binary', 'AA==', 5);
    expect(capture.at).toBe(5);
  });
});

describe('rate cap', () => {
  it('drops over the cap within one second and reports the count in the next capture', () => {
    const { details, reporter, clock } = collect(3);
    for (let i = 0; i < 10; i++) reporter.text(socket, `m${i}`);
    expect(details.map((c) => c.data)).toEqual(['m0', 'm1', 'm2']);
    clock.now += 1000;
    reporter.text(socket, 'next');
    reporter.text(socket, 'after');
    expect(details[3]).toMatchObject({ data: 'next', hookDropped: 7 });
    expect(details[4].hookDropped).toBeUndefined();
  });

  it('reports drops on their own when no capture follows them (a flood that stops leaves no count behind)', () => {
    const raw: string[] = [];
    const timers: { fn: () => void; ms: number }[] = [];
    const clock = { now: 1_000_000 };
    const reporter = createReporter({ deliver: (d) => raw.push(d), now: () => clock.now, perSecond: 3, schedule: (fn, ms) => timers.push({ fn, ms }) });
    for (let i = 0; i < 10; i++) reporter.text(socket, `m${i}`);
    expect(raw).toHaveLength(3);
    // One timer for the whole burst, a window after the window of the drops.
    expect(timers).toEqual([{ fn: expect.any(Function), ms: 2000 }]);
    timers[0].fn();
    expect(raw.slice(3).map((d) => JSON.parse(d))).toEqual([{ v: 1, kind: 'drops', hookDropped: 7 }]);
    // Counted once: a later capture carries no stale count, and a second flush sends nothing.
    clock.now += 5000;
    reporter.text(socket, 'later');
    expect(JSON.parse(raw[4]).hookDropped).toBeUndefined();
    expect(timers).toHaveLength(1);
  });

  it('a drop report is not sent when a later capture already carried the count', () => {
    const raw: string[] = [];
    const timers: (() => void)[] = [];
    const clock = { now: 0 };
    const reporter = createReporter({ deliver: (d) => raw.push(d), now: () => clock.now, perSecond: 1, schedule: (fn) => timers.push(fn) });
    reporter.text(socket, 'a');
    reporter.text(socket, 'b');
    clock.now = 1000;
    reporter.text(socket, 'c');
    timers[0]();
    expect(raw.map((d) => JSON.parse(d).hookDropped)).toEqual([undefined, 1]);
  });

  it('a burst of request prefixes never crowds out an error: each has its own budget', () => {
    const { details, reporter } = collect(3);
    for (let i = 0; i < 10; i++) reporter.binary({ ...socket, encrypted: 'prefix', payloadLength: 100 }, Uint8Array.of(i));
    reporter.binary({ ...socket, encrypted: 'whole', payloadLength: 100 }, Uint8Array.of(99));
    expect(details.map((c) => c.encrypted)).toEqual(['prefix', 'prefix', 'prefix', 'whole']);
  });

  it('never throws, even when delivery fails', () => {
    const reporter = createReporter({
      deliver: () => {
        throw new Error('listener failed');
      },
    });
    expect(() => reporter.text(socket, 'x')).not.toThrow();
    expect(() => reporter.binary(socket, new Uint8Array(3))).not.toThrow();
    expect(() => reporter.structured(socket, '{}')).not.toThrow();
  });
});
