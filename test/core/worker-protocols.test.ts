// The worker protocols of the real web clients, with messages built the way their sources
// build them (files and commits in src/core/dialects/worker-dialects.ts).
import { describe, expect, it } from 'vitest';
import { findErrors } from '../../src/core/dialects/dialects.ts';
import { decodeCapture } from '../../src/core/capture/decode-capture.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';

const rpcError = (code: number, message: string) => ({ _: 'rpc_error', error_code: code, error_message: message });

/** tweb networker.processError: makeError(type, message) + originalError + code. */
function apiError(code: number, message: string, extra: Record<string, unknown> = {}) {
  const m = /^([A-Z_0-9]+\b)(: (.+))?/.exec(message);
  return {
    type: m?.[1] ?? 'UNKNOWN',
    stack: 'Error\n    at makeError (makeError.ts:2:17)',
    message: m?.[3] ?? `CODE#${code} ${message}`,
    originalError: rpcError(code, message),
    code: code <= 0 ? 500 : code,
    ...extra,
  };
}

/** superMessagePort.createTask: ids start at Math.random() and grow by one. */
const task = (type: string, payload: unknown, id: number) => ({ type, payload, id, transfer: undefined });

function capture(data: unknown, method?: string): HookCapture {
  const c: HookCapture = {
    v: 1,
    channel: 'worker',
    direction: 'in',
    url: 'http://127.0.0.1/worker.js',
    at: 1_700_000_000_000,
    kind: 'structured',
    data: JSON.stringify(data),
  };
  if (method !== undefined) c.method = method;
  return c;
}

