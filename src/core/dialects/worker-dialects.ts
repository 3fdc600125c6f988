// The page <-> worker protocols of the real web clients, read by their own structure. Each
// reading says what the client put in the message, checked against its sources:
//
// Web K (morethanwords/tweb, src/lib/superMessagePort.ts @010effed): tasks {type, payload, id,
//   transfer}, batched as {type: 'batch', payload: [task]}; answers {type: 'result', payload:
//   {taskId, result | error}} and, for withAck invokes, {type: 'ack', payload: {taskId, cached,
//   result? | error?}} (a listener that throws at once answers with the ack alone). Errors are
//   ApiError objects (src/lib/mtproto/networker.ts @4940a831 processError): {type, message?,
//   code, originalError: rpc_error} when the server sent them; makeError(type) errors made in
//   the worker (src/helpers/makeError.ts) have no originalError and no code and are not API
//   errors. An ApiError with a code but no originalError (older tweb, forks) is listed unless
//   its type is one of tweb's local types (some of which carry a code: NETWORK_BAD_RESPONSE 406).
//   invokeApiArgs [method, params, options] rides on repaid 403s
//   (src/lib/appManagers/utils/repayRequestHandler.ts @5ad0183a) and names the method.
// Web A (Ajaxy/telegram-tt, src/api/gramjs/worker/worker.ts): payloads {type: 'methodResponse',
//   messageId, error: {message}}, {type: 'unhandledError', error: {message}}, updates
//   {'@type': 'error', error: {message, isSlowMode, hasErrorKey}} (methods/client.ts),
//   {'@type': 'notSupportedInFrozenAccount', error: {message}} (sent beside an error update or
//   a methodResponse error for the same failure), {'@type': 'updateAuthorizationError',
//   errorKey, errorCode} (methods/auth.ts). The messages are GramJS texts (gramjs-text.ts).
// mtcute (mtcute/mtcute packages/core/src/highlevel/worker/, protocol.ts and worker.ts
//   @85f6610e, errors.ts @c18d2fe3): {type: 'result', id, error: SerializedError} with
//   {name: 'RpcError', message, stack, custom: {code, text, seconds | newDc | ...}}; `text` is
//   the catalog form (`FLOOD_WAIT_%d`, @mtcute/tl RpcError.fromTl) with the number beside it,
//   and the stack's second line names the method (makeNiceStack: '    at messages.sendMessage').
//   Other names (MtArgumentError, MtTimeoutError, Error, ...) are the library's own errors.

import { readGramjsText, type ClientErrorReading } from './gramjs-text.ts';
import type { FoundError } from './found-error.ts';

/** Why something shaped like an error is not put in the log. */
export type NotApiReason =
  /** Made by the client's own code (no server error behind it). */
  | 'local-error'
  /** A second message about an error already read (Web A's notSupportedInFrozenAccount). */
  | 'companion-notice';

export interface NotApiError {
  notApi: NotApiReason;
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

const MAX_TEXT = 1024;
const LOCAL: NotApiError = Object.freeze({ notApi: 'local-error' }) as NotApiError;

export function callIdOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length > 0 && v.length <= 64) return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

function found(dialect: FoundError['dialect'], code: number | null, message: string, callId: unknown): FoundError {
  const result: FoundError = { dialect, code, message, excerpt: '' };
  const id = callIdOf(callId);
  if (id !== undefined) result.callId = id;
  return result;
}

// ---- Web K ----

/**
 * The error types tweb makes in its own code (`LocalErrorType` in src/global.d.ts @05a9b22f:
 * file manager, storage, reference, networker, filters errors and the rest). Some of them carry
 * a code all the same: the networker sets `code = 406` on its makeError('NETWORK_BAD_RESPONSE')
 * (src/lib/mtproto/networker.ts), so a code alone does not make an error the server's.
 */
const WEBK_LOCAL_TYPES: ReadonlySet<string> = new Set([
  'DOWNLOAD_CANCELED',
  'UPLOAD_CANCELED',
  'FILE_TOO_BIG',
  'REFERENCE_IS_NOT_REFRESHED',
  'STORAGE_OFFLINE',
  'NO_ENTRY_FOUND',
  'IDB_CREATE_TIMEOUT',
  'NO_NEW_CONTEXT',
  'NETWORK_BAD_RESPONSE',
  'NETWORK_BAD_REQUEST',
  'PINNED_DIALOGS_TOO_MUCH',
  'UNKNOWN',
  'NO_DOC',
  'MIDDLEWARE',
  'PORT_DISCONNECTED',
  'NO_AUTO_DOWNLOAD',
  'CHAT_PRIVATE',
  'NO_WASM',
  'CANCELED',
  // Not in that list, but made by makeError as well: superMessagePort's invoke timeout.
  'TIMEOUT',
]);

const ERROR_NAME = /^[A-Z0-9_]{2,128}$/;

/** A Telegram error code as an ApiError carries it: 303..500, or the negative service codes (-503). */
const isTelegramCode = (v: unknown): v is number => isInt(v) && v !== 0 && v > -1000 && v < 1000;

/**
 * A Web K ApiError. Recorded when the server sent it: it has `originalError` (the rpc_error,
 * networker.ts processError), or, without one (older tweb, forks, a manager rethrowing its own
 * shape), a Telegram code beside an error name that is not one of tweb's local types. Local
 * otherwise: makeError(type) errors have no code.
 */
