import { describe, expect, it } from 'vitest';
import { findErrors } from '../../src/core/dialects.ts';
import { decodeCapture } from '../../src/core/decode-capture.ts';

describe('worker protocols of the official web clients', () => {
  it('Web K: a task result carrying an ApiError, with its taskId', () => {
    const result = findErrors({
      type: 'result',
      payload: { taskId: 17, error: { type: 'FLOOD_WAIT_17', code: 420, originalError: { _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_17' } } },
    });
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ dialect: 'webk', code: 420, message: 'FLOOD_WAIT_17', callId: '17' });
  });

  it('Web K: inside a batch, and an ApiError without originalError', () => {
    const batch = { type: 'batch', payload: [{ type: 'result', payload: { taskId: 1, result: { ok: 1 } } }, { type: 'result', payload: { taskId: 2, error: { type: 'PEER_ID_INVALID', code: 400 } } }] };
    expect(findErrors(batch).errors.map((e) => [e.dialect, e.code, e.message, e.callId])).toEqual([['webk', 400, 'PEER_ID_INVALID', '2']]);
  });

  it('Web A: methodResponse errors, error updates and unhandled errors carry a message only', () => {
    const payloads = {
      payloads: [
        { type: 'methodResponse', messageId: 'm5', error: { message: 'CHAT_WRITE_FORBIDDEN' } },
        { type: 'updates', updates: [{ '@type': 'error', error: { message: 'SLOWMODE_WAIT_10', isSlowMode: true } }] },
        { type: 'methodResponse', messageId: 'm6', response: { ok: true } },
      ],
    };
    expect(findErrors(payloads).errors.map((e) => [e.dialect, e.code, e.message, e.callId ?? null])).toEqual([
      ['weba', null, 'CHAT_WRITE_FORBIDDEN', 'm5'],
      ['weba', null, 'SLOWMODE_WAIT_10', null],
    ]);
  });

  it('infers the code from the catalog for Web A messages', () => {
    const data = JSON.stringify({ type: 'methodResponse', messageId: 1, error: { message: 'SLOWMODE_WAIT_10' } });
    const { records } = decodeCapture({ v: 1, channel: 'worker', direction: 'in', url: 'worker', at: 0, kind: 'structured', data, method: 'sendMessage' });
    expect(records[0]).toMatchObject({ code: 420, codeInferred: true, class: 'FLOOD', params: { seconds: 10 }, dialect: 'weba', method: 'sendMessage' });
  });

  it('ignores look-alikes that are ordinary data', () => {
    expect(findErrors({ type: 'result', payload: { taskId: 1, result: { type: 'FLOOD_WAIT_5', error: 'none' } } }).errors).toEqual([]);
    expect(findErrors({ type: 'message', text: 'methodResponse error' }).errors).toEqual([]);
    expect(findErrors({ type: 'methodResponse', messageId: 1, error: 'a string' }).errors).toEqual([]);
  });
});