describe('Web K (tweb superMessagePort tasks)', () => {
  it('reads a result inside the batch every task travels in, with its fractional taskId', () => {
    const batch = task(
      'batch',
      [
        task('result', { taskId: 0.8812, result: { _: 'messages.messages' } }, 1.3321),
        task('result', { taskId: 1.8812, error: apiError(420, 'FLOOD_WAIT_120') }, 2.3321),
      ],
      3.3321,
    );
    expect(findErrors(batch).errors.map((e) => [e.dialect, e.code, e.message, e.callId])).toEqual([['webk', 420, 'FLOOD_WAIT_120', '1.8812']]);
  });

  it('reads an ack that carries the error of a listener that threw at once (cached: true)', () => {
    const ack = task('ack', { taskId: 5.25, cached: true, error: apiError(400, 'PEER_ID_INVALID') }, 7.5);
    expect(findErrors(task('batch', [ack], 8.5)).errors.map((e) => [e.code, e.message, e.callId])).toEqual([[400, 'PEER_ID_INVALID', '5.25']]);
    // An ack of a promise (cached: false) or with a cached result holds no error.
    expect(findErrors(task('ack', { taskId: 5.25, cached: false }, 7.5)).errors).toEqual([]);
    expect(findErrors(task('ack', { taskId: 5.25, cached: true, result: { type: 'FLOOD_WAIT_5' } }, 7.5)).errors).toEqual([]);
  });

  it('keeps the code as the server sent it (processError maps <= 0 to 500, originalError keeps it)', () => {
    const [e] = findErrors(task('result', { taskId: 1.5, error: apiError(-503, 'Timeout') }, 2.5)).errors;
    expect(e).toMatchObject({ code: -503, message: 'Timeout' });
  });

  it('does not list makeError errors made in the worker, and counts them', () => {
    const local = (type: string) => task('result', { taskId: 1.1, error: { type, stack: 'Error\n at makeError' } }, 2.1);
    for (const type of ['DOWNLOAD_CANCELED', 'NO_ENTRY_FOUND', 'STORAGE_OFFLINE']) {
      const result = findErrors(local(type));
      expect(result.errors).toEqual([]);
      expect(result.notApi).toEqual({ 'local-error': 1 });
    }
    // A JS Error thrown in the worker clones as an Error (name, message).
    expect(findErrors(task('result', { taskId: 1, error: { name: 'Error', message: 'USER_CANCELED' } }, 2)).notApi).toEqual({ 'local-error': 1 });
  });

  it('lists an ApiError that carries a Telegram code but no originalError (older tweb, forks)', () => {
    // The shape of tweb's processError without the originalError field: {type, code, message, stack}
    // (networker.ts processError; global.d.ts declares originalError optional).
    const bare = (type: string, code: number, extra: Record<string, unknown> = {}) => ({
      type,
      code,
      message: `CODE#${code} ${type}`,
      stack: 'Error\n at makeError',
      ...extra,
    });
    const read = (error: object) => decodeCapture(capture(task('batch', [task('result', { taskId: 4.7, error }, 5.7)], 6.7), 'messages.sendMessage'));
    expect(read(bare('FLOOD_WAIT_120', 420)).records[0]).toMatchObject({
      code: 420,
      type: 'FLOOD_WAIT_120',
      dialect: 'webk',
      method: 'messages.sendMessage',
      params: { seconds: 120 },
    });
    expect(read(bare('CHAT_WRITE_FORBIDDEN', 403)).records[0]).toMatchObject({ code: 403, type: 'CHAT_WRITE_FORBIDDEN' });
    expect(read(bare('Timeout', -503)).records).toEqual([]);
    expect(read(bare('RPC_CALL_FAIL', 500, { invokeApiArgs: ['messages.getHistory', {}, {}] })).records[0]).toMatchObject({
      code: 500,
      method: 'messages.getHistory',
    });
    // tweb's own errors stay local even with a code: the networker's makeError('NETWORK_BAD_RESPONSE') with code = 406
    // (src/lib/mtproto/networker.ts), and the LocalErrorType names of src/global.d.ts.
    for (const [type, code] of [
      ['NETWORK_BAD_RESPONSE', 406],
      ['NETWORK_BAD_REQUEST', 406],
      ['DOWNLOAD_CANCELED', 400],
      ['TIMEOUT', 500],
    ] as const) {
      expect(read(bare(type, code))).toMatchObject({ records: [], notApi: { 'local-error': 1 } });
    }
    // No code, no name, or a code that is no Telegram code: local.
    expect(read({ type: 'FLOOD_WAIT_120' })).toMatchObject({ records: [], notApi: { 'local-error': 1 } });
    expect(read({ code: 420 })).toMatchObject({ records: [], notApi: { 'local-error': 1 } });
    expect(read(bare('FLOOD_WAIT_120', 0))).toMatchObject({ records: [], notApi: { 'local-error': 1 } });
    expect(read(bare('not a name', 400))).toMatchObject({ records: [], notApi: { 'local-error': 1 } });
  });

  it('names the method from invokeApiArgs of a repaid 403 and keeps the manager call beside it', () => {
    const error = { ...apiError(403, 'ALLOW_PAYMENT_REQUIRED_250'), invokeApiArgs: ['messages.sendMessage', { message: 'hi' }, {}] };
    const { records } = decodeCapture(capture(task('result', { taskId: 3.2, error }, 4.2), 'appMessagesManager.sendText'));
    expect(records[0]).toMatchObject({
      code: 403,
      dialect: 'webk',
      method: 'messages.sendMessage',
      clientCall: 'appMessagesManager.sendText',
      params: { stars: 250 },
    });
  });

  it('lists a handled 406 (apiManager marks it handled: true) as silent', () => {
    const { records } = decodeCapture(capture(task('result', { taskId: 3, error: { ...apiError(406, 'AUTH_KEY_DUPLICATED'), handled: true } }, 4)));
    expect(records[0]).toMatchObject({ code: 406, action: { kind: 'reauthorize' } });
  });
});

