// The demo's TL-JSON RPC over HTTP (`/dc<N>/api`, `/dc<N>/upload`), the shape webogram
// and Web K use internally: requests `{_: method, ...}` or `{method, params}`, answers
// `{_: 'rpc_result', req_msg_id, result}` with an rpc_error as the result on failure.

type Json = Record<string, unknown>;

export interface TlJsonCall {
  dc: number;
  method: string;
  params: Json;
  reqMsgId: string;
}

/** messages.sendReaction: the flood wait it answers first, and when it ends per peer and message. */
const REACTION_FLOOD_SECONDS = 2;
const floodUntil = new Map<string, number>();

/** Uploaded parts per file id; the page picks a fresh random file id per run. */
const uploadedParts = new Map<string, Set<number>>();

export function parseTlJsonCall(dc: number, body: unknown): TlJsonCall | null {
  if (!body || typeof body !== 'object') return null;
  const b = body as Json;
  const reqMsgId = typeof b.msg_id === 'string' ? b.msg_id : '0';
  if (typeof b._ === 'string') {
    const { _: method, msg_id: _ignored, ...params } = b;
    return { dc, method: method as string, params, reqMsgId };
  }
  if (typeof b.method === 'string') return { dc, method: b.method, params: (b.params as Json) ?? {}, reqMsgId };
  return null;
}

export function rpcErrorJson(code: number, message: string): Json {
  return { _: 'rpc_error', error_code: code, error_message: message };
}

/** The `result` of the rpc_result for one call. */
export function answerTlJson(call: TlJsonCall): Json {
  const { dc, method, params } = call;
  switch (method) {
    case 'auth.sendCode':
      // The phone number lives on DC 4: every other DC redirects, as Telegram does.
      if (dc !== 4) return rpcErrorJson(303, 'PHONE_MIGRATE_4');
      return {
        _: 'auth.sentCode',
        type: { _: 'auth.sentCodeTypeApp', length: 5 },
        phone_code_hash: 'demo_phone_code_hash_4',
        timeout: 60,
      };
    case 'help.getConfig':
      return rpcErrorJson(-503, 'Timeout');
    case 'help.getAppConfig':
      return rpcErrorJson(999, 'UNEXPECTED_SERVER_STATE');
    case 'messages.getHistory':
      return chatHistory();
    case 'users.getUsers':
      return [{ _: 'user', id: '1002', first_name: 'rpc_error', last_name: 'error_code 420', username: 'rpc_error' }] as unknown as Json;
    case 'upload.saveFilePart': {
      const fileId = String(params.file_id);
      const parts = uploadedParts.get(fileId) ?? new Set<number>();
      parts.add(Number(params.file_part));
      uploadedParts.set(fileId, parts);
      return { _: 'boolTrue' };
    }
    case 'messages.sendMedia': {
      const file = (params.media as Json | undefined)?.file as Json | undefined;
      const parts = uploadedParts.get(String(file?.id)) ?? new Set<number>();
      const total = Number(file?.parts ?? 0);
      for (let i = 0; i < total; i++) if (!parts.has(i)) return rpcErrorJson(400, `FILE_PART_${i}_MISSING`);
      uploadedParts.delete(String(file?.id));
      return {
        _: 'updates',
        updates: [{ _: 'updateMessageID', id: 5002, random_id: String(params.random_id) }],
        users: [],
        chats: [],
        date: 1_700_000_100,
        seq: 0,
      };
    }
    case 'upload.getFile':
      return rpcErrorJson(400, 'FILE_REFERENCE_EXPIRED');
    // The handling-audit page (public/sightings/): an edit that changes nothing, and a reaction
    // that runs into a short flood wait, then succeeds once the wait is over.
    case 'messages.editMessage':
      return rpcErrorJson(400, 'MESSAGE_NOT_MODIFIED');
    case 'messages.sendReaction': {
      const key = `${dc}:${JSON.stringify(params.peer)}:${String(params.msg_id_to_react)}`;
      const until = floodUntil.get(key);
      const now = Date.now();
      if (until === undefined || now < until) {
        const left = until === undefined ? REACTION_FLOOD_SECONDS : Math.ceil((until - now) / 1000);
        if (until === undefined) floodUntil.set(key, now + REACTION_FLOOD_SECONDS * 1000);
        return rpcErrorJson(420, `FLOOD_WAIT_${left}`);
      }
      floodUntil.delete(key);
      return { _: 'updates', updates: [], users: [], chats: [], date: 1_700_000_300, seq: 0 };
    }
    default:
      return rpcErrorJson(400, 'METHOD_INVALID');
  }
}

/** Ordinary data full of error-like words: none of it is an error. */
function chatHistory(): Json {
  return {
    _: 'messages.messages',
    messages: [
      {
        _: 'message',
        id: 4001,
        from_id: { _: 'peerUser', user_id: '1002' },
        date: 1_700_000_001,
        message: 'I keep getting FLOOD_WAIT_5 error_code 420 when I send too fast',
      },
      {
        _: 'message',
        id: 4002,
        from_id: { _: 'peerUser', user_id: '1001' },
        date: 1_700_000_002,
        message: '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_5"} is what the log shows',
      },
      {
        _: 'message',
        id: 4003,
        from_id: { _: 'peerUser', user_id: '1002' },
        date: 1_700_000_003,
        message: 'AUTH_KEY_UNREGISTERED and PHONE_MIGRATE_2 are documented on core.telegram.org',
      },
    ],
    chats: [],
    users: [{ _: 'user', id: '1002', first_name: 'rpc_error', username: 'rpc_error' }],
  };
}

export type HttpAnswer = { status: number; body: unknown; headers?: Record<string, string> };

/** GramJS-backed proxies hand the RPCError's own fields to the browser. */
export function answerGramJsProxy(body: unknown): HttpAnswer {
  const b = (body ?? {}) as Json;
  if (b.method === 'contacts.ResolveUsername') return { status: 400, body: { errorMessage: 'USERNAME_INVALID', code: 400 } };
  return { status: 200, body: { className: 'contacts.ResolvedPeer', peer: { className: 'PeerUser', userId: '1002' } } };
}

export const DEMO_BOT_TOKEN = '123456789:AAEfakeTokenForDemoOnly_abcdefghijkl';

/** `/bot<token>/<method>`: the Bot API's own envelope, `{ok, result}` or `{ok: false, error_code, description}`. */
export function answerBotApi(token: string, method: string, params: Json): HttpAnswer {
  if (token !== DEMO_BOT_TOKEN) return { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } };
  if (method === 'getMe') {
    return { status: 200, body: { ok: true, result: { id: 123456789, is_bot: true, first_name: 'Demo Bot', username: 'demo_errors_bot' } } };
  }
  if (method === 'sendMessage') {
    const chatId = String(params.chat_id);
    if (chatId === '43') {
      return {
        status: 429,
        headers: { 'retry-after': '35' },
        body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } },
      };
    }
    if (chatId === '-1009999999999') return { status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } };
    return {
      status: 200,
      body: { ok: true, result: { message_id: 77, chat: { id: Number(chatId), type: 'private' }, date: 1_700_000_200, text: String(params.text ?? '') } },
    };
  }
  return { status: 404, body: { ok: false, error_code: 404, description: 'Not Found: method not found' } };
}
