import { describe, expect, it } from 'vitest';
import { decodeMessageBody, decodeDecryptedMessage } from '../../src/core/mtproto/tl/decode.ts';
import { RequestTracker } from '../../src/core/mtproto/tl/request-tracker.ts';
import { container, decrypted, gzipPacked, rpcError, rpcResult, tl } from './tl-helpers.ts';

const sendMessage = {
  _: 'messages.sendMessage',
  peer: { _: 'inputPeerUser', userId: 12345, accessHash: 987654321n },
  message: 'hello',
  randomId: 42n,
  silent: true,
  entities: [{ _: 'messageEntityBold', offset: 0, length: 5 }],
};

function firstCall(query: { _: string }, withOptional: boolean): Uint8Array {
  return tl({
    _: 'invokeWithLayer',
    layer: 214,
    query: {
      _: 'initConnection',
      apiId: 2496,
      deviceModel: 'Chrome',
      systemVersion: 'Linux x86_64',
      appVersion: '2.2 K',
      systemLangCode: 'en-US',
      langPack: 'webk',
      langCode: 'en',
      proxy: withOptional ? { _: 'inputClientProxy', address: 'proxy.example', port: 443 } : undefined,
      params: withOptional
        ? {
            _: 'jsonObject',
            value: [
              { _: 'jsonObjectValue', key: 'tz_offset', value: { _: 'jsonNumber', value: 3600 } },
              {
                _: 'jsonObjectValue',
                key: 'list',
                value: { _: 'jsonArray', value: [{ _: 'jsonBool', value: true }, { _: 'jsonNull' }, { _: 'jsonString', value: 's' }] },
              },
            ],
          }
        : undefined,
      query,
    },
  });
}

describe('outgoing requests', () => {
  it('unwraps invokeWithLayer(initConnection(messages.sendMessage)) serialised by mtcute, with and without proxy/params', async () => {
    const { methodNameFromSchema } = await import('./tl-helpers.ts');
    for (const withOptional of [false, true]) {
      const bytes = firstCall(sendMessage, withOptional);
      const f = decodeMessageBody(bytes, { direction: 'out', msgId: '1000', methodName: methodNameFromSchema });
      expect(f.diagnostics).toEqual([]);
      expect(f.requests).toEqual([
        {
          msgId: '1000',
          method: 'messages.sendMessage',
          constructorId: '0x545cd15a',
          wrappers: ['invokeWithLayer', 'initConnection'],
          layer: 214,
          apiId: 2496,
          path: ['invokeWithLayer', 'initConnection', 'messages.sendMessage'],
          byteOffset: 0,
          byteLength: bytes.length,
          compressed: false,
        },
      ]);
    }
  });

  it('unwraps invokeAfterMsg, invokeAfterMsgs, invokeWithoutUpdates and containers of requests', async () => {
    const { methodNameFromSchema } = await import('./tl-helpers.ts');
    const a = tl({
      _: 'invokeAfterMsg',
      msgId: 5n,
      query: { _: 'messages.getDialogs', offsetDate: 0, offsetId: 0, offsetPeer: { _: 'inputPeerEmpty' }, limit: 20, hash: 0n },
    });
    const b = tl({ _: 'invokeAfterMsgs', msgIds: [1n, 2n, 3n], query: { _: 'invokeWithoutUpdates', query: { _: 'help.getConfig' } } });
    const c = tl({ _: 'mt_msgs_ack', msgIds: [9n] });
    const d = tl({ _: 'mt_ping', pingId: 77n });
    const e = gzipPacked(tl({ _: 'invokeWithoutUpdates', query: { _: 'updates.getState' } }));
    const tracker = new RequestTracker();
    const f = decodeMessageBody(
      container([
        { msgId: 11n, body: a },
        { msgId: 12n, body: b },
        { msgId: 13n, body: c },
        { msgId: 14n, body: d },
        { msgId: 15n, body: e },
      ]),
      { direction: 'out', methodName: methodNameFromSchema, tracker },
    );
    expect(f.diagnostics).toEqual([]);
    expect(f.requests.map((r) => [r.msgId, r.method, r.wrappers.join('+'), r.compressed])).toEqual([
      ['11', 'messages.getDialogs', 'invokeAfterMsg', false],
      ['12', 'help.getConfig', 'invokeAfterMsgs+invokeWithoutUpdates', false],
      ['14', 'ping', '', false],
      ['15', 'updates.getState', 'invokeWithoutUpdates', true],
    ]);
    expect(f.objects.map((o) => o.name)).toEqual(['msgs_ack']);
    expect(tracker.lookup('12')?.method).toBe('help.getConfig');
    expect(tracker.lookup('13')).toBeNull();
  });

  it('pairs an incoming rpc_error with the request that caused it', async () => {
    const { methodNameFromSchema } = await import('./tl-helpers.ts');
    const tracker = new RequestTracker();
    const reqMsgId = 0x65000000_00000004n;
    decodeDecryptedMessage(decrypted(reqMsgId, firstCall(sendMessage, false)), { direction: 'out', methodName: methodNameFromSchema, tracker });
    // The tracker survives a service-worker restart through JSON.
    const restored = RequestTracker.restore(JSON.parse(JSON.stringify(tracker.save())));
    const f = decodeDecryptedMessage(
      decrypted(0x65000000_00000101n, container([{ msgId: 0x65000000_00000105n, body: rpcResult(reqMsgId, gzipPacked(rpcError(400, 'PEER_ID_INVALID'))) }])),
      { direction: 'in', tracker: restored },
    );
    expect(f.rpcErrors).toMatchObject([{ code: 400, message: 'PEER_ID_INVALID', method: 'messages.sendMessage', reqMsgId: reqMsgId.toString() }]);
    // bad_msg_notification names the rejected method too.
    const g = decodeMessageBody(tl({ _: 'mt_bad_msg_notification', badMsgId: reqMsgId, badMsgSeqno: 1, errorCode: 16 }), {
      direction: 'in',
      tracker: restored,
    });
    expect(g.protocolErrors[0].method).toBe('messages.sendMessage');
  });

  it('keeps the tracker bounded and tolerates junk on restore', () => {
    const t = new RequestTracker(3);
    for (let i = 0; i < 10; i++) t.remember(String(i), { method: `m${i}`, constructorId: '0x0' });
    expect(t.size).toBe(3);
    expect(t.lookup('6')).toBeNull();
    expect(t.lookup('9')?.method).toBe('m9');
    expect(RequestTracker.restore(null).size).toBe(0);
    expect(RequestTracker.restore({ v: 1, capacity: 5, entries: [[1, 2], 'x', ['7', null, '0x1']] }).lookup('7')).toEqual({
      method: null,
      constructorId: '0x1',
    });
  });

  it('reports a request whose id the lookup does not know with method null', () => {
    const f = decodeMessageBody(tl({ _: 'invokeWithLayer', layer: 1, query: { _: 'help.getConfig' } }), { direction: 'out', msgId: '4' });
    expect(f.requests).toMatchObject([{ method: null, constructorId: '0xc4f9186b', wrappers: ['invokeWithLayer'], layer: 1 }]);
  });

  it('diagnoses a truncated initConnection', async () => {
    const { methodNameFromSchema } = await import('./tl-helpers.ts');
    const bytes = firstCall(sendMessage, true);
    const f = decodeMessageBody(bytes.subarray(0, 40), { direction: 'out', methodName: methodNameFromSchema });
    expect(f.requests).toEqual([]);
    expect(f.diagnostics.join()).toMatch(/initConnection/);
  });
});