describe('Web A (telegram-tt worker payloads, GramJS texts)', () => {
  const response = (messageId: string, message: string) => ({ payloads: [{ type: 'methodResponse', messageId, error: { message } }] });

  it('reads RPCError texts: code, name and the Telegram method beside the call name', () => {
    const { records } = decodeCapture(capture(response('17', 'RPCError 400: INVITE_HASH_EXPIRED (caused by messages.ImportChatInvite)'), 'importChatInvite'));
    expect(records[0]).toMatchObject({
      code: 400,
      codeInferred: false,
      class: 'BAD_REQUEST',
      type: 'INVITE_HASH_EXPIRED',
      message: 'RPCError 400: INVITE_HASH_EXPIRED (caused by messages.ImportChatInvite)',
      method: 'messages.importChatInvite',
      clientCall: 'importChatInvite',
      dialect: 'weba',
    });
  });

  it('reads the wait sentences as their names, with the seconds', () => {
    const cases: [string, string, string][] = [
      ['A wait of 120 seconds is required (caused by messages.SendMessage)', 'FLOOD_WAIT_120', 'FLOOD_WAIT_X'],
      ['A wait of 30 seconds is required before sending another message in this chat (caused by messages.SendMedia)', 'SLOWMODE_WAIT_30', 'SLOWMODE_WAIT_X'],
      ['A wait of 90 seconds is required in the test servers (caused by auth.SendCode)', 'FLOOD_TEST_PHONE_WAIT_90', 'FLOOD_TEST_PHONE_WAIT_X'],
    ];
    for (const [text, type, template] of cases) {
      const { records } = decodeCapture(capture(response('1', text), 'sendMessage'));
      expect(records[0]).toMatchObject({ code: 420, codeInferred: true, class: 'FLOOD', type, template, message: text });
      expect(records[0].action.kind).toBe('wait');
      expect(records[0].action.retryAt).toBeDefined();
    }
  });

  it('reads the four migrate sentences as 303 redirects to the DC', () => {
    const cases: [string, string][] = [
      ['The user whose identity is being used to execute queries is associated with DC 4 (caused by users.GetUsers)', 'USER_MIGRATE_4'],
      ['The phone number a user is trying to use for authorization is associated with DC 4 (caused by auth.SendCode)', 'PHONE_MIGRATE_4'],
      ['The file to be accessed is currently stored in DC 4 (caused by upload.GetFile)', 'FILE_MIGRATE_4'],
      ['The source IP address is associated with DC 4 (caused by auth.SendCode)', 'NETWORK_MIGRATE_4'],
    ];
    for (const [text, type] of cases) {
      const { records } = decodeCapture(capture(response('1', text)));
      expect(records[0]).toMatchObject({ code: 303, type, params: { dc: 4 }, action: { kind: 'redirect', dc: 4 } });
    }
  });

  it('reads MsgWait and the other fixed texts', () => {
    const read = (text: string) => decodeCapture(capture(response('1', text))).records[0];
    expect(read('Message failed to be sent. (caused by messages.SendMessage)')).toMatchObject({
      type: 'MSG_WAIT_FAILED',
      code: 400,
      method: 'messages.sendMessage',
    });
    expect(read('Message failed to be sent. (caused by messages.SendMessage)').note).toMatch(/MSG_WAIT_TIMEOUT/);
    expect(read('Email unconfirmed, the length of the code must be 6 (caused by account.VerifyEmail)')).toMatchObject({
      type: 'EMAIL_UNCONFIRMED_6',
      code: 400,
      params: { length: 6 },
    });
    expect(read('The password was modified less than 24 hours ago, try again in 3600 seconds.')).toMatchObject({
      type: 'PASSWORD_TOO_FRESH_3600',
      params: { seconds: 3600 },
    });
    expect(read('Session is fresh, please try again in 600 seconds.')).toMatchObject({ type: 'SESSION_TOO_FRESH_600', params: { seconds: 600 } });
    expect(read('RPCError : PASSKEY_CREDENTIAL_NOT_FOUND (caused by auth.FinishPasskeyLogin)')).toMatchObject({
      type: 'PASSKEY_CREDENTIAL_NOT_FOUND',
      codeInferred: true,
    });
    expect(read('RPCError : [object Object] (caused by messages.GetBotCallbackAnswer)')).toMatchObject({
      code: -503,
      type: null,
      method: 'messages.getBotCallbackAnswer',
    });
  });

  it('does not list local Errors of the client, and counts them', () => {
    for (const text of [
      'Request was unsuccessful 5 time(s)',
      'Cannot send requests while disconnected',
      'USER_ALREADY_AUTHORIZED',
      'Uncaught exception in worker',
    ]) {
      const decoded = decodeCapture(capture(response('1', text)));
      expect(decoded.records).toEqual([]);
      expect(decoded.notApi).toEqual({ 'local-error': 1 });
    }
    const unhandled = decodeCapture(
      capture({ payloads: [{ type: 'unhandledError', error: { message: "Cannot read properties of undefined (reading 'id')" } }] }),
    );
    expect(unhandled).toMatchObject({ records: [], notApi: { 'local-error': 1 } });
  });

  it('counts an upper-case name no server sent as client-local (USER_CANCELED of downloadFile)', () => {
    // telegram-tt src/lib/gramjs/client/downloadFile.ts @0a606739: `throw new Error('USER_CANCELED')` when
    // progressCallback.isCanceled; the worker sends {message: error.message} (worker.ts). GramJS's
    // client/auth.ts throws Error('AUTH_USER_CANCEL') the same way.
    for (const text of ['USER_CANCELED', 'AUTH_USER_CANCEL', 'REQUEST_TIMEOUT']) {
      expect(decodeCapture(capture(response('7', text)))).toMatchObject({ records: [], notApi: { 'local-error': 1 } });
    }
    // A bare name the catalog knows is the server's (the gramjs-JS era's RPCError message, error updates).
    expect(decodeCapture(capture(response('7', 'PEER_ID_INVALID'))).records[0]).toMatchObject({ type: 'PEER_ID_INVALID', code: 400 });
    expect(decodeCapture(capture(response('7', 'FLOOD_WAIT_75'))).records[0]).toMatchObject({ type: 'FLOOD_WAIT_75', params: { seconds: 75 } });
    expect(decodeCapture(capture(response('7', 'FROZEN_METHOD_INVALID'))).records[0]).toMatchObject({ code: 420 });
    // An RPCError text is the server's whatever its name.
    expect(decodeCapture(capture(response('7', 'RPCError 400: BRAND_NEW_ERROR (caused by messages.SendMessage)'))).records[0]).toMatchObject({
      type: 'BRAND_NEW_ERROR',
      code: 400,
    });
    // The same rule for error updates.
    const update = {
      payloads: [{ type: 'updates', updates: [{ '@type': 'error', error: { message: 'USER_CANCELED', isSlowMode: false, hasErrorKey: true } }] }],
    };
    expect(decodeCapture(capture(update))).toMatchObject({ records: [], notApi: { 'local-error': 1 } });
  });

  it('reads unhandledError when GramJS rejected unhandled', () => {
    const { records } = decodeCapture(
      capture({ payloads: [{ type: 'unhandledError', error: { message: 'RPCError 500: RPC_CALL_FAIL (caused by messages.GetHistory)' } }] }),
    );
    expect(records[0]).toMatchObject({ code: 500, type: 'RPC_CALL_FAIL', method: 'messages.getHistory' });
  });

  it('reads error updates: raw names, FLOOD / BAD_REQUEST class names, slow mode', () => {
    const updates = (...errors: object[]) => ({
      payloads: [{ type: 'updates', updates: errors.map((error) => ({ '@type': 'error', error: { ...error, hasErrorKey: true } })) }],
    });
    const { records } = decodeCapture(
      capture(
        updates(
          { message: 'CHAT_WRITE_FORBIDDEN', isSlowMode: false },
          { message: 'FLOOD', isSlowMode: true },
          { message: 'FLOOD', isSlowMode: false },
          { message: 'BAD_REQUEST', isSlowMode: false },
        ),
      ),
    );
    expect(records.map((r) => [r.code, r.codeInferred, r.class, r.type, r.template])).toEqual([
      [403, true, 'FORBIDDEN', 'CHAT_WRITE_FORBIDDEN', 'CHAT_WRITE_FORBIDDEN'],
      [420, true, 'FLOOD', 'SLOWMODE_WAIT_X', 'SLOWMODE_WAIT_X'],
      [420, true, 'FLOOD', 'FLOOD', null],
      [400, true, 'BAD_REQUEST', 'BAD_REQUEST', null],
    ]);
    expect(records[1].note).toMatch(/Slow mode/);
    expect(records[2].note).toMatch(/class name/);
    // The older worker sent err.message: the sentence itself.
    const older = decodeCapture(capture(updates({ message: 'A wait of 75 seconds is required (caused by messages.SendMessage)', isSlowMode: true })))
      .records[0];
    expect(older).toMatchObject({ type: 'FLOOD_WAIT_75', params: { seconds: 75 }, method: 'messages.sendMessage' });
  });

  it('reads updateAuthorizationError.errorCode and counts notSupportedInFrozenAccount as a companion', () => {
    const decoded = decodeCapture(
      capture({
        payloads: [
          {
            type: 'updates',
            updates: [
              { '@type': 'updateAuthorizationError', errorKey: { key: 'ErrorCodeInvalid' }, errorCode: 'PHONE_CODE_INVALID' },
              { '@type': 'error', error: { message: 'FROZEN_METHOD_INVALID', isSlowMode: false, hasErrorKey: true } },
              { '@type': 'notSupportedInFrozenAccount', error: { message: 'FROZEN_METHOD_INVALID' } },
            ],
          },
        ],
      }),
    );
    expect(decoded.records.map((r) => [r.code, r.codeInferred, r.type])).toEqual([
      [400, true, 'PHONE_CODE_INVALID'],
      [420, true, 'FROZEN_METHOD_INVALID'],
    ]);
    expect(decoded.notApi).toEqual({ 'companion-notice': 1 });
  });

  it('reads the older unwrapped payloads and single update messages too', () => {
    expect(
      findErrors({ type: 'methodResponse', messageId: 'a1', error: { message: 'RPCError 403: CHAT_WRITE_FORBIDDEN (caused by messages.SendMessage)' } })
        .errors[0],
    ).toMatchObject({ code: 403, callId: 'a1' });
    expect(findErrors({ type: 'update', update: { '@type': 'error', error: { message: 'USERNAME_INVALID' } } }).errors[0]).toMatchObject({
      dialect: 'weba',
      message: 'USERNAME_INVALID',
    });
  });

  it('ignores look-alikes that are ordinary data', () => {
    expect(findErrors({ type: 'result', payload: { taskId: 1, result: { type: 'FLOOD_WAIT_5', error: 'none' } } }).errors).toEqual([]);
    expect(findErrors({ type: 'message', text: 'methodResponse error' }).errors).toEqual([]);
    expect(findErrors({ type: 'methodResponse', messageId: 1, error: 'a string' }).errors).toEqual([]);
    expect(findErrors({ payloads: [{ type: 'methodResponse', messageId: '3', response: { text: 'A wait of 5 seconds is required' } }] }).errors).toEqual([]);
  });
});

