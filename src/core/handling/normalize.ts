// Turns whatever the caller passes into the audit's definite internal form, never throwing:
// times are clamped so that they never go backwards, missing fields become null, and an
// error's redirect DC and retry time are read from its type and params when not given.

import type { ErrorClass, ErrorParams } from '../record.ts';
import type { AuditEvent, ErrorSighting, RequestSighting } from './types.ts';

const MAX_TIME_MS = 8.64e15;
const ERROR_CLASSES: ReadonlySet<string> = new Set([
  'ERROR_SEE_OTHER',
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NOT_ACCEPTABLE',
  'FLOOD',
  'INTERNAL',
  'PROTOCOL',
  'TRANSPORT',
]);
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

export interface AuditError {
  kind: 'error';
  id: number;
  at: number;
  code: number;
  class: ErrorClass;
  type: string | null;
  params: ErrorParams;
  method: string | null;
  dc: number | null;
  family: string;
  authKeyId: string | null;
  fingerprint: string | null;
  msgId: string | null;
  redirectDc: number | null;
  retryAt: number | null;
}

export interface AuditRequest {
  kind: 'request';
  requestId: string;
  at: number;
  method: string | null;
  dc: number | null;
  family: string;
  fingerprint: string | null;
  authKeyId: string | null;
  isAuthCall: boolean;
  msgId: string | null;
}

export type AuditItem = AuditError | AuditRequest;

/** Time never goes backwards: an event older than the clock is taken as happening at the clock. */
export function clampTime(at: unknown, clock: number): number {
  const base = Number.isFinite(clock) ? clock : 0;
  if (typeof at !== 'number' || !Number.isFinite(at)) return base;
  const t = Math.min(Math.max(at, 0), MAX_TIME_MS);
  return Number.isFinite(clock) ? Math.max(t, clock) : t;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
function int(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
function finiteTime(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(Math.max(v, 0), MAX_TIME_MS) : null;
}

function cleanParams(p: unknown): ErrorParams {
  if (p === null || typeof p !== 'object') return {};
  const out: ErrorParams = {};
  for (const [k, v] of Object.entries(p as Record<string, unknown>)) {
    if (typeof v === 'number' && Number.isFinite(v)) (out as Record<string, number>)[k] = v;
  }
  return out;
}

const MIGRATE = /_MIGRATE_(\d{1,6})$/;

/** X of a *_MIGRATE_X type, or null. */
export function migrateDcOf(type: string | null, params: ErrorParams): number | null {
  if (type === null || !type.includes('_MIGRATE_')) return null;
  if (params.dc !== undefined) return params.dc;
  const m = MIGRATE.exec(type);
  return m ? Number(m[1]) : null;
}

/** retryAt as classify computes it: seconds or minutes from the error, or an absolute `until`. */
function retryAtOf(at: number, params: ErrorParams): number | null {
  if (params.seconds !== undefined) return finiteTime(at + params.seconds * 1000);
  if (params.minutes !== undefined) return finiteTime(at + params.minutes * 60_000);
  if (params.until !== undefined) return finiteTime(params.until * 1000);
  return null;
}

export function normalizeError(e: ErrorSighting, clock: number): AuditError {
  const at = clampTime(e.at, clock);
  const code = int(e.code) ?? 500;
  const cls = typeof e.class === 'string' && ERROR_CLASSES.has(e.class) ? e.class : (CLASS_BY_CODE.get(code) ?? 'INTERNAL');
  const type = str(e.type);
  const params = cleanParams(e.params);
  const redirectDc = int(e.redirectDc) ?? migrateDcOf(type, params);
  return {
    kind: 'error',
    id: int(e.id) ?? -1,
    at,
    code,
    class: cls,
    type,
    params,
    method: str(e.method),
    dc: int(e.dc),
    family: typeof e.family === 'string' ? e.family : '',
    authKeyId: str(e.authKeyId),
    fingerprint: str(e.fingerprint),
    msgId: str(e.msgId),
    redirectDc,
    retryAt: finiteTime(e.retryAt) ?? retryAtOf(at, params),
  };
}

export function normalizeRequest(r: RequestSighting, clock: number): AuditRequest {
  const method = str(r.method);
  return {
    kind: 'request',
    requestId: typeof r.requestId === 'string' ? r.requestId : String(r.requestId ?? ''),
    at: clampTime(r.at, clock),
    method,
    dc: int(r.dc),
    family: typeof r.family === 'string' ? r.family : '',
    fingerprint: str(r.fingerprint),
    authKeyId: str(r.authKeyId),
    isAuthCall: typeof r.isAuthCall === 'boolean' ? r.isAuthCall : method !== null && method.startsWith('auth.'),
    msgId: str(r.msgId),
  };
}

/** Null for anything that is not an event (the engine then ignores it). */
export function normalizeEvent(event: AuditEvent, clock: number): AuditItem | null {
  if (event === null || typeof event !== 'object') return null;
  if (event.kind === 'error') return normalizeError(event, clock);
  if (event.kind === 'request') return normalizeRequest(event, clock);
  return null;
}

/** Fills what the error lacks from the request it answers (found by msg_id). */
export function completeFromRequest(e: AuditError, r: AuditRequest | null): AuditError {
  if (r === null) return e;
  return {
    ...e,
    method: e.method ?? r.method,
    dc: e.dc ?? r.dc,
    authKeyId: e.authKeyId ?? r.authKeyId,
    fingerprint: e.fingerprint ?? r.fingerprint,
  };
}

/** The key requests are remembered by for msg_id pairing (msg_ids are per session, so per family). */
export function msgKey(family: string, msgId: string): string {
  return `${family}\u0000${msgId}`;
}
