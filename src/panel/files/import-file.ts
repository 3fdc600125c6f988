// Opens a file a colleague sent: our own export, or a HAR saved from DevTools' Network
// panel (scanned like live traffic). Anything else gets a message that says what it is not.

import type { HandlingVerdict, RequestRef, RetryAttempt, RetryChain, RetryPattern } from '../../core/handling/types.ts';
import type { ErrorRecord } from '../../core/record.ts';
import { EXPORT_FORMAT, EXPORT_VERSION } from '../../core/export-format.ts';
import { recordsFromHar, type HarLike } from './har-import.ts';
import type { CallRecord } from '../../core/calls/call.ts';
import { importBefore, importCall } from '../../core/calls/export-calls.ts';

export interface ImportedLog {
  kind: 'log';
  source: 'export' | 'har';
  fileName: string;
  records: ErrorRecord[];
  /** The calls the file holds (an export's `calls`, the calls a HAR shows), by id. */
  calls: CallRecord[];
  pageUrl: string | null;
  /** Things worth telling the user (entries skipped, records cut at the cap). */
  notes: string[];
}

export interface ImportFailure {
  kind: 'error';
  fileName: string;
  message: string;
}

export type ImportResult = ImportedLog | ImportFailure;

/** More records than this are not kept (the panel stays responsive and memory bounded). */
export const IMPORT_MAX_RECORDS = 200_000;

const NEITHER = 'is neither a Telegram API errors export (.json) nor a HAR file saved from the Network panel';

export function parseImportFile(fileName: string, text: string): ImportResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'error', fileName, message: `${fileName} ${NEITHER}: it is not JSON.` };
  }
  if (isObject(data) && data.format === EXPORT_FORMAT) return fromExport(fileName, data);
  if (isObject(data) && isObject(data.log) && Array.isArray(data.log.entries)) return fromHar(fileName, data as unknown as HarLike);
  return { kind: 'error', fileName, message: `${fileName} ${NEITHER}.` };
}

function fromExport(fileName: string, data: Record<string, unknown>): ImportResult {
  if (typeof data.version !== 'number' || data.version > EXPORT_VERSION) {
    return {
      kind: 'error',
      fileName,
      message: `${fileName} is an export of version ${String(data.version)}, which this version of the extension cannot read (it reads version ${EXPORT_VERSION}).`,
    };
  }
  if (!Array.isArray(data.errors)) return { kind: 'error', fileName, message: `${fileName} is an export without its "errors" list.` };
  const records: ErrorRecord[] = [];
  let skipped = 0;
  for (const raw of data.errors) {
    const record = asRecord(raw);
    if (record) records.push(record);
    else skipped++;
  }
  // The timeline and chain lookups rely on increasing ids.
  records.sort((a, b) => a.id - b.id);
  const notes: string[] = [];
  if (skipped > 0) notes.push(`${skipped} entries were not error records and were skipped.`);
  const page = isObject(data.page) && typeof data.page.url === 'string' ? data.page.url : null;
  const calls: CallRecord[] = [];
  let badCalls = 0;
  for (const raw of Array.isArray(data.calls) ? data.calls : []) {
    const call = importCall(raw);
    if (call) calls.push(call);
    else badCalls++;
  }
  calls.sort((a, b) => a.id - b.id);
  // The file's calls name their error record only: its class and wait come from the record.
  const byId = new Map(records.map((r) => [r.id, r]));
  for (const call of calls) {
    const record = call.recordId === null ? undefined : byId.get(call.recordId);
    if (call.outcome !== 'error' || record === undefined) continue;
    call.errorClass = record.class;
    if (record.params.seconds !== undefined) call.waitSeconds = record.params.seconds;
  }
  if (badCalls > 0) notes.push(`${badCalls} entries of "calls" were not calls and were skipped.`);
  return { kind: 'log', source: 'export', fileName, records: capped(records, notes), calls: cappedCalls(calls, notes), pageUrl: page, notes };
}