export function webkApiError(e: unknown, callId: unknown): FoundError | NotApiError {
  if (!isObject(e)) return LOCAL;
  const original = isObject(e.originalError) ? e.originalError : null;
  let result: FoundError;
  if (original !== null && typeof original.error_message === 'string' && original.error_message.length <= MAX_TEXT) {
    const code = isInt(original.error_code) ? original.error_code : isInt(e.code) ? e.code : null;
    result = found('webk', code, original.error_message, callId);
  } else if (isTelegramCode(e.code) && typeof e.type === 'string' && ERROR_NAME.test(e.type) && !WEBK_LOCAL_TYPES.has(e.type)) {
    result = found('webk', e.code, e.type, callId);
  } else {
    return LOCAL;
  }
  const args = e.invokeApiArgs;
  if (Array.isArray(args) && typeof args[0] === 'string' && args[0].length <= 128) result.errorMethod = args[0];
  return result;
}

// ---- Web A ----

function fromReading(reading: ClientErrorReading, message: string, callId: unknown): FoundError {
  const result = found('weba', reading.code, message, callId);
  result.name = reading.name;
  if (reading.codeFromClass) result.codeFromClass = true;
  if (reading.method !== null) result.errorMethod = reading.method;
  if (reading.note !== null) result.note = reading.note;
  return result;
}

/** `{message}` as Web A's worker sends it; local texts are not API errors. */
export function webaErrorText(e: unknown, callId: unknown): FoundError | NotApiError | null {
  if (!isObject(e)) return null;
  const message = e.message;
  if (typeof message !== 'string' || message.length > MAX_TEXT) return LOCAL;
  const reading = readGramjsText(message);
  return reading === null ? LOCAL : fromReading(reading, message, callId);
}

/** An error update: the class name FLOOD on a send request is slow mode (isSlowMode). */
export function webaErrorUpdate(e: JsonObject): FoundError | NotApiError | null {
  const result = webaErrorText(e, undefined);
  if (result === null || 'notApi' in result) return result;
  if (e.isSlowMode === true && result.name === 'FLOOD') {
    result.name = 'SLOWMODE_WAIT_X';
    result.note = 'Slow mode (isSlowMode): GramJS sent its class name FLOOD, so the wait is not known';
  }
  return result;
}

/** `{'@type': 'updateAuthorizationError', errorKey, errorCode}`: errorCode is the error's name. */
export function webaAuthorizationError(o: JsonObject): FoundError | null {
  const code = o.errorCode;
  if (typeof code !== 'string' || code.length > MAX_TEXT) return null;
  const reading = readGramjsText(code);
  return reading === null ? null : fromReading(reading, code, undefined);
}

// ---- mtcute ----

/** Where @mtcute/tl's RpcError.fromTl puts the number it took out of the name. */
const MTCUTE_PARAM_KEYS = ['seconds', 'newDc', 'dc', 'which', 'codeLength', 'minutes'] as const;

function mtcuteMethodFromStack(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  const second = stack.slice(0, 2048).split('\n')[1];
  const m = second === undefined ? null : /^\s+at ([a-z][A-Za-z0-9]*(?:\.[a-z][A-Za-z0-9]*)?)$/.exec(second);
  return m ? m[1] : undefined;
}

/** mtcute's SerializedError; only `RpcError` is an API error. */
export function mtcuteError(e: unknown, callId: unknown): FoundError | NotApiError {
  if (!isObject(e) || e.name !== 'RpcError' || !isObject(e.custom)) return LOCAL;
  const { custom } = e;
  if (typeof custom.text !== 'string' || custom.text.length > MAX_TEXT) return LOCAL;
  let message = custom.text;
  if (message.includes('%d')) {
    const key = MTCUTE_PARAM_KEYS.find((k) => isInt(custom[k]));
    if (key !== undefined) message = message.replace('%d', String(custom[key]));
  }
  const result = found('mtcute', isInt(custom.code) ? custom.code : null, message, callId);
  const method = mtcuteMethodFromStack(e.stack);
  if (method !== undefined) result.errorMethod = method;
  return result;
}

/** mtcute's `{type: 'error', error}` (client.onError): a cloned Error keeps only its text. */
export function mtcuteClientError(e: unknown): FoundError | null {
  if (!isObject(e) || typeof e.message !== 'string') return null;
  // @mtcute/tl RpcError: 'Unknown RPC error: [code:text]' when the catalog has no description.
  const m = /^Unknown RPC error: \[(-?\d{1,4}):([A-Z0-9_]{2,128})\]$/.exec(e.message);
  return m ? found('mtcute', Number(m[1]), m[2], undefined) : null;
}

// ---- the protocols by their envelope ----

/**
 * A worker message of one of the clients, by its own structure: the error it carries, a note
 * that it carries something that is not an API error, or null when it is no such message.
 */
export function matchWorkerProtocol(o: JsonObject): FoundError | NotApiError | null {
  const type = o.type;
  if (type === 'result' || type === 'ack') {
    if (isObject(o.payload) && 'taskId' in o.payload) {
      return o.payload.error !== undefined && 'error' in o.payload ? webkApiError(o.payload.error, o.payload.taskId) : null;
    }
    if (type === 'result' && 'id' in o && o.error !== undefined && o.error !== null) return mtcuteError(o.error, o.id);
    return null;
  }
  if (type === 'methodResponse') return o.error === undefined || o.error === null ? null : webaErrorText(o.error, o.messageId);
  if (type === 'unhandledError') return webaErrorText(o.error, undefined);
  if (type === 'error' && 'error' in o) return mtcuteClientError(o.error);
  const update = o['@type'];
  if (update === 'error' && isObject(o.error)) return webaErrorUpdate(o.error);
  if (update === 'notSupportedInFrozenAccount' && isObject(o.error)) return { notApi: 'companion-notice' };
  if (update === 'updateAuthorizationError') return webaAuthorizationError(o);
  return null;
}
