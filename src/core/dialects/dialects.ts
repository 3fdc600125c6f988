// Finds Telegram API errors inside parsed JSON, anywhere in the document, by structure only:
// a chat message whose text is "FLOOD_WAIT_5" is data, not an error. The walk is iterative with a
// bounded depth and a bounded number of nodes, so hostile documents cannot overflow the stack or
// stall the service worker.
//
// Shapes recognised (see the notes on web clients):
//   tl-json  {_: 'rpc_error', error_code: int, error_message: string}, also as the `result` of
//            {_: 'rpc_result', req_msg_id, result}
//   tdlib    {'@type': 'error', code: int, message: string}
//   bot-api  {ok: false, error_code: int, description: string, parameters?: {retry_after?, migrate_to_chat_id?}}
//   gramjs   {errorMessage: string, code: int} (serialised RPCError objects)
//   webk, weba, mtcute: the worker protocols of the web clients (worker-dialects.ts), which also
//            tell what is error-shaped but no API error (counted in `notApi`, never listed)
// A matched object is not searched further: one structure, one error (a GramJS error that also
// carries its raw rpc_error would otherwise count twice).

import { matchWorkerProtocol, type NotApiError, type NotApiReason } from './worker-dialects.ts';

export type { FoundDialect, FoundError } from './found-error.ts';
import type { FoundError } from './found-error.ts';

export interface WalkLimits {
  maxDepth: number;
  maxNodes: number;
}

export const DEFAULT_LIMITS: Readonly<WalkLimits> = Object.freeze({ maxDepth: 32, maxNodes: 50_000 });
export const EXCERPT_MAX_CHARS = 300;
/** Largest text findErrorsInText parses (the content script forwards at most 1,000,000 chars). */
export const MAX_TEXT_CHARS = 1_000_000;
const MAX_METHOD_CHARS = 256;

export interface FindResult {
  errors: FoundError[];
  /** Error-shaped things that are not API errors, by reason (worker-local errors, companion notices). */
  notApi: Partial<Record<NotApiReason, number>>;
  /** The node budget ran out before the whole document was seen. */
  truncated: boolean;
  /** Some containers deeper than maxDepth were not searched. */
  depthLimited: boolean;
  nodesVisited: number;
}

type JsonObject = Record<string, unknown>;

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

function nonNegative(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
}

// ---- excerpt: bounded JSON text, never walking more than it prints ----

const EXCERPT_MAX_DEPTH = 4;

/** JSON text of `value`, cut to `maxChars` (ending in `…` when cut). Bounded work; never throws. */
export function jsonExcerpt(value: unknown, maxChars = EXCERPT_MAX_CHARS): string {
  let out = '';
  const full = (): boolean => out.length > maxChars;
  const write = (v: unknown, depth: number): void => {
    if (full()) return;
    if (typeof v === 'string') {
      out += JSON.stringify(v.length > maxChars ? v.slice(0, maxChars) : v);
    } else if (typeof v === 'number' || typeof v === 'boolean' || v === null) {
      out += JSON.stringify(v);
    } else if (typeof v === 'bigint') {
      out += String(v);
    } else if (Array.isArray(v)) {
      if (depth >= EXCERPT_MAX_DEPTH) return void (out += '[…]');
      out += '[';
      for (let i = 0; i < v.length && !full(); i++) {
        if (i > 0) out += ',';
        write(v[i], depth + 1);
      }
      out += ']';
    } else if (typeof v === 'object') {
      if (depth >= EXCERPT_MAX_DEPTH) return void (out += '{…}');
      out += '{';
      let first = true;
      for (const key in v) {
        if (full()) break;
        if (!Object.hasOwn(v, key)) continue;
        const child = (v as JsonObject)[key];
        if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
        if (!first) out += ',';
        first = false;
        out += JSON.stringify(key.length > maxChars ? key.slice(0, maxChars) : key) + ':';
        write(child, depth + 1);
      }
      out += '}';
    } else {
      out += 'null';
    }
  };
  write(value, 0);
  return out.length > maxChars ? out.slice(0, maxChars - 1) + '…' : out;
}

