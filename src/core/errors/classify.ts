// Turns one error as found in the traffic into the ErrorRecord every part of the extension shares:
// class by code (Telegram's error-handling page), what the client should do, what the number in the
// name means, and a human-readable meaning.

import { lookupTemplate, type TemplateInfo } from './catalog.ts';
import { deriveMeaning } from './derive-meaning.ts';
import { isoFromEpochMs } from '../iso-time.ts';
import { maskSecretsInText, maskUrlSecrets } from '../capture/mask-secrets.ts';
import { splitErrorMessage } from './parse-message.ts';
import type { Channel, Dialect, Direction, ErrorAction, ErrorClass, ErrorParams, ErrorRecord, Evidence, MeaningSource } from '../record.ts';
import { matchTemplate, type TemplateMatch } from './templates.ts';

export interface RpcErrorInput {
  /** The code as received; null when the traffic did not carry one (it is then inferred). */
  code: number | null;
  message: string;
  dialect: Dialect;
  /** Bot API `parameters.retry_after`, when present. */
  retryAfter?: number;
  /**
   * The Telegram error name, when `message` is a client's sentence around it (GramJS texts):
   * type, template and parameters are read from it; `message` stays as received.
   */
  name?: string;
  /** `code` is the code of the client's error class, not one the traffic carried: marked inferred. */
  codeFromClass?: boolean;
  /** What the client's text lost; kept on the record. */
  note?: string;
}

export interface CaptureContext {
  /** Epoch milliseconds. */
  capturedAt: number;
  channel: Channel;
  direction: Direction;
  url?: string | null;
  method?: string | null;
  /** The client's own call beside `method` (see ErrorRecord.clientCall). */
  clientCall?: string | null;
  dc?: number | null;
  evidence?: Evidence | null;
}

/** Codes the error-handling page documents (plus 406, which Telegram's current page adds). */
const CLASS_BY_CODE: ReadonlyMap<number, ErrorClass> = new Map([
  [303, 'ERROR_SEE_OTHER'],
  [400, 'BAD_REQUEST'],
  [401, 'UNAUTHORIZED'],
  [403, 'FORBIDDEN'],
  [404, 'NOT_FOUND'],
  [406, 'NOT_ACCEPTABLE'],
  [420, 'FLOOD'],
  [500, 'INTERNAL'],
]);

/**
 * When neither the traffic nor any catalog gives a code, the error is handled as the seed says for
 * codes it does not list: as a 500. The record then says 500, codeInferred (not from the traffic)
 * and treatedAs500 (we do not actually know the code).
 */
const FALLBACK_CODE = 500;

/** What a type tells independently of code and time; cached per type string. */
interface TypeReading {
  match: TemplateMatch | null;
  meaning: string | null;
  meaningSource: MeaningSource;
}

const MAX_CACHED_READINGS = 8192;
const readings = new Map<string, TypeReading>();

function catalogMeaning(info: TemplateInfo, value: number | null): string | null {
  let text = info.descriptionPattern !== null && value !== null ? info.descriptionPattern.replaceAll('%d', String(value)) : info.description;
  // The seed writes its examples with X for the number: say the number the error carried.
  if (text !== null && info.source === 'seed' && value !== null) {
    text = text.replaceAll(' (where X is a number)', '').replace(/\bX\b/g, String(value));
  }
  return text === null || text === '' ? text : text[0].toUpperCase() + text.slice(1);
}

function readTypeUncached(type: string): TypeReading {
  const match = matchTemplate(type);
  const info = match?.info ?? null;
  if (info !== null && info.source !== 'notes') {
    const meaning = catalogMeaning(info, match!.value);
    if (meaning !== null) return { match, meaning, meaningSource: info.source };
  }
  if (match !== null) {
    return { match, meaning: deriveMeaning(match.template, match.paramName, match.value), meaningSource: 'derived' };
  }
  return { match: null, meaning: deriveMeaning(type, null, null), meaningSource: 'derived' };
}

function readType(type: string): TypeReading {
  let reading = readings.get(type);
  if (reading === undefined) {
    reading = readTypeUncached(type);
    if (readings.size >= MAX_CACHED_READINGS) readings.clear();
    readings.set(type, reading);
  }
  return reading;
}

// Errors arrive in bursts that share a timestamp; remember the last conversion.
let lastCapturedAt = NaN;
let lastCapturedIso = '';

function capturedIso(ms: number): string {
  if (ms === lastCapturedAt) return lastCapturedIso;
  // An impossible capture time would make the record unserialisable; use the present instead.
  const iso = isoFromEpochMs(ms) ?? new Date().toISOString();
  lastCapturedAt = ms;
  lastCapturedIso = iso;
  return iso;
}

/** N in the Bot API / TDLib "Too Many Requests: retry after N". */
function retryAfterInText(message: string): number | null {
  const at = message.indexOf('retry after ');
  if (at === -1) return null;
  let end = at + 12;
  let n = 0;
  let digits = 0;
  while (end < message.length) {
    const c = message.charCodeAt(end);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
    digits++;
    end++;
  }
  return digits > 0 && digits <= 12 ? n : null;
}

function waitAction(capturedAt: number, params: ErrorParams): ErrorAction | null {
  let retryMs: number;
  if (params.seconds !== undefined) retryMs = capturedAt + params.seconds * 1000;
  else if (params.minutes !== undefined) retryMs = capturedAt + params.minutes * 60_000;
  else if (params.until !== undefined) retryMs = params.until * 1000;
  else return null;
  const retryAt = isoFromEpochMs(retryMs);
  return retryAt === null ? { kind: 'wait' } : { kind: 'wait', retryAt };
}

