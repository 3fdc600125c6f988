import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeCapture } from '../../src/core/capture/decode-capture.ts';
import type { HookCapture } from '../../src/shared/messages.ts';
import { toBase64 } from '../../src/core/mtproto/bytes.ts';

const AT = Date.parse('2026-11-21T12:00:00.000Z');
const text = (data: string, o: Partial<HookCapture> = {}): HookCapture => ({
  v: 1,
  channel: 'fetch',
  direction: 'in',
  url: 'https://example.test/api',
  at: AT,
  kind: 'text',
  data,
  ...o,
});

/** rpc_result(req_msg_id) -> rpc_error(code, message), as on the wire. */
function rpcResultError(reqMsgId: bigint, code: number, message: string): Uint8Array {
  const msg = new TextEncoder().encode(message);
  const strLen = Math.ceil((1 + msg.length) / 4) * 4;
  const out = new Uint8Array(4 + 8 + 4 + 4 + strLen);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xf35c6d01, true);
  view.setBigUint64(4, reqMsgId, true);
  view.setUint32(12, 0x2144ca19, true);
  view.setInt32(16, code, true);
  out[20] = msg.length;
  out.set(msg, 21);
  return out;
}

function unencryptedMessage(body: Uint8Array): Uint8Array {
  const out = new Uint8Array(20 + body.length);
  const view = new DataView(out.buffer);
  view.setBigUint64(8, 0x6500000000000001n, true);
  view.setInt32(16, body.length, true);
  out.set(body, 20);
  return out;
}

function intermediateFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setInt32(0, payload.length, true);
  out.set(payload, 4);
  return out;
}

function abridgedFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + payload.length);
  out[0] = payload.length / 4;
  out.set(payload, 1);
  return out;
}

describe('decodeCapture: JSON dialects', () => {
  it('classifies a TL-JSON rpc_result carrying PHONE_MIGRATE_4', () => {
    const body = JSON.stringify({ _: 'rpc_result', req_msg_id: '1', result: { _: 'rpc_error', error_code: 303, error_message: 'PHONE_MIGRATE_4' } });
    const { records } = decodeCapture(text(body, { url: 'https://pluto.web.telegram.org/apiw1' }));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      code: 303,
      class: 'ERROR_SEE_OTHER',
      type: 'PHONE_MIGRATE_4',
      params: { dc: 4 },
      action: { kind: 'redirect', dc: 4 },
      dialect: 'tl-json',
      dc: 1,
      channel: 'fetch',
    });
  });

  it('masks the Bot API token and names the method from the path', () => {
    const body = JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } });
    const url = 'https://api.telegram.org/bot123456789:AAEfakeTokenForDemoOnly_abcdefghijkl/sendMessage';
    const { records } = decodeCapture(text(body, { url, status: 429 }));
    expect(records[0]).toMatchObject({ code: 429, class: 'FLOOD', params: { seconds: 35 }, method: 'sendMessage', dialect: 'bot-api' });
    expect(records[0].action.retryAt).toBe(new Date(AT + 35_000).toISOString());
    expect(JSON.stringify(records)).not.toContain('AAEfakeToken');
  });

  it('finds nothing in chat data that only talks about errors', () => {
    const body = JSON.stringify({ messages: [{ text: 'FLOOD_WAIT_5 error_code 420 rpc_error' }], users: [{ first_name: 'rpc_error' }] });
    expect(decodeCapture(text(body)).records).toEqual([]);
  });

  it('reads structured worker payloads', () => {
    const data = JSON.stringify({ type: 'result', payload: { error: { _: 'rpc_error', error_code: 401, error_message: 'SESSION_REVOKED' } } });
    const { records } = decodeCapture(text(data, { kind: 'structured', channel: 'worker' }));
    expect(records[0]).toMatchObject({ code: 401, class: 'UNAUTHORIZED', action: { kind: 'reauthorize' } });
  });
});

describe('decodeCapture: binary MTProto', () => {
  const payload = unencryptedMessage(rpcResultError(0x65000000000000f0n, 420, 'FLOOD_WAIT_30'));
  const ws = (bytes: Uint8Array, o: Partial<HookCapture>): HookCapture => ({
    v: 1,
    channel: 'websocket',
    direction: 'in',
    url: 'wss://kws2.web.telegram.org/apiws',
    at: AT,
    kind: 'binary',
    data: toBase64(bytes),
    conn: 'ws1',
    offset: 0,
    ...o,
  });

  it('decodes an intermediate frame from the server', () => {
    const { records } = decodeCapture(ws(intermediateFrame(payload), { clientHead: 'eeeeeeee' }));
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ code: 420, type: 'FLOOD_WAIT_30', params: { seconds: 30 }, dialect: 'mtproto', dc: 2, channel: 'websocket' });
    const evidence = records[0].evidence;
    expect(evidence?.kind).toBe('bytes');
    if (evidence?.kind !== 'bytes') return;
    expect(evidence.hex.slice(evidence.markStart * 2, evidence.markStart * 2 + 8)).toBe('19ca4421');
    expect(evidence.path).toEqual(['rpc_result', 'rpc_error']);
  });

  it('decodes an abridged frame', () => {
    const { records } = decodeCapture(ws(abridgedFrame(payload), { clientHead: 'ef' }));
    expect(records.map((r) => r.type)).toEqual(['FLOOD_WAIT_30']);
  });

  it('decodes an HTTP transport body (one message, no framing)', () => {
    const { records } = decodeCapture({ ...ws(payload, {}), channel: 'fetch', conn: undefined, url: 'https://venus.web.telegram.org/apiw1' });
    expect(records[0]).toMatchObject({ type: 'FLOOD_WAIT_30', dc: 2 });
  });

  it('never throws on hostile captures', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('ef', 'eeeeeeee', 'dddddddd', undefined),
        fc.constantFrom<'in' | 'out'>('in', 'out'),
        (bytes, head, direction) => {
          const result = decodeCapture(ws(bytes, { clientHead: head, direction }));
          return Array.isArray(result.records) && Array.isArray(result.diagnostics);
        },
      ),
    );
    expect(decodeCapture({ ...ws(new Uint8Array(0), {}), data: '!!!' }).diagnostics.length).toBeGreaterThan(0);
    expect(decodeCapture(text('x'.repeat(5000))).records).toEqual([]);
  });
});