// ---- shape matching ----

function matchShape(o: JsonObject, method: string | undefined): FoundError | NotApiError | null {
  let found: FoundError | NotApiError | null;
  if (o._ === 'rpc_error' && isInt(o.error_code) && typeof o.error_message === 'string') {
    found = { dialect: 'tl-json', code: o.error_code, message: o.error_message, excerpt: '' };
  } else if (o['@type'] === 'error' && isInt(o.code) && typeof o.message === 'string') {
    found = { dialect: 'tdlib', code: o.code, message: o.message, excerpt: '' };
  } else if (o.ok === false && isInt(o.error_code) && typeof o.description === 'string') {
    found = { dialect: 'bot-api', code: o.error_code, message: o.description, excerpt: '' };
    if (isObject(o.parameters)) {
      const retryAfter = nonNegative(o.parameters.retry_after);
      if (retryAfter !== undefined) found.retryAfter = retryAfter;
      if (isInt(o.parameters.migrate_to_chat_id)) found.migrateToChatId = o.parameters.migrate_to_chat_id;
    }
  } else if (typeof o.errorMessage === 'string' && isInt(o.code)) {
    found = { dialect: 'gramjs', code: o.code, message: o.errorMessage, excerpt: '' };
  } else {
    found = matchWorkerProtocol(o);
  }
  if (found === null || 'notApi' in found) return found;
  if (method !== undefined) found.method = method;
  found.excerpt = jsonExcerpt(o);
  return found;
}

function methodOf(o: JsonObject, inherited: string | undefined): string | undefined {
  const m = o.method;
  return typeof m === 'string' && m.length > 0 && m.length <= MAX_METHOD_CHARS ? m : inherited;
}

function reqMsgIdOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length <= 32) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}

// ---- the walk ----

interface Frame {
  value: unknown;
  depth: number;
  method: string | undefined;
}

interface Budget {
  nodesLeft: number;
}

function walk(root: unknown, maxDepth: number, budget: Budget, result: FindResult): void {
  const stack: Frame[] = [{ value: root, depth: 0, method: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    if (budget.nodesLeft <= 0) {
      result.truncated = true;
      return;
    }
    budget.nodesLeft--;
    result.nodesVisited++;

    let children: unknown[];
    let method = frame.method;
    if (Array.isArray(value)) {
      children = value;
    } else if (isObject(value)) {
      method = methodOf(value, method);
      const found = matchShape(value, method);
      if (found !== null) {
        if ('notApi' in found) result.notApi[found.notApi] = (result.notApi[found.notApi] ?? 0) + 1;
        else result.errors.push(found);
        continue;
      }
      if (value._ === 'rpc_result' && isObject(value.result)) {
        const inner = matchShape(value.result, methodOf(value.result, method));
        if (inner !== null && !('notApi' in inner)) {
          const reqMsgId = reqMsgIdOf(value.req_msg_id);
          if (reqMsgId !== undefined) inner.reqMsgId = reqMsgId;
          result.errors.push(inner);
          budget.nodesLeft--;
          result.nodesVisited++;
          continue;
        }
      }
      children = [];
      for (const key in value) {
        if (Object.hasOwn(value, key)) children.push(value[key]);
        // Counting keys as we go keeps a giant flat object within the budget.
        if (children.length > budget.nodesLeft) {
          result.truncated = true;
          break;
        }
      }
    } else {
      continue;
    }

    // Children in reverse so they pop in document order; only containers can hold errors.
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (typeof child !== 'object' || child === null) {
        budget.nodesLeft--;
        result.nodesVisited++;
        continue;
      }
      if (depth + 1 > maxDepth) {
        result.depthLimited = true;
        continue;
      }
      stack.push({ value: child, depth: depth + 1, method });
    }
    if (budget.nodesLeft <= 0 && stack.length > 0) {
      result.truncated = true;
      return;
    }
  }
}

