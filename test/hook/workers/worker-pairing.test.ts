import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createReporter } from '../../../src/hook/common/report.ts';
import { callIdOf, RecentCalls } from '../../../src/hook/workers/worker-calls.ts';
import { inspectWorkerMessage, newChannelState } from '../../../src/hook/workers/worker-message-inspector.ts';
import { decodeCapture } from '../../../src/core/capture/decode-capture.ts';
import type { HookCapture } from '../../../src/shared/messages.ts';
import { validateCaptureShape } from '../capture-shape.ts';

function channel() {
  const captures: HookCapture[] = [];
  /** Call-note batches (the call log's), apart from the captures that can carry errors. */
  const notes: HookCapture[] = [];
  const report = createReporter({
    deliver: (detail) => {
      const capture = JSON.parse(detail) as HookCapture;
      (capture.calls !== undefined ? notes : captures).push(capture);
    },
    now: () => 1_700_000_000_000,
  });
  const state = newChannelState('sharedworker-ab-1', 'http://127.0.0.1/webk/mtproto.shared-worker.js');
  return {
    captures,
    notes,
    report,
    state,
    out: (message: unknown) => inspectWorkerMessage(report, state, 'out', message),
    in: (message: unknown) => inspectWorkerMessage(report, state, 'in', message),
  };
}

const invoke = (id: number, name: string, method: string, args: unknown[]) => ({
  type: 'invoke',
  id,
  payload: { type: 'manager', payload: { name, method, args, accountNumber: 0 } },
});
const failed = (taskId: number, error: unknown) => ({ type: 'result', payload: { taskId, error } });
/** tweb's ApiError for a server error (networker.ts processError): the rpc_error rides along. */
const apiError = (code: number, type: string) => ({
  type,
  code,
  message: `CODE#${code} ${type}`,
  originalError: { _: 'rpc_error', error_code: code, error_message: type },
});