function fromHar(fileName: string, har: HarLike): ImportResult {
  const { records, calls, scanned, pageUrl } = recordsFromHar(har);
  const notes = [`${scanned} responses and WebSocket messages scanned.`];
  return { kind: 'log', source: 'har', fileName, records: capped(records, notes), calls: cappedCalls(calls, notes), pageUrl, notes };
}

/** More calls than this are not kept (the background's own ring holds 50,000). */
export const IMPORT_MAX_CALLS = 200_000;

function cappedCalls(calls: CallRecord[], notes: string[]): CallRecord[] {
  if (calls.length <= IMPORT_MAX_CALLS) return calls;
  notes.push(`Only the newest ${IMPORT_MAX_CALLS.toLocaleString('en-US')} of ${calls.length.toLocaleString('en-US')} calls are shown.`);
  return calls.slice(calls.length - IMPORT_MAX_CALLS);
}

function capped(records: ErrorRecord[], notes: string[]): ErrorRecord[] {
  if (records.length <= IMPORT_MAX_RECORDS) return records;
  notes.push(`Only the newest ${IMPORT_MAX_RECORDS.toLocaleString('en-US')} of ${records.length.toLocaleString('en-US')} errors are shown.`);
  return records.slice(records.length - IMPORT_MAX_RECORDS);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * A record from a file, with the fields the panel relies on checked and the optional ones
 * defaulted: a hand-edited or older file still opens, a foreign one is skipped.
 */
export function asRecord(raw: unknown): ErrorRecord | null {
  if (!isObject(raw)) return null;
  const { id, capturedAt, code, message } = raw;
  if (typeof id !== 'number' || !Number.isFinite(id) || !str(capturedAt) || Number.isNaN(Date.parse(capturedAt))) return null;
  if (typeof code !== 'number' || !str(message) || !str(raw.class)) return null;
  const action = isObject(raw.action) && str(raw.action.kind) ? (raw.action as unknown as ErrorRecord['action']) : { kind: 'report' as const };
  return {
    id,
    capturedAt,
    code,
    class: raw.class as ErrorRecord['class'],
    treatedAs500: raw.treatedAs500 === true,
    codeInferred: raw.codeInferred === true,
    message,
    type: strOrNull(raw.type),
    description: strOrNull(raw.description),
    template: strOrNull(raw.template),
    params: isObject(raw.params) ? (raw.params as ErrorRecord['params']) : {},
    meaning: strOrNull(raw.meaning),
    meaningSource: str(raw.meaningSource) ? (raw.meaningSource as ErrorRecord['meaningSource']) : 'none',
    action,
    channel: str(raw.channel) ? (raw.channel as ErrorRecord['channel']) : 'import',
    direction: raw.direction === 'out' ? 'out' : 'in',
    url: strOrNull(raw.url),
    dialect: str(raw.dialect) ? (raw.dialect as ErrorRecord['dialect']) : 'tl-json',
    method: strOrNull(raw.method),
    dc: numOrNull(raw.dc),
    chainId: numOrNull(raw.chainId),
    evidence: isObject(raw.evidence) ? (raw.evidence as unknown as ErrorRecord['evidence']) : null,
    ...optionalFields(raw),
  };
}

/** Fields later versions added: kept when well-formed, left out otherwise. */
function optionalFields(raw: Record<string, unknown>): Partial<ErrorRecord> {
  const out: Partial<ErrorRecord> = {};
  if (str(raw.clientCall)) out.clientCall = raw.clientCall;
  if (str(raw.note)) out.note = raw.note;
  if (isObject(raw.request) && 'params' in raw.request) {
    out.request = { params: raw.request.params, fingerprint: strOrNull(raw.request.fingerprint) };
  }
  if (str(raw.reqMsgId)) out.reqMsgId = raw.reqMsgId;
  const before = importBefore(raw.before);
  if (before !== undefined) out.before = before;
  const handling = asHandlingVerdict(raw.handling);
  if (handling !== null) out.handling = handling;
  if (isObject(raw.sharedWorker) && typeof raw.sharedWorker.tabs === 'number' && Number.isSafeInteger(raw.sharedWorker.tabs) && raw.sharedWorker.tabs > 1) {
    out.sharedWorker = { tabs: raw.sharedWorker.tabs };
  }
  const seen = raw.reachedPage;
  if (isObject(seen) && str(seen.message) && str(seen.channel) && str(seen.dialect) && typeof seen.code === 'number') {
    out.reachedPage = {
      capturedAt: str(seen.capturedAt) ? seen.capturedAt : '',
      channel: seen.channel as ErrorRecord['channel'],
      dialect: seen.dialect as ErrorRecord['dialect'],
      message: seen.message,
      code: seen.code,
      method: strOrNull(seen.method),
      evidence: isObject(seen.evidence) ? (seen.evidence as unknown as ErrorRecord['evidence']) : null,
      ...(str(seen.clientCall) ? { clientCall: seen.clientCall } : {}),
      ...(str(seen.note) ? { note: seen.note } : {}),
    };
  }
  return out;
}

const VERDICTS: ReadonlySet<string> = new Set(['ok', 'violation', 'pending', 'not-observable']);

/** A handling verdict from a file: the fields the panel shows checked, evidence refs that are malformed left out. */
export function asHandlingVerdict(raw: unknown): HandlingVerdict | null {
  if (!isObject(raw) || !str(raw.verdict) || !VERDICTS.has(raw.verdict) || !isObject(raw.rule) || !str(raw.rule.id) || !str(raw.finding)) return null;
  const evidence: RequestRef[] = [];
  if (Array.isArray(raw.evidence)) {
    for (const e of raw.evidence) {
      if (!isObject(e) || !str(e.requestId) || !str(e.at)) continue;
      evidence.push({ requestId: e.requestId, at: e.at, method: strOrNull(e.method), dc: numOrNull(e.dc) });
    }
  }
  const out: HandlingVerdict = {
    verdict: raw.verdict as HandlingVerdict['verdict'],
    rule: { id: raw.rule.id as HandlingVerdict['rule']['id'], text: typeof raw.rule.text === 'string' ? raw.rule.text : '' },
    finding: raw.finding as HandlingVerdict['finding'],
    detail: typeof raw.detail === 'string' ? raw.detail : '',
    evidence,
    final: raw.final !== false,
    decidedAt: strOrNull(raw.decidedAt),
    pendingUntil: strOrNull(raw.pendingUntil),
  };
  const count = numOrNull(raw.count);
  if (count !== null) out.count = count;
  const chain = asRetryChain(raw.retryChain);
  if (chain !== null) out.retryChain = chain;
  return out;
}

const RETRY_PATTERNS: ReadonlySet<string> = new Set(['tight-loop', 'backoff', 'steady']);
/** Attempts kept per chain: the audit makes at most 33 (MAX_CHAIN_ERRORS); a file may say anything. */
const MAX_IMPORTED_ATTEMPTS = 64;

/** A retry chain from a file: dropped when its id or pattern is malformed, attempts without a time left out. */
function asRetryChain(raw: unknown): RetryChain | null {
  if (!isObject(raw) || numOrNull(raw.id) === null || !str(raw.pattern) || !RETRY_PATTERNS.has(raw.pattern) || !Array.isArray(raw.attempts)) return null;
  const attempts: RetryAttempt[] = [];
  for (const a of raw.attempts.slice(0, MAX_IMPORTED_ATTEMPTS)) {
    if (!isObject(a) || !str(a.at)) continue;
    attempts.push({
      at: a.at,
      gapMs: numOrNull(a.gapMs),
      requestId: strOrNull(a.requestId),
      errorId: numOrNull(a.errorId),
      code: numOrNull(a.code),
      type: strOrNull(a.type),
    });
  }
  return { id: raw.id as number, pattern: raw.pattern as RetryPattern, attempts };
}
