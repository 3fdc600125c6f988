import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanMessage, SCAN_LIMITS } from '../../../src/hook/workers/structured-prefilter.ts';
import { readClonedOwn, readPageOwn } from '../../../src/hook/workers/structured-natives.ts';
import { findErrors } from '../../../src/core/dialects/dialects.ts';

const apiError = { type: 'FLOOD_WAIT_17', code: 420, originalError: { _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_17' } };

describe("structured prefilter: the web clients' protocols", () => {
  it('finds a Web K result error and names its task', () => {
    const task = { type: 'result', payload: { taskId: 7, error: apiError } };
    const scan = scanMessage(task);
    expect(scan.hits).toEqual([{ node: task, callId: '7' }]);
  });

  it('finds each error of a Web K batch and forgets successful results', () => {
    const failed = { type: 'result', payload: { taskId: 3, error: { type: 'PEER_ID_INVALID', code: 400 } } };
    const batch = {
      type: 'batch',
      payload: [{ type: 'result', payload: { taskId: 2, result: { _: 'messages.messages' } } }, failed, { type: 'ack', payload: { taskId: 4 } }],
    };
    const scan = scanMessage(batch);
    expect(scan.hits.map((h) => [h.node, h.callId])).toEqual([[failed, '3']]);
    expect(scan.answered).toEqual(['2']);
  });

  it('does not walk a successful result, however error-like its content', () => {
    const result = { type: 'result', payload: { taskId: 1, result: { _: 'rpc_error', error_code: 400, error_message: 'X' } } };
    expect(scanMessage(result).hits).toEqual([]);
  });

  it('reads Web K invokes (direct API calls and manager calls)', () => {
    const direct = {
      type: 'invoke',
      id: 5,
      payload: { type: 'manager', payload: { name: 'apiManager', method: 'invokeApi', args: ['messages.sendMessage', { message: 'hi' }] } },
    };
    const manager = { type: 'invoke', id: 6, payload: { type: 'manager', payload: { name: 'appMessagesManager', method: 'sendText', args: [{ peerId: 1 }] } } };
    expect(scanMessage({ type: 'batch', payload: [direct, manager] }).calls).toMatchObject([
      { id: '5', method: 'messages.sendMessage', input: { message: 'hi' } },
      { id: '6', method: 'appMessagesManager.sendText', input: [{ peerId: 1 }] },
    ]);
  });

  it('finds Web A method responses, error updates and crashes, and reads its calls', () => {
    const response = { type: 'methodResponse', messageId: 'm5', error: { message: 'CHAT_WRITE_FORBIDDEN' } };
    const update = { '@type': 'error', error: { message: 'FLOOD_WAIT_5', isSlowMode: false } };
    const crash = { type: 'unhandledError', error: { message: 'boom' } };
    const message = {
      payloads: [
        response,
        { type: 'methodResponse', messageId: 'm6', response: { '@type': 'error-like user data', error_code: 1 } },
        { type: 'updates', updates: [{ '@type': 'newMessage', message: { text: 'FLOOD_WAIT_5 error_code' } }, update] },
        crash,
      ],
    };
    const scan = scanMessage(message);
    expect(scan.hits.map((h) => [h.node, h.callId])).toEqual([
      [response, 'm5'],
      [update, undefined],
      [crash, undefined],
    ]);
    expect(scan.answered).toEqual(['m6']);
    expect(scanMessage({ payloads: [{ type: 'callMethod', messageId: 'm9', name: 'sendMessage', args: [{}] }] }).calls).toMatchObject([
      { id: 'm9', method: 'sendMessage', input: [{}] },
    ]);
  });

  it('finds generic error shapes anywhere within the walk, with the enclosing method', () => {
    const rpc = { _: 'rpc_error', error_code: 303, error_message: 'USER_MIGRATE_2' };
    const scan = scanMessage({ kind: 'reply', method: 'auth.signIn', body: { inner: [rpc] } });
    expect(scan.hits).toEqual([{ node: rpc, method: 'auth.signIn' }]);
    for (const shape of [
      { ok: false, error_code: 429, description: 'x' },
      { '@type': 'error', code: 400, message: 'X' },
      { errorMessage: 'X', code: 420 },
    ]) {
      expect(scanMessage({ a: { b: shape } }).hits.map((h) => h.node)).toEqual([shape]);
    }
  });

  it('passes ordinary traffic with error words in user data', () => {
    const chat = { type: 'mirror', payload: { messages: [{ text: 'rpc_error FLOOD_WAIT_5 error_code ok:false', from: { name: 'errorMessage' } }] } };
    expect(scanMessage(chat).hits).toEqual([]);
    expect(scanMessage({ payloads: [{ type: 'updates', updates: [{ '@type': 'newMessage', text: '{"@type":"error"}' }] }] }).hits).toEqual([]);
    expect(scanMessage('FLOOD_WAIT_5').hits).toEqual([]);
  });

  it('returns binary values for the binary prefilter', () => {
    const bytes = new Uint8Array(8);
    const buffer = new ArrayBuffer(4);
    expect(scanMessage({ part: bytes, list: [buffer] }).binaries).toEqual([bytes, buffer]);
    expect(scanMessage(bytes).binaries).toEqual([bytes]);
  });

  it('never runs getters and ignores prototype pollution', () => {
    let calls = 0;
    const message = { payload: {} };
    Object.defineProperty(message, 'error_code', { enumerable: true, get: () => ++calls });
    Object.defineProperty(message, 'type', { enumerable: true, get: () => (calls++, 'result') });
    scanMessage(message);
    expect(calls).toBe(0);
    const proto = Object.prototype as Record<string, unknown>;
    let protoGetterRuns = 0;
    Object.defineProperty(proto, 'payloads', { configurable: true, get: () => (protoGetterRuns++, []) });
    proto.type = 'result';
    try {
      for (const read of [readPageOwn, readClonedOwn]) {
        expect(scanMessage({ payload: { taskId: 1, error: {} } }, read).hits).toEqual([]);
        expect(scanMessage(structuredClone({ payloads: [{ type: 'unhandledError', error: { message: 'x' } }] }), read).hits).toHaveLength(1);
      }
      expect(protoGetterRuns).toBe(0);
    } finally {
      delete proto.type;
      delete proto.payloads;
    }
  });
});

// Arbitrary structured-clone-like values.
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('node'), { maxLength: 6 }),
    fc.dictionary(
      fc.oneof(fc.string(), fc.constantFrom('type', 'payload', 'payloads', 'error', 'taskId', 'messageId', 'updates', '@type', '_', 'ok', 'method')),
      tie('node'),
      { maxKeys: 6 },
    ),
  ),
})).node;