function emptyResult(): FindResult {
  return { errors: [], notApi: {}, truncated: false, depthLimited: false, nodesVisited: 0 };
}

/** Errors anywhere in a parsed JSON value, in document order. Never throws. */
export function findErrors(value: unknown, limits: WalkLimits = DEFAULT_LIMITS): FindResult {
  const result = emptyResult();
  walk(value, limits.maxDepth, { nodesLeft: limits.maxNodes }, result);
  return result;
}

// ---- text: whole-body JSON, newline-delimited JSON, SSE `data:` lines ----

export interface TextScanResult {
  errors: FoundError[];
  diagnostics: string[];
  notApi?: Partial<Record<NotApiReason, number>>;
}

function startsLikeJson(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === 123 /* { */ || c === 91; /* [ */
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** The JSON documents in a body that is not one JSON value: NDJSON lines and SSE events. */
function documentsByLine(text: string): { documents: string[]; skippedLines: number } {
  const documents: string[] = [];
  let skippedLines = 0;
  let eventData: string[] | null = null;
  const endEvent = (): void => {
    if (eventData !== null) documents.push(eventData.join('\n'));
    eventData = null;
  };
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line.startsWith('data:')) {
      const data = line.charCodeAt(5) === 32 ? line.slice(6) : line.slice(5);
      (eventData ??= []).push(data);
      continue;
    }
    // Any other line ends an SSE event (a blank line does by definition; `event:`/`id:` lines
    // belong to the next event's header in practice).
    endEvent();
    const trimmed = line.trim();
    if (trimmed.length === 0 || trimmed.startsWith(':') || /^(event|id|retry):/.test(trimmed)) continue;
    if (startsLikeJson(trimmed)) documents.push(trimmed);
    else skippedLines++;
  }
  endEvent();
  return { documents, skippedLines };
}

/**
 * Parses a text body and finds the errors in it. Never throws; what it could not read is said in
 * `diagnostics` (text for the developer, never containing the body itself).
 */
export function findErrorsInText(text: string, limits: WalkLimits = DEFAULT_LIMITS): TextScanResult {
  const errors: FoundError[] = [];
  const diagnostics: string[] = [];
  if (typeof text !== 'string') return { errors, diagnostics: ['input is not text'] };
  if (text.length > MAX_TEXT_CHARS) {
    return { errors, diagnostics: [`input too large: ${text.length} characters (limit ${MAX_TEXT_CHARS}); not scanned`] };
  }
  const body = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).trim();
  if (body.length === 0) return { errors, diagnostics: ['empty input'] };

  const budget: Budget = { nodesLeft: limits.maxNodes };
  const result = emptyResult();

  const whole = startsLikeJson(body) ? tryParse(body) : { ok: false as const };
  if (whole.ok) {
    walk(whole.value, limits.maxDepth, budget, result);
  } else {
    const { documents, skippedLines } = documentsByLine(body);
    let parsed = 0;
    let failed = 0;
    for (const doc of documents) {
      if (budget.nodesLeft <= 0) {
        result.truncated = true;
        break;
      }
      const attempt = startsLikeJson(doc.trimStart()) ? tryParse(doc) : { ok: false as const };
      if (!attempt.ok) {
        failed++;
        continue;
      }
      parsed++;
      walk(attempt.value, limits.maxDepth, budget, result);
    }
    if (parsed === 0) diagnostics.push('not JSON');
    else if (failed + skippedLines > 0) diagnostics.push(`${failed + skippedLines} line(s) or event(s) were not JSON`);
  }
  if (result.truncated) diagnostics.push(`truncated: node limit of ${limits.maxNodes} reached`);
  if (result.depthLimited) diagnostics.push(`depth limit of ${limits.maxDepth} reached; deeper values not searched`);
  const scanned: TextScanResult = { errors: result.errors, diagnostics };
  if (Object.keys(result.notApi).length > 0) scanned.notApi = result.notApi;
  return scanned;
}
