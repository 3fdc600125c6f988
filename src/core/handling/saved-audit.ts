// The handling engine's state as plain data, so that it outlives the service worker (Chrome
// stops an idle worker after about 30 s: a client waiting out a long flood wait in silence is
// exactly that case). `HandlingAudit.save()` writes it, `HandlingAudit.restore()` reads it back;
// restore(save(s)) judges every later event exactly as `s` would. Only what the engine already
// holds goes in: normalized sightings (methods, DCs, auth key ids, salted fingerprints, msg_ids)
// and verdicts, never parameters or keys.
//
// Restoring accepts anything (the data comes from storage another version may have written):
// every sighting is normalized again (normalizing is idempotent) and anything malformed is
// left out, never thrown.

import { normalizeError, normalizeRequest, type AuditError, type AuditRequest } from './normalize.ts';
import type { ErrorSighting, HandlingVerdict, RequestSighting } from './types.ts';

export const SAVED_AUDIT_VERSION = 1;

/** One error still being watched, with its retry chain. Its rule, chain key and deadline follow from the errors and are not kept. */
export interface SavedOpenError {
  error: AuditError;
  /** `error`, then the errors that joined its retry chain, in order. */
  members: AuditError[];
  /** The verdict last reported per member id (JSON), so a restored engine reports only changes. */
  reported: Array<[number, string]>;
  familySeenBefore: boolean;
  firstFamilyRequestAt: number | null;
  related: AuditRequest[];
  verdict: HandlingVerdict | null;
}

export interface SavedHandlingAudit {
  v: typeof SAVED_AUDIT_VERSION;
  /** The latest event time seen (epoch ms); null before any. */
  clock: number | null;
  /** Oldest first. */
  open: SavedOpenError[];
  /** Requests remembered for msg_id pairing, oldest first. */
  requests: AuditRequest[];
  /** Families that have shown a request, least recent first. */
  families: string[];
  dropped: { errors: number; requests: number; families: number };
}

export interface SaveLimits {
  /** Keep only the newest this many requests for msg_id pairing (the snapshot's cap; default all). */
  maxRequests?: number;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const count = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
const time = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A saved request, normalized again; null when it is not one. */
export function restoredRequest(v: unknown): AuditRequest | null {
  if (!isObject(v) || v.kind !== 'request') return null;
  return normalizeRequest(v as unknown as RequestSighting, -Infinity);
}

/** A saved error, normalized again; null when it is not one. */
export function restoredError(v: unknown): AuditError | null {
  if (!isObject(v) || v.kind !== 'error') return null;
  return normalizeError(v as unknown as ErrorSighting, -Infinity);
}

/** A saved verdict: kept when it has the verdict's shape, else null (the next judgement reports afresh). */
export function restoredVerdict(v: unknown): HandlingVerdict | null {
  if (
    !isObject(v) ||
    typeof v.verdict !== 'string' ||
    !isObject(v.rule) ||
    typeof v.finding !== 'string' ||
    typeof v.detail !== 'string' ||
    !Array.isArray(v.evidence) ||
    typeof v.final !== 'boolean'
  )
    return null;
  return v as unknown as HandlingVerdict;
}

export function restoredOpenError(v: unknown): SavedOpenError | null {
  if (!isObject(v)) return null;
  const error = restoredError(v.error);
  if (error === null) return null;
  const related: AuditRequest[] = [];
  if (Array.isArray(v.related))
    for (const r of v.related) {
      const request = restoredRequest(r);
      if (request !== null) related.push(request);
    }
  const members: AuditError[] = [error];
  if (Array.isArray(v.members))
    for (const m of v.members.slice(1)) {
      const member = restoredError(m);
      if (member !== null && member.id !== error.id) members.push(member);
    }
  const reported: Array<[number, string]> = [];
  if (Array.isArray(v.reported))
    for (const r of v.reported) {
      if (Array.isArray(r) && r.length === 2 && typeof r[0] === 'number' && typeof r[1] === 'string') reported.push([r[0], r[1]]);
    }
  return {
    error,
    members,
    reported,
    familySeenBefore: v.familySeenBefore === true,
    firstFamilyRequestAt: time(v.firstFamilyRequestAt),
    related,
    verdict: restoredVerdict(v.verdict),
  };
}

/** Reads a saved audit's parts; null when it is not one (another version, garbage). */
export function readSavedAudit(saved: unknown): SavedHandlingAudit | null {
  if (!isObject(saved) || saved.v !== SAVED_AUDIT_VERSION) return null;
  const open: SavedOpenError[] = [];
  if (Array.isArray(saved.open))
    for (const o of saved.open) {
      const restored = restoredOpenError(o);
      if (restored !== null) open.push(restored);
    }
  const requests: AuditRequest[] = [];
  if (Array.isArray(saved.requests))
    for (const r of saved.requests) {
      const request = restoredRequest(r);
      if (request !== null && request.msgId !== null) requests.push(request);
    }
  const families = Array.isArray(saved.families) ? saved.families.filter((f): f is string => typeof f === 'string') : [];
  const dropped = isObject(saved.dropped) ? saved.dropped : {};
  return {
    v: SAVED_AUDIT_VERSION,
    clock: time(saved.clock),
    open,
    requests,
    families,
    dropped: { errors: count(dropped.errors), requests: count(dropped.requests), families: count(dropped.families) },
  };
}
