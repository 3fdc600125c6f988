// Records for MTProto's own failures, which are not rpc_errors: bad_msg_notification and
// bad_server_salt (the client's message was refused), and transport errors (a lone
// negative int32 instead of a frame).

import type { CaptureContext } from './classify.ts';
import type { ErrorRecord, Evidence } from './record.ts';
import type { ProtocolErrorFound } from './mtproto/types.ts';
import { isoFromEpochMs } from './iso-time.ts';
import { maskUrlSecrets } from './mask-secrets.ts';

type NewRecord = Omit<ErrorRecord, 'id'>;

function common(context: CaptureContext, evidence: Evidence): Omit<NewRecord, 'code' | 'class' | 'message' | 'type' | 'meaning' | 'action' | 'template' | 'params'> {
  return {
    capturedAt: isoFromEpochMs(context.capturedAt) ?? new Date().toISOString(),
    treatedAs500: false,
    codeInferred: false,
    description: null,
    meaningSource: 'catalog',
    channel: context.channel,
    direction: context.direction,
    url: context.url ? maskUrlSecrets(context.url) : null,
    dialect: 'mtproto',
    method: context.method ?? null,
    dc: context.dc ?? null,
    chainId: null,
    evidence,
  };
}

export function protocolErrorRecord(error: ProtocolErrorFound, context: CaptureContext, evidence: Evidence): NewRecord {
  const salt = error.kind === 'bad_server_salt';
  return {
    ...common({ ...context, method: error.method ?? context.method }, evidence),
    code: error.errorCode,
    class: 'PROTOCOL',
    message: `${error.kind} ${error.errorCode}`,
    type: salt ? 'BAD_SERVER_SALT' : 'BAD_MSG_NOTIFICATION',
    template: null,
    params: {},
    meaning: salt ? 'The message used a wrong server salt: resend it with the new salt the server sent.' : `The server refused the message: ${error.meaning}.`,
    // The client library must fix its message (time sync, seqno, salt) and resend it.
    action: { kind: 'fix-input' },
  };
}

const TRANSPORT_ACTIONS: Record<number, ErrorRecord['action']> = {
  [-404]: { kind: 'reauthorize' },
  [-429]: { kind: 'wait' },
  [-444]: { kind: 'redirect' },
};

export function transportErrorRecord(code: number, meaning: string, context: CaptureContext, evidence: Evidence): NewRecord {
  return {
    ...common(context, evidence),
    code,
    class: 'TRANSPORT',
    message: `transport error ${code}`,
    type: null,
    template: null,
    params: {},
    meaning: `Transport error: ${meaning}.`,
    action: TRANSPORT_ACTIONS[code] ?? { kind: 'report' },
  };
}