function actionByClass(errorClass: ErrorClass, type: string | null): ErrorAction {
  switch (errorClass) {
    case 'ERROR_SEE_OTHER':
      return { kind: 'redirect' };
    case 'BAD_REQUEST':
      return { kind: 'fix-input' };
    case 'UNAUTHORIZED':
      return { kind: 'reauthorize' };
    case 'FORBIDDEN':
      return { kind: 'forbidden' };
    case 'NOT_FOUND':
      return { kind: 'not-found' };
    case 'NOT_ACCEPTABLE':
      // 406: show nothing and wait for updateServiceNotification, except a duplicated key.
      return type === 'AUTH_KEY_DUPLICATED' ? { kind: 'reauthorize' } : { kind: 'silent' };
    case 'FLOOD':
      return { kind: 'wait' };
    default:
      return { kind: 'report' };
  }
}

function isRedirectTemplate(template: string): boolean {
  return template.endsWith('_MIGRATE_X');
}

/** Catalogs also list a few free-text messages (`Timeout`, `No workers running`). */
function freeTextMeaning(type: string | null, message: string): string | null {
  if (type !== null || message.length > 64) return null;
  return lookupTemplate(message)?.description ?? null;
}

/**
 * Longest error text kept (Telegram's names and the clients' sentences are far shorter): a page
 * can put a megabyte in an error's text, and the record copies it into type and meaning.
 */
export const MAX_MESSAGE_CHARS = 1024;

/** `text` cut to MAX_MESSAGE_CHARS, never splitting a surrogate pair, marked with `…` when cut. */
function capMessage(text: string): string {
  if (text.length <= MAX_MESSAGE_CHARS) return text;
  let end = MAX_MESSAGE_CHARS - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return text.slice(0, end) + '\u2026';
}

/** Never throws: every field of the input may be anything at run time. */
export function classifyRpcError(input: RpcErrorInput, context: CaptureContext, id: number): ErrorRecord {
  const message = capMessage(typeof input.message === 'string' ? input.message : String(input.message ?? ''));
  const dialect = input.dialect;

  const named = typeof input.name === 'string' && input.name.length > 0 ? capMessage(input.name) : null;
  let { type, description } = splitErrorMessage(named ?? message);
  if (named !== null) description = null;
  // The seed writes FILE_PART_Х_MISSING with a Cyrillic Х; accept that spelling when it names a template.
  if (type === null && message.includes('\u0425')) {
    const latin = splitErrorMessage(message.replaceAll('\u0425', 'X'));
    if (latin.type !== null && matchTemplate(latin.type) !== null) ({ type, description } = latin);
  }

  const reading = type !== null ? readType(type) : null;
  const match = reading?.match ?? null;

  // ---- code ----
  const receivedCode = typeof input.code === 'number' && Number.isFinite(input.code) ? input.code : null;
  let code: number;
  let codeInferred: boolean;
  let unknownCode = false;
  if (receivedCode !== null) {
    code = receivedCode;
    codeInferred = input.codeFromClass === true;
  } else {
    // A type's template, or a catalog name that is free text (`Timeout` is -503).
    const info = match?.info ?? (type === null ? lookupTemplate(named ?? message) : null);
    codeInferred = true;
    if (info !== null) code = info.code;
    else {
      code = FALLBACK_CODE;
      unknownCode = true;
    }
  }

  // ---- class and params ----
  const params: ErrorParams = match !== null && match.value !== null ? { ...match.params } : {};
  let errorClass: ErrorClass;
  let treatedAs500: boolean;
  let action: ErrorAction | null = null;
  const capturedAt = context.capturedAt;

  if (code === 429 && (dialect === 'bot-api' || dialect === 'tdlib')) {
    // Bot API and TDLib report long flood waits as HTTP-style 429 "retry after N".
    errorClass = 'FLOOD';
    treatedAs500 = false;
    const given = input.retryAfter;
    const seconds = typeof given === 'number' && Number.isFinite(given) && given >= 0 ? given : retryAfterInText(message);
    if (seconds !== null) params.seconds = seconds;
    action = waitAction(capturedAt, params) ?? { kind: 'wait' };
  } else {
    const known = CLASS_BY_CODE.get(code);
    errorClass = known ?? 'INTERNAL';
    treatedAs500 = known === undefined || unknownCode;
  }

  // ---- action: the name decides first (redirects and waits), then the class ----
  if (action === null && match !== null) {
    if (isRedirectTemplate(match.template)) {
      action = params.dc !== undefined ? { kind: 'redirect', dc: params.dc } : { kind: 'redirect' };
    } else {
      action = waitAction(capturedAt, params);
    }
  }
  if (action === null) action = actionByClass(errorClass, type);

  const url = typeof context.url === 'string' ? maskUrlSecrets(context.url) : null;
  const given = context.evidence ?? null;
  const evidence: Evidence | null = given?.kind === 'json' ? { kind: 'json', excerpt: maskSecretsInText(given.excerpt) } : given;

  return {
    id,
    capturedAt: capturedIso(capturedAt),
    code,
    class: errorClass,
    treatedAs500,
    codeInferred,
    message,
    type,
    description,
    template: match?.template ?? null,
    params,
    meaning: reading?.meaning ?? freeTextMeaning(type, named ?? message),
    meaningSource: reading?.meaningSource ?? (freeTextMeaning(type, named ?? message) === null ? 'none' : 'catalog'),
    action,
    channel: context.channel,
    direction: context.direction,
    url,
    dialect,
    method: typeof context.method === 'string' ? context.method : null,
    ...(typeof context.clientCall === 'string' && context.clientCall !== context.method ? { clientCall: context.clientCall } : {}),
    ...(typeof input.note === 'string' ? { note: input.note } : {}),
    chainId: null,
    dc: typeof context.dc === 'number' ? context.dc : null,
    evidence,
  };
}
