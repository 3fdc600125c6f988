// Request sightings in the page: the salted fingerprint, the reporter's window (shut until an
// error is reported, 60 s after it, to the end of a flood wait it names), the context budget,
// and the HTTP / WebSocket / worker pieces that make sightings and pair errors with them.
import { describe, expect, it } from 'vitest';
import { createFingerprinter, pageFingerprint, readParsed } from '../../../src/hook/common/request-fingerprint.ts';
import { createReporter, SIGHTING_WINDOW_MS, sightingWindowFor } from '../../../src/hook/common/report.ts';
import { RecentRequests, requestOf, TEXT_KEPT_CHARS, isBotApiUrl } from '../../../src/hook/common/request-method.ts';
import { httpRequestFingerprint, sightHttpRequest } from '../../../src/hook/http/request-sighting.ts';
import { inspectWorkerMessage, newChannelState } from '../../../src/hook/workers/worker-message-inspector.ts';
import { readPageOwn } from '../../../src/hook/workers/structured-natives.ts';
import { PAGE_FINGERPRINT } from '../../../src/core/capture/capture.ts';
import type { HookCapture } from '../../../src/shared/messages.ts';
import { validateCaptureShape } from '../capture-shape.ts';

const T0 = 1_700_000_000_000;
const salt = (n: number) => new Uint8Array(16).fill(n);

function reporter() {
  const clock = { now: T0 };
  const captures: HookCapture[] = [];
  const report = createReporter({
    deliver: (detail) => {
      const capture = JSON.parse(detail) as HookCapture;
      // Call-note batches are the call log's (call-notes.test.ts), not sightings.
      if (capture.calls === undefined) captures.push(capture);
    },
    now: () => clock.now,
    perSecond: 5,
    schedule: () => undefined,
  });
  return { clock, captures, report };
}

describe('request fingerprint', () => {
  const f = createFingerprinter(salt(1), 'a1b2c3');

  it('is equal for an identical repeat and different for changed input, in the page format', () => {
    const a = f.text('{"_":"messages.sendMessage","peer":{"_":"inputPeerSelf"},"message":"hi","random_id":"1","msg_id":"7"}');
    expect(a).toMatch(PAGE_FINGERPRINT);
    expect(a.startsWith('pa1b2c3:')).toBe(true);
    // random_id and msg_id are drawn afresh per send; spacing is no part of the input.
    expect(f.text('{ "_": "messages.sendMessage", "peer": {"_": "inputPeerSelf"}, "message": "hi", "random_id": "2", "msg_id": "9" }')).toBe(a);
    expect(f.text('{"_":"messages.sendMessage","peer":{"_":"inputPeerSelf"},"message":"hi!","random_id":"1"}')).not.toBe(a);
    // TDLib's @extra, worker task / message ids: left out at any depth.
    expect(f.text('{"@type":"sendMessage","chat_id":5,"@extra":1}')).toBe(f.text('{"@type":"sendMessage","chat_id":5,"@extra":2}'));
    expect(f.value({ taskId: 1, args: [1, 'x'] }, readParsed)).toBe(f.value({ taskId: 2, args: [1, 'x'] }, readParsed));
    expect(f.value([1, 'x'], readParsed)).not.toBe(f.value(['1', 'x'], readParsed));
  });

  it('depends on the page salt: the same code gives another fingerprint on another page', () => {
    const g = createFingerprinter(salt(2), 'a1b2c3');
    const code = '{"_":"auth.signIn","phone_code":"12345"}';
    expect(g.text(code)).not.toBe(f.text(code));
    expect(pageFingerprint.text(code)).toMatch(PAGE_FINGERPRINT);
    expect(pageFingerprint.tag).toMatch(/^[0-9a-f]{6}$/);
  });

  it('hashes text that is not JSON as it is, and stays bounded on cycles, bytes and odd values', () => {
    expect(f.text('chat_id=1&text=hi')).not.toBe(f.text('chat_id=1&text=ho'));
    expect(f.text('{not json')).toMatch(PAGE_FINGERPRINT);
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(f.value(cyclic, readParsed)).toMatch(PAGE_FINGERPRINT);
    const bytes = new Uint8Array([1, 2, 3]);
    expect(f.value({ bytes }, readPageOwn)).not.toBe(f.value({ bytes: new Uint8Array([1, 2, 4]) }, readPageOwn));
    expect(f.value({ d: new Date(0), n: 1n, u: undefined, s: Symbol('x'), fn: () => 1 }, readPageOwn)).toMatch(PAGE_FINGERPRINT);
  });

  it("never runs the page's getters when walking its objects", () => {
    let calls = 0;
    const params = { message: 'hi' };
    Object.defineProperty(params, 'peer', { enumerable: true, get: () => ++calls });
    f.value(params, readPageOwn);
    expect(calls).toBe(0);
  });
});

