// An ErrorRecord as the audit's error sighting. What a record does not hold (its family, the
// key, the request's fingerprint and msg_id) the background adds from where it found the error.

import type { ErrorRecord } from '../record.ts';
import type { ErrorSighting, FamilyKey } from './types.ts';

export interface ErrorWhere {
  family: FamilyKey;
  authKeyId?: string | null;
  fingerprint?: string | null;
  /** req_msg_id of the rpc_result, or bad_msg_id of a bad_server_salt / bad_msg_notification. */
  msgId?: string | null;
}

function epochMs(iso: string | undefined): number | null {
  if (typeof iso !== 'string') return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
}

export function errorSightingFromRecord(record: ErrorRecord, where: ErrorWhere): ErrorSighting {
  const action = record.action;
  return {
    kind: 'error',
    id: record.id,
    at: epochMs(record.capturedAt) ?? NaN,
    code: record.code,
    class: record.class,
    type: record.type,
    params: record.params,
    method: record.method,
    dc: record.dc,
    family: where.family,
    authKeyId: where.authKeyId ?? null,
    fingerprint: where.fingerprint ?? null,
    msgId: where.msgId ?? null,
    redirectDc: action?.kind === 'redirect' && typeof action.dc === 'number' ? action.dc : null,
    retryAt: action?.kind === 'wait' ? epochMs(action.retryAt) : null,
  };
}
