import { describe, expect, it } from 'vitest';
import { protocolErrorRecord } from '../../src/core/errors/service-errors.ts';
import type { ProtocolErrorFound } from '../../src/core/mtproto/types.ts';

const evidence = { kind: 'json' as const, excerpt: '' };
const ctx = { capturedAt: 0, channel: 'websocket' as const, direction: 'in' as const };

function found(kind: ProtocolErrorFound['kind'], errorCode: number): ProtocolErrorFound {
  return {
    kind,
    errorCode,
    meaning: 'm',
    badMsgId: '1',
    badMsgSeqno: 1,
    newServerSalt: null,
    msgId: null,
    method: null,
    path: [kind],
    byteOffset: 0,
    byteLength: 4,
  } as ProtocolErrorFound;
}

describe('MTProto service errors get the action the protocol prescribes', () => {
  it('bad_server_salt and code 48: take the new salt and resend', () => {
    expect(protocolErrorRecord(found('bad_server_salt', 48), ctx, evidence).action).toEqual({ kind: 'resend' });
    expect(protocolErrorRecord(found('bad_msg_notification', 48), ctx, evidence).action).toEqual({ kind: 'resend' });
  });

  it('time and seqno codes: correct them and resend; containers and old messages: resend', () => {
    for (const code of [16, 17, 18, 32, 33, 34, 35]) expect(protocolErrorRecord(found('bad_msg_notification', code), ctx, evidence).action.kind).toBe('resync');
    for (const code of [19, 20, 64]) expect(protocolErrorRecord(found('bad_msg_notification', code), ctx, evidence).action.kind).toBe('resend');
    expect(protocolErrorRecord(found('bad_msg_notification', 99), ctx, evidence).action.kind).toBe('report');
  });
});