describe('the sighting window', () => {
  it('is shut until an error is reported, open 60 s after it, then shut again', () => {
    const { clock, captures, report } = reporter();
    expect(report.sightingsOpen()).toBe(false);
    // Outgoing traffic and context do not open it.
    report.text({ channel: 'websocket', direction: 'out', url: 'wss://x' }, '{"error_code":400}');
    expect(report.sightingsOpen()).toBe(false);
    report.text({ channel: 'fetch', direction: 'in', url: 'https://x/api' }, '{"_":"rpc_error","error_code":400,"error_message":"MESSAGE_EMPTY"}');
    expect(report.sightingsOpen()).toBe(true);
    clock.now += SIGHTING_WINDOW_MS;
    expect(report.sightingsOpen()).toBe(true);
    clock.now += 1;
    expect(report.sightingsOpen()).toBe(false);
    expect(captures).toHaveLength(2);
  });

  it('stays open to the end of a flood wait the error names (bounded)', () => {
    expect(sightingWindowFor('{"error_message":"FLOOD_WAIT_5"}')).toBe(SIGHTING_WINDOW_MS);
    expect(sightingWindowFor('{"error_message":"FLOOD_WAIT_300"}')).toBe(301_000);
    expect(sightingWindowFor('{"ok":false,"error_code":429,"parameters":{"retry_after": 120}}')).toBe(121_000);
    expect(sightingWindowFor('{"error_message":"FLOOD_WAIT_999999"}')).toBe(86_400_000);
    const { clock, report } = reporter();
    report.structured({ channel: 'worker', direction: 'in', url: 'w' }, '{"type":"SLOWMODE_WAIT_90"}');
    clock.now += 90_000;
    expect(report.sightingsOpen()).toBe(true);
  });

  it('sends sightings as kind request in the context budget, so they never crowd out errors', () => {
    const { captures, report } = reporter();
    report.text({ channel: 'fetch', direction: 'in', url: 'https://x/api' }, '{"error_code":400}');
    for (let i = 0; i < 10; i++)
      report.request({
        channel: 'fetch',
        direction: 'out',
        url: 'https://x/api',
        method: 'messages.sendMessage',
        fingerprintOf: () => pageFingerprint.text('{}'),
      });
    report.text({ channel: 'fetch', direction: 'in', url: 'https://x/api' }, '{"error_code":400}');
    const sightings = captures.filter((c) => c.kind === 'request');
    expect(sightings).toHaveLength(5); // perSecond 5: the rest dropped and counted
    expect(captures.filter((c) => c.kind === 'text')).toHaveLength(2);
    for (const s of sightings) {
      expect(s).toMatchObject({ kind: 'request', direction: 'out', data: '', method: 'messages.sendMessage' });
      expect(s.fingerprint).toMatch(PAGE_FINGERPRINT);
      expect(validateCaptureShape(s)).toBe(true);
    }
  });

  it('a throwing fingerprint costs the capture its fingerprint only', () => {
    const { captures, report } = reporter();
    report.text(
      {
        channel: 'fetch',
        direction: 'in',
        url: 'u',
        fingerprintOf: () => {
          throw new Error('x');
        },
      },
      '{"error_code":400}',
    );
    expect(captures[0].fingerprint).toBeUndefined();
  });
});

