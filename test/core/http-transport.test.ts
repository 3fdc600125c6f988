// HTTP transport (/apiw1): the request body's head travels with the response capture, so the
// error the response carries names its method.
import { describe, expect, it } from 'vitest';
import { decodeCapture, CaptureSession } from '../../src/core/capture/decode-capture.ts';
import { toBase64, toHex } from '../../src/core/mtproto/bytes.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';
import { concat, rpcError, rpcResult, tl, unencrypted } from '../mtproto/tl-helpers.ts';

const msgId = 0x6500000000000004n;

function response(requestHead: Uint8Array | null): HookCapture {
  const body = unencrypted(0x6500000000000001n, rpcResult(msgId, rpcError(420, 'FLOOD_WAIT_9')));
  const capture: HookCapture = {
    v: 1,
    channel: 'fetch',
    direction: 'in',
    url: 'https://venus.web.telegram.org/apiw1',
    at: 0,
    kind: 'binary',
    data: toBase64(body),
    status: 200,
  };
  if (requestHead) capture.requestHead = toHex(requestHead);
  return capture;
}

describe('HTTP transport request bodies', () => {
  it('names the method from the request head kept with the response', () => {
    const request = unencrypted(
      msgId,
      tl({ _: 'messages.getHistory', peer: { _: 'inputPeerSelf' }, offsetId: 0, offsetDate: 0, addOffset: 0, limit: 20, maxId: 0, minId: 0, hash: 0n }),
    );
    const { records } = decodeCapture(response(request), new CaptureSession());
    expect(records[0]).toMatchObject({ code: 420, message: 'FLOOD_WAIT_9', method: 'messages.getHistory', dc: 2 });
  });

  it('reads msg_id and method from a head cut short', () => {
    const request = unencrypted(
      msgId,
      concat(tl({ _: 'messages.getHistory', peer: { _: 'inputPeerSelf' }, offsetId: 0, offsetDate: 0, addOffset: 0, limit: 20, maxId: 0, minId: 0, hash: 0n })),
    );
    const { records } = decodeCapture(response(request.subarray(0, 24)), new CaptureSession());
    expect(records[0].method).toBe('messages.getHistory');
  });

  it('without a head the method stays unknown', () => {
    expect(decodeCapture(response(null), new CaptureSession()).records[0].method).toBeNull();
  });
});