describe('pairing worker answers with calls', () => {
  it('names Web K errors by the invoke they answer, direct API calls by their Telegram method', () => {
    const c = channel();
    c.out(invoke(1, 'apiManager', 'invokeApi', ['messages.sendMessage', { message: 'hi' }]));
    c.out({
      type: 'batch',
      payload: [invoke(2, 'appMessagesManager', 'sendText', [{ peerId: 5, text: 'x' }]), invoke(3, 'apiManager', 'invokeApiSingle', ['users.getFullUser', {}])],
    });
    c.in(failed(1, { type: 'FLOOD_WAIT_17', code: 420, originalError: { _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_17' } }));
    c.in({ type: 'batch', payload: [failed(2, apiError(400, 'PEER_ID_INVALID')), { type: 'result', payload: { taskId: 3, result: { _: 'userFull' } } }] });
    c.in(failed(99, apiError(401, 'SESSION_REVOKED')));
    expect(c.captures.map((x) => [x.kind, x.channel, x.direction, x.conn, x.method])).toEqual([
      ['structured', 'worker', 'in', 'sharedworker-ab-1', 'messages.sendMessage'],
      ['structured', 'worker', 'in', 'sharedworker-ab-1', 'appMessagesManager.sendText'],
      ['structured', 'worker', 'in', 'sharedworker-ab-1', undefined],
    ]);
    for (const capture of c.captures) expect(validateCaptureShape(capture)).toBe(true);
    // The call log: every call noted before the error that answers it, then the answers.
    const noted = () =>
      c.notes.flatMap((n) =>
        n.calls!.split('\n').map((line) =>
          line
            .split('\t')
            .filter((_, i) => i !== 3)
            .join(' '),
        ),
      );
    // (each error's report sends the notes before it; a reported answer is noted after its report).
    expect(noted()).toEqual([
      'q sharedworker-ab-1 1 messages.sendMessage',
      'q sharedworker-ab-1 2 appMessagesManager.sendText',
      'q sharedworker-ab-1 3 users.getFullUser',
      'e sharedworker-ab-1 1',
      'k sharedworker-ab-1 3',
      'e sharedworker-ab-1 2',
    ]);
    for (const n of c.notes) expect(validateCaptureShape(n)).toBe(true);
    // Answered calls are forgotten.
    expect(c.state.sent?.size).toBe(0);

    const records = c.captures.flatMap((capture) => decodeCapture(capture).records);
    expect(records.map((r) => [r.code, r.message, r.dialect, r.method, r.channel])).toEqual([
      [420, 'FLOOD_WAIT_17', 'webk', 'messages.sendMessage', 'worker'],
      [400, 'PEER_ID_INVALID', 'webk', 'appMessagesManager.sendText', 'worker'],
      [401, 'SESSION_REVOKED', 'webk', null, 'worker'],
    ]);
  });

  it('names Web K calls that pass one object (invokeApiSingleProcess) and errors carried by an ack', () => {
    const c = channel();
    c.out({
      type: 'batch',
      payload: [
        {
          type: 'invoke',
          id: 0.61,
          payload: {
            type: 'manager',
            payload: {
              name: 'apiManager',
              method: 'invokeApiSingleProcess',
              args: [{ method: 'payments.getStarGifts', params: { hash: 0 } }],
              accountNumber: 0,
            },
            withAck: true,
          },
        },
      ],
      id: 1.61,
    });
    c.in({ type: 'batch', payload: [{ type: 'ack', payload: { taskId: 0.61, cached: true, error: apiError(400, 'STARGIFT_INVALID') }, id: 0.22 }], id: 1.22 });
    expect(c.captures.map((x) => x.method)).toEqual(['payments.getStarGifts']);
  });

  it('pairs mtcute results with their invoke and names client.call by the request', () => {
    const c = channel();
    c.out({
      type: 'invoke',
      id: 0,
      target: 'client',
      method: 'call',
      args: [{ _: 'messages.sendMessage', message: 'hi' }, undefined],
      void: false,
      withAbort: false,
    });
    c.out({ type: 'invoke', id: 1, target: 'custom', method: 'hello', args: [], void: false, withAbort: false });
    c.in({ type: 'result', id: 1, result: 'world' });
    c.in({ type: 'result', id: 0, error: { name: 'RpcError', message: 'x', stack: 'x', custom: { code: 400, text: 'PEER_ID_INVALID' } } });
    expect(c.captures.map((x) => x.method)).toEqual(['messages.sendMessage']);
    expect(c.state.sent?.size).toBe(0);
  });

  it('names Web A errors by the callMethod they answer; error updates stay unnamed', () => {
    const c = channel();
    c.out({ payloads: [{ type: 'callMethod', messageId: 'a1', name: 'sendMessage', args: [{ text: 'hello' }] }] });
    c.in({
      payloads: [
        { type: 'methodResponse', messageId: 'a1', error: { message: 'CHAT_WRITE_FORBIDDEN' } },
        { type: 'updates', updates: [{ '@type': 'error', error: { message: 'FLOOD_WAIT_5', isSlowMode: false } }] },
      ],
    });
    const records = c.captures.flatMap((capture) => decodeCapture(capture).records);
    expect(records.map((r) => [r.code, r.codeInferred, r.message, r.dialect, r.method])).toEqual([
      [403, true, 'CHAT_WRITE_FORBIDDEN', 'weba', 'sendMessage'],
      [420, true, 'FLOOD_WAIT_5', 'weba', null],
    ]);
  });

  it('reports errors where the page receives them; what it posts (a relay) only pairs', () => {
    const c = channel();
    c.in(invoke(4, 'apiManager', 'invokeApi', ['help.getConfig', {}]));
    c.out(failed(4, { type: 'AUTH_KEY_UNREGISTERED', code: 401 }));
    c.out('{"_":"rpc_error","error_code":400,"error_message":"X"}');
    c.out({ part: Uint8Array.of(0, 0, 0x19, 0xca, 0x44, 0x21, 0, 0) });
    expect(c.captures).toEqual([]);
    expect(c.state.received?.size).toBe(0);
  });

  it('reports nothing for ordinary traffic, and text or binary messages only when they can hold an error', () => {
    const c = channel();
    c.out(invoke(1, 'appMessagesManager', 'sendText', [{ text: 'FLOOD_WAIT_5 rpc_error error_code' }]));
    c.in({ type: 'result', payload: { taskId: 1, result: { message: 'PEER_ID_INVALID', _: 'rpc_error' } } });
    c.in('just text with an error in it');
    c.in(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(c.captures).toEqual([]);
    c.in('{"_":"rpc_error","error_code":400,"error_message":"X"}');
    c.in({ part: Uint8Array.of(0, 0, 0x19, 0xca, 0x44, 0x21, 0, 0) });
    expect(c.captures.map((x) => x.kind)).toEqual(['text', 'binary']);
  });

  it('keeps a bounded number of unanswered calls', () => {
    const calls = new RecentCalls(8);
    for (let i = 0; i < 1000; i++) calls.remember({ id: String(i), method: `m${i}` });
    expect(calls.size).toBe(8);
    expect(calls.take('0')).toBeUndefined();
    expect(calls.take('999')).toBe('m999');
    const c = channel();
    for (let i = 0; i < 10_000; i++) c.out(invoke(i, 'appChatsManager', 'getChat', [i]));
    expect(c.state.sent!.size).toBeLessThanOrEqual(256);
  });

  it('call ids: numbers and short strings only', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        const id = callIdOf(v);
        return id === undefined || (typeof id === 'string' && id.length <= 64);
      }),
    );
  });

  it('never throws into the page on arbitrary messages in either direction', () => {
    const c = channel();
    fc.assert(
      fc.property(fc.anything({ withTypedArray: true, withMap: true, withBigInt: true }), fc.boolean(), (message, outgoing) => {
        (outgoing ? c.out : c.in)(message);
      }),
      { numRuns: 500 },
    );
  });
});
