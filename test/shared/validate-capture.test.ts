import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hookDropsOf, RateGate, validateCapture } from '../../src/shared/validate-capture.ts';
import { LIMITS } from '../../src/shared/messages.ts';

const good = { v: 1, channel: 'fetch', direction: 'in', url: 'https://x/', at: 1, kind: 'text', data: '{}' };

describe('validateCapture', () => {
  it('accepts a well-formed capture and keeps only known fields', () => {
    const r = validateCapture(JSON.stringify({ ...good, status: 200, evil: '<img onerror=alert(1)>' }));
    expect(r).toEqual({ ok: true, capture: { ...good, status: 200 } });
  });

  it('drops with a reason: not JSON, wrong schema, oversize, bad base64', () => {
    expect(validateCapture('{')).toEqual({ ok: false, reason: 'not-json' });
    expect(validateCapture(42)).toEqual({ ok: false, reason: 'bad-schema' });
    expect(validateCapture(JSON.stringify({ ...good, channel: 'smtp' }))).toEqual({ ok: false, reason: 'bad-schema' });
    expect(validateCapture(JSON.stringify({ ...good, at: 'now' }))).toEqual({ ok: false, reason: 'bad-schema' });
    expect(validateCapture('x'.repeat(LIMITS.detailChars + 1))).toEqual({ ok: false, reason: 'too-large' });
    expect(validateCapture(JSON.stringify({ ...good, data: 'x'.repeat(LIMITS.textChars + 1) }))).toEqual({ ok: false, reason: 'too-large' });
    expect(validateCapture(JSON.stringify({ ...good, kind: 'binary', data: 'abc' }))).toEqual({ ok: false, reason: 'bad-base64' });
    expect(validateCapture(JSON.stringify({ ...good, kind: 'binary', data: 'ab$=' }))).toEqual({ ok: false, reason: 'bad-base64' });
    expect(validateCapture(JSON.stringify({ ...good, clientHead: 'EEXX' }))).toEqual({ ok: false, reason: 'bad-schema' });
    expect(validateCapture(JSON.stringify({ ...good, url: 'u'.repeat(LIMITS.urlChars + 1) }))).toEqual({ ok: false, reason: 'too-large' });
  });

  it('never throws on anything the page could dispatch', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.anything(),
        ),
        (detail) => {
          const r = validateCapture(detail);
          expect(typeof r.ok).toBe('boolean');
        },
      ),
    );
  });

  it('accepts every well-formed capture fast-check can build', () => {
    const capture = fc.record({
      v: fc.constant(1),
      channel: fc.constantFrom('fetch', 'xhr', 'websocket', 'eventsource', 'worker'),
      direction: fc.constantFrom('in', 'out'),
      url: fc.string({ maxLength: 200 }),
      at: fc.double({ noNaN: true, noDefaultInfinity: true }),
      kind: fc.constantFrom('text', 'structured'),
      data: fc.string({ maxLength: 500 }),
    });
    fc.assert(fc.property(capture, (c) => validateCapture(JSON.stringify(c)).ok));
  });
});

describe('RateGate', () => {
  it('admits at most N per second window', () => {
    const gate = new RateGate(3);
    const admitted = [0, 10, 20, 30, 40].map((t) => gate.admit(t));
    expect(admitted).toEqual([true, true, true, false, false]);
    expect(gate.admit(1000)).toBe(true);
  });
});

describe("hookDropsOf (the hook's drop report when no capture follows its drops)", () => {
  it('reads the report the hook sends, and nothing else', () => {
    expect(hookDropsOf(JSON.stringify({ v: 1, kind: 'drops', hookDropped: 7 }))).toBe(7);
    for (const other of [
      JSON.stringify({ v: 1, kind: 'drops', hookDropped: -1 }),
      JSON.stringify({ v: 1, kind: 'drops', hookDropped: 1.5 }),
      JSON.stringify({ v: 1, kind: 'drops', hookDropped: 1, extra: 1 }),
      JSON.stringify({ v: 1, kind: 'drops' }),
      '{"v":1,"kind":"drops",',
      JSON.stringify({ v: 1, kind: 'text', hookDropped: 3 }),
      7,
      null,
    ]) {
      expect(hookDropsOf(other)).toBeNull();
    }
    // A drop report is not a capture: validateCapture refuses it.
    expect(validateCapture(JSON.stringify({ v: 1, kind: 'drops', hookDropped: 7 })).ok).toBe(false);
  });
});
