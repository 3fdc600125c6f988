// Records for MTProto's own failures, which are not rpc_errors: bad_msg_notification and
// bad_server_salt (the client's message was refused), and transport errors (a lone
// negative int32 instead of a frame).

import type { CaptureContext } from './classify.ts';
import type { ErrorRecord, Evidence } from '../record.ts';
import type { ProtocolErrorFound } from '../mtproto/types.ts';
import { isoFromEpochMs } from '../iso-time.ts';
import { maskUrlSecrets } from '../capture/mask-secrets.ts';

type NewRecord = Omit<ErrorRecord, 'id'>;

function common(
  context: CaptureContext,
  evidence: Evidence,
): Omit<NewRecord, 'code' | 'class' | 'message' | 'type' | 'meaning' | 'action' | 'template' | 'params'> {
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

/**
 * What the protocol prescribes for a refused message (core.telegram.org/mtproto/service_messages_about_messages):
 * a wrong time, seqno or session is corrected and the message sent again; a wrong salt (48, or
 * bad_server_salt) is replaced by the one the server sent and the message sent again; a
 * container or an old message is simply sent again. Nothing here is the user's input.
 */
function protocolAction(kind: ProtocolErrorFound['kind'], errorCode: number): ErrorRecord['action'] {
  if (kind === 'bad_server_salt' || errorCode === 48) return { kind: 'resend' };
  switch (errorCode) {
    case 16: // msg_id too low: the client's clock is behind
    case 17: // msg_id too high: the client's clock is ahead
    case 18: // msg_id's lower bits wrong
    case 32: // msg_seqno too low
    case 33: // msg_seqno too high
    case 34: // an even msg_seqno expected
    case 35: // an odd msg_seqno expected
      return { kind: 'resync' };
    case 19: // container msg_id is the same as a previous one
    case 20: // message too old
    case 64: // invalid container
      return { kind: 'resend' };
    default:
      return { kind: 'report' };
  }
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
    action: protocolAction(error.kind, error.errorCode),
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
