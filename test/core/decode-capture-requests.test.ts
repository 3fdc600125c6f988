// decodeCapture hands the handling audit the requests it read, and each error record the msg_id
// of the request it answers.
import { describe, expect, it } from 'vitest';
import { decodeCapture, CaptureSession } from '../../src/core/capture/decode-capture.ts';
import { toBase64, toHex } from '../../src/core/mtproto/bytes.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';
import { container, gzipPacked, rpcError, rpcResult, tl, u32, unencrypted } from '../mtproto/tl-helpers.ts';

const msgId = 0x6500000000000004n;
const history = () =>
  tl({ _: 'messages.getHistory', peer: { _: 'inputPeerSelf' }, offsetId: 0, offsetDate: 0, addOffset: 0, limit: 20, maxId: 0, minId: 0, hash: 0n });

function response(requestHead: Uint8Array, at: number): HookCapture {
  const body = unencrypted(0x6500000000000001n, rpcResult(msgId, rpcError(400, 'PEER_ID_INVALID')));
  return {
    v: 1,
    channel: 'fetch',
    direction: 'in',
    url: 'https://venus.web.telegram.org/apiw1',
    at,
    kind: 'binary',
    data: toBase64(body),
    status: 200,
    requestHead: toHex(requestHead),
  };
}

describe('decodeCapture: requests for the handling audit', () => {
  it('lists the request a response carries, with msg_id, method, DC, fingerprint and the capture time', () => {
    const decoded = decodeCapture(response(unencrypted(msgId, history()), 1234), new CaptureSession(4, new Uint8Array(16).fill(7)));
    expect(decoded.requests).toHaveLength(1);
    expect(decoded.requests![0]).toMatchObject({ msgId: msgId.toString(), method: 'messages.getHistory', dc: 2, at: 1234, authKeyId: null });
    // The error names the request it answers, so the audit pairs them.
    expect(decoded.records[0].reqMsgId).toBe(msgId.toString());
  });

  it('gives equal fingerprints to identical requests and none without a readable body', () => {
    const session = new CaptureSession(4, new Uint8Array(16).fill(1));
    const a = decodeCapture(response(unencrypted(msgId, history()), 1), session).requests![0];
    const b = decodeCapture(response(unencrypted(msgId + 4n, history()), 2), session).requests![0];
    expect(a.fingerprint).toMatch(/^[0-9a-f]+$/);
    expect(b.fingerprint).toBe(a.fingerprint);
    const other = decodeCapture(
      response(
        unencrypted(
          msgId + 8n,
          tl({ _: 'messages.getHistory', peer: { _: 'inputPeerSelf' }, offsetId: 5, offsetDate: 0, addOffset: 0, limit: 20, maxId: 0, minId: 0, hash: 0n }),
        ),
        2,
      ),
      session,
    ).requests![0];
    expect(other.fingerprint).not.toBe(a.fingerprint);
    const cut = decodeCapture(response(unencrypted(msgId, history()).subarray(0, 24), 3), session).requests![0];
    expect(cut.method).toBe('messages.getHistory');
    expect(cut.fingerprint).toBeNull();
  });

  it('a capture without requests has none listed', () => {
    const capture: HookCapture = {
      v: 1,
      channel: 'fetch',
      direction: 'in',
      url: 'https://x/',
      at: 0,
      kind: 'text',
      data: '{"_":"rpc_error","error_code":400,"error_message":"X"}',
    };
    expect(decodeCapture(capture).requests).toBeUndefined();
  });
});

describe('decodeCapture: answers for the call log', () => {
  it('lists the req_msg_ids of the successful rpc_results a frame carried, not those of errors', () => {
    const body = unencrypted(
      0x6500000000000001n,
      container([
        { msgId: 0x6500000000000005n, body: rpcResult(11n, u32(0x997275b5)) },
        { msgId: 0x6500000000000009n, body: rpcResult(12n, rpcError(420, 'FLOOD_WAIT_3')) },
        { msgId: 0x650000000000000dn, body: rpcResult(13n, gzipPacked(u32(0xbc799737))) },
      ]),
    );
    const capture: HookCapture = {
      v: 1,
      channel: 'fetch',
      direction: 'in',
      url: 'https://venus.web.telegram.org/apiw1',
      at: 5,
      kind: 'binary',
      data: toBase64(body),
      status: 200,
    };
    const decoded = decodeCapture(capture);
    expect(decoded.answers).toEqual([
      { reqMsgId: '11', at: 5 },
      { reqMsgId: '13', at: 5 },
    ]);
    expect(decoded.records.map((r) => r.reqMsgId)).toEqual(['12']);
  });
});

describe('CaptureSession.save / restore: request pairing outlives the service worker', () => {
  const salt = new Uint8Array(16).fill(9);
  const request = (id: bigint, at: number): HookCapture => ({
    v: 1,
    channel: 'fetch',
    direction: 'out',
    url: 'https://venus.web.telegram.org/apiw1',
    at,
    kind: 'binary',
    data: toBase64(unencrypted(id, history())),
  });

  it('an answer decoded by the restored session names the method, masked parameters and the same fingerprint', () => {
    const before = new CaptureSession(4, salt);
    const sent = decodeCapture(request(msgId, 1), before).requests![0];
    // Through JSON, as strict as any storage.
    const after = CaptureSession.restore(JSON.parse(JSON.stringify(before.save())), salt, 4);
    const answer: HookCapture = {
      v: 1,
      channel: 'fetch',
      direction: 'in',
      url: 'https://venus.web.telegram.org/apiw1',
      at: 2,
      kind: 'binary',
      data: toBase64(unencrypted(0x6500000000000001n, rpcResult(msgId, rpcError(400, 'PEER_ID_INVALID')))),
    };
    const [record] = decodeCapture(answer, after).records;
    expect(record.method).toBe('messages.getHistory');
    expect(record.request?.fingerprint).toBe(sent.fingerprint);
    expect(record.request?.params).toMatchObject({ _: 'messages.getHistory', limit: 20 });
    // The same request again after the restart: the same fingerprint (the salt came back), so a repeat is a repeat.
    expect(decodeCapture(request(msgId + 4n, 3), after).requests![0].fingerprint).toBe(sent.fingerprint);
    // Without the session, nothing names it.
    expect(decodeCapture(answer, new CaptureSession(4, salt)).records[0].method).toBeNull();
  });

  it('is bounded: the newest requests of the most recent connections, long parameters left out', () => {
    const session = new CaptureSession(64, salt);
    for (let c = 0; c < 12; c++)
      for (let i = 0; i < 200; i++)
        session.trackerFor(`conn${c}`).remember(String(i), { method: 'm', constructorId: '0x1', params: 'x'.repeat(i === 199 ? 5000 : 10), fingerprint: 'f' });
    const saved = session.save();
    expect(saved.connections.map((c) => c.connection)).toEqual(['conn4', 'conn5', 'conn6', 'conn7', 'conn8', 'conn9', 'conn10', 'conn11']);
    for (const c of saved.connections) {
      expect(c.requests!.entries).toHaveLength(128);
      expect(c.requests!.entries.at(-1)).toEqual(['199', 'm', '0x1', null, 'f']);
    }
    expect(() =>
      CaptureSession.restore({ v: 1, connections: [null, { connection: 5 }, { connection: 'a', requests: 'junk', sessionIds: [1, 'x'] }] }, salt),
    ).not.toThrow();
    expect(CaptureSession.restore('junk', salt)).toBeInstanceOf(CaptureSession);
  });
});