describe('HTTP and WebSocket text requests', () => {
  it('fingerprints the body, or the query of a body-less call, and nothing it cannot read', () => {
    const body = '{"_":"messages.editMessage","id":5,"message":"x","msg_id":"1"}';
    expect(httpRequestFingerprint('/dc2/api', body)).toBe(pageFingerprint.text(body));
    expect(httpRequestFingerprint('/bot1:abc/sendMessage?chat_id=1', undefined)).not.toBe(httpRequestFingerprint('/bot1:abc/sendMessage?chat_id=2', undefined));
    expect(httpRequestFingerprint('/api', new Uint8Array(4))).toBeUndefined();
  });

  it('sights only requests that name an API method (TL-JSON / TDLib body, Bot API URL)', () => {
    const { captures, report } = reporter();
    sightHttpRequest(report, 'fetch', '/dc2/api', '{"_":"messages.getHistory","limit":1}');
    sightHttpRequest(report, 'xhr', '/bot123:abc/getMe', undefined);
    sightHttpRequest(report, 'fetch', '/static/app.js', undefined);
    sightHttpRequest(report, 'fetch', '/upload', '{"name":"x"}');
    expect(captures.map((c) => [c.channel, c.method ?? null])).toEqual([
      ['fetch', 'messages.getHistory'],
      ['xhr', null],
    ]);
    expect(isBotApiUrl('https://api.telegram.org/bot123:abc/sendMessage')).toBe(true);
    expect(isBotApiUrl('https://example.org/robots.txt')).toBe(false);
  });

  it('keeps a WebSocket request text so the answer that names its id carries its fingerprint', () => {
    const recent = new RecentRequests(4);
    const text = '{"@type":"sendMessage","chat_id":5,"@extra":7}';
    recent.remember(requestOf(text)!);
    expect(recent.requestFor('{"@type":"error","code":400,"message":"x","@extra":7}')).toEqual({ id: '7', method: 'sendMessage', text });
    const long = `{"_":"upload.saveFilePart","msg_id":"3","bytes":"${'a'.repeat(TEXT_KEPT_CHARS)}"}`;
    expect(requestOf(long)?.text).toBeUndefined();
  });
});

describe('worker calls', () => {
  const invoke = (id: number, method: string, params: unknown) => ({
    type: 'invoke',
    id,
    payload: { type: 'manager', payload: { name: 'apiManager', method: 'invokeApi', args: [method, params] } },
  });
  const failed = (taskId: number, type: string, code: number) => ({
    type: 'result',
    payload: { taskId, error: { type, code, originalError: { _: 'rpc_error', error_code: code, error_message: type } } },
  });

  it("an error carries its call's fingerprint; calls after it are sighted with theirs, none before", () => {
    const { captures, report } = reporter();
    const state = newChannelState('worker-1', 'http://x/w.js');
    inspectWorkerMessage(report, state, 'out', invoke(1, 'messages.sendMessage', { message: 'hi', random_id: '1' }));
    expect(captures).toHaveLength(0); // error-free so far: nothing sent
    inspectWorkerMessage(report, state, 'in', failed(1, 'FLOOD_WAIT_3', 420));
    inspectWorkerMessage(report, state, 'out', invoke(2, 'messages.sendMessage', { message: 'hi', random_id: '2' }));
    inspectWorkerMessage(report, state, 'out', invoke(3, 'messages.sendMessage', { message: 'other', random_id: '3' }));
    expect(captures.map((c) => [c.kind, c.direction, c.method])).toEqual([
      ['structured', 'in', 'messages.sendMessage'],
      ['request', 'out', 'messages.sendMessage'],
      ['request', 'out', 'messages.sendMessage'],
    ]);
    expect(captures[0].fingerprint).toMatch(PAGE_FINGERPRINT);
    expect(captures[1].fingerprint).toBe(captures[0].fingerprint);
    expect(captures[2].fingerprint).not.toBe(captures[0].fingerprint);
    for (const c of captures) expect(validateCaptureShape(c)).toBe(true);
  });

  it('mtcute calls are fingerprinted by their request, Web A calls by their args', () => {
    const { captures, report } = reporter();
    const state = newChannelState('worker-2', 'http://x/w.js');
    inspectWorkerMessage(report, state, 'out', { type: 'invoke', id: 4, target: 'client', method: 'call', args: [{ _: 'messages.getHistory', limit: 1 }] });
    inspectWorkerMessage(report, state, 'in', { type: 'result', id: 4, error: { _: 'mtcute.rpcError', code: 400, text: 'PEER_ID_INVALID' } });
    inspectWorkerMessage(report, state, 'out', { payloads: [{ type: 'callMethod', messageId: 'm1', name: 'sendMessage', args: [{ text: 'x' }] }] });
    expect(captures.map((c) => [c.kind, c.method])).toEqual([
      ['structured', 'messages.getHistory'],
      ['request', 'sendMessage'],
    ]);
    expect(captures[0].fingerprint).toBe(pageFingerprint.value({ _: 'messages.getHistory', limit: 1 }, readPageOwn));
    expect(captures[1].fingerprint).toBe(pageFingerprint.value([{ text: 'x' }], readPageOwn));
  });
});