describe('structured prefilter: properties', () => {
  it('never throws and stays within its limits for arbitrary values', () => {
    fc.assert(
      fc.property(value, (v) => {
        const scan = scanMessage(v);
        expect(scan.hits.length).toBeLessThanOrEqual(SCAN_LIMITS.maxHits);
        expect(scan.binaries.length).toBeLessThanOrEqual(SCAN_LIMITS.maxBinaries);
      }),
      { numRuns: 500 },
    );
  });

  it("reads received clones and the page's own objects alike", () => {
    fc.assert(
      fc.property(value, (v) => {
        const clone = structuredClone(v);
        const strip = (scan: ReturnType<typeof scanMessage>) => ({ ...scan, hits: scan.hits.map((h) => ({ ...h, node: JSON.stringify(h.node) })) });
        expect(strip(scanMessage(clone, readClonedOwn))).toEqual(strip(scanMessage(v, readPageOwn)));
      }),
      { numRuns: 300 },
    );
  });

  it('finds an rpc_error planted anywhere in a small value, as the background would', () => {
    const planted = { _: 'rpc_error', error_code: 400, error_message: 'PEER_ID_INVALID' };
    fc.assert(
      fc.property(fc.array(fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())), { maxLength: 20 }), fc.nat(), (records, at) => {
        const list: unknown[] = [...records];
        list.splice(at % (list.length + 1), 0, { wrapper: planted });
        const scan = scanMessage({ data: list });
        expect(scan.hits.map((h) => h.node)).toContain(planted);
        // Every hit the prefilter passes on is something the background recognises.
        expect(findErrors(planted).errors).toHaveLength(1);
      }),
      { numRuns: 300 },
    );
  });

  it('stops at the node budget on huge and deep values', () => {
    const wide = { list: Array.from({ length: 100_000 }, (_, i) => ({ i })) };
    let deep: unknown = { _: 'rpc_error', error_code: 400, error_message: 'X' };
    for (let i = 0; i < 1000; i++) deep = { next: deep };
    const started = performance.now();
    expect(scanMessage(wide).hits).toEqual([]);
    expect(scanMessage(deep).hits).toEqual([]);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('handles cycles', () => {
    const a: Record<string, unknown> = { x: 1 };
    a.self = a;
    a.list = [a, a];
    expect(scanMessage(a).hits).toEqual([]);
  });
});