describe("mtcute's worker port (TelegramWorker / TelegramWorkerPort)", () => {
  /** serializeError of an RpcError: custom = {...error} (code, text, the number's field). */
  const rpc = (code: number, text: string, extra: Record<string, unknown>, method: string) => ({
    type: 'result',
    id: 4,
    error: {
      name: 'RpcError',
      message: 'A wait of 30 seconds is required',
      stack: `RpcError (${code} ${text}): A wait of 30 seconds is required\n    at ${method}\n    at SessionConnection._onMessage (x.js:1:1)`,
      custom: { code, text, ...extra },
    },
  });

  it('reads an RpcError result, puts the number back into the name and takes the method from the stack', () => {
    const { records } = decodeCapture(capture(rpc(420, 'FLOOD_WAIT_%d', { seconds: 30 }, 'messages.sendMessage'), 'messages.sendMessage'));
    expect(records[0]).toMatchObject({ dialect: 'mtcute', code: 420, message: 'FLOOD_WAIT_30', params: { seconds: 30 }, method: 'messages.sendMessage' });
    const migrate = decodeCapture(capture(rpc(303, 'PHONE_MIGRATE_%d', { newDc: 5 }, 'auth.sendCode'))).records[0];
    expect(migrate).toMatchObject({ type: 'PHONE_MIGRATE_5', action: { kind: 'redirect', dc: 5 }, method: 'auth.sendCode' });
  });

  it('reads the message the real @mtcute/web 0.27.8 worker posted in the e2e (e2e/specs/capture/mtcute-worker.spec.ts)', () => {
    // As captured at the page boundary: @mtcute/core highlevel/worker/worker.ts onInvoke → serializeError;
    // highlevel/base.ts makeRpcError wrote the stack; the worker id rides on every message.
    const posted = {
      _mtcuteWorkerId: 'default',
      type: 'result',
      id: 1,
      error: {
        name: 'RpcError',
        message: 'A wait of 300 seconds is required',
        stack: 'RpcError (420 FLOOD_WAIT_%d): A wait of 300 seconds is required\n    at messages.sendMessage\n',
        custom: { code: 420, text: 'FLOOD_WAIT_%d', seconds: 300 },
      },
    };
    const [record] = decodeCapture(capture(posted, 'messages.sendMessage')).records;
    expect(record).toMatchObject({ dialect: 'mtcute', code: 420, type: 'FLOOD_WAIT_300', params: { seconds: 300 }, method: 'messages.sendMessage' });
    expect(findErrors(posted).errors[0].callId).toBe('1');
  });

  it("does not list the library's own errors", () => {
    for (const name of ['MtArgumentError', 'MtTimeoutError', 'Error']) {
      expect(decodeCapture(capture({ type: 'result', id: 2, error: { name, message: 'x', stack: 'x' } }))).toMatchObject({
        records: [],
        notApi: { 'local-error': 1 },
      });
    }
  });

  it('reads a client error whose text names an uncatalogued error', () => {
    expect(findErrors({ type: 'error', error: { name: 'Error', message: 'Unknown RPC error: [400:BOOSTS_REQUIRED]' } }).errors[0]).toMatchObject({
      dialect: 'mtcute',
      code: 400,
      message: 'BOOSTS_REQUIRED',
    });
    expect(findErrors({ type: 'error', error: { name: 'Error', message: 'network down' } }).errors).toEqual([]);
  });

  it('a successful result is not an error', () => {
    expect(findErrors({ type: 'result', id: 3, result: { _: 'messages.messages' } }).errors).toEqual([]);
  });
});
