// Retry chains: the errors of one call and its retries, judged as one story. A client that
// retries a failing call in a tight loop gets an error per attempt; judged one by one, the first
// would be a violation and the later ones "ok" (fewer retries follow them). Joined into a chain,
// every error carries the chain's verdict.
//
// An error joins the chain of an earlier one when both are of the same family, fall under the
// same rule, name the same method and carry the same request fingerprint (both known), and the
// chain's verdict could still change when the error came (its window, extended by each error that
// joined, was open). The engine and auditTimeline both apply this; the attempts are built here.

import { isoFromEpochMs } from '../iso-time.ts';
import type { AuditError, AuditRequest } from './normalize.ts';
import { sameInput } from './same-input.ts';
import { BACKOFF_GROWTH, MAX_RELATED_REQUESTS, TIGHT_LOOP_GAP_MS, TIGHT_LOOP_RETRIES } from './thresholds.ts';
import type { HandlingRuleId, RetryAttempt, RetryChain, RetryPattern } from './types.ts';

/**
 * Rules whose errors can form a chain: those judged by "the same call again". Not the resend
 * rule (a refused message is answered by resending it; each refusal is its own), nor 406 and
 * transport errors (no request follows from them).
 */
const CHAINED_RULES: ReadonlySet<HandlingRuleId> = new Set(['redirect', 'flood-wait', 'bad-request', 'forbidden', 'not-found', 'unauthorized', 'server-error']);

/** Errors per chain: one per related request the verdict can rest on, and the first. Beyond it a new chain starts. */
export const MAX_CHAIN_ERRORS = MAX_RELATED_REQUESTS + 1;

/** The key errors of one call share (null: the error cannot be in a chain). */
export function retryChainKey(e: AuditError, rule: HandlingRuleId): string | null {
  if (!CHAINED_RULES.has(rule) || e.method === null || e.fingerprint === null) return null;
  return JSON.stringify([e.family, rule, e.method, e.fingerprint]);
}

/**
 * The spacing of attempts (ms between each and the one before), by the server-error rule's
 * thresholds: TIGHT_LOOP_RETRIES gaps in a row under TIGHT_LOOP_GAP_MS are a tight loop; a first
 * gap of at least TIGHT_LOOP_GAP_MS with each later one BACKOFF_GROWTH times the one before is
 * backoff (two gaps at least); anything else is steady.
 */
export function retryPattern(gaps: readonly number[]): RetryPattern {
  let quick = 0;
  for (const g of gaps) {
    quick = g < TIGHT_LOOP_GAP_MS ? quick + 1 : 0;
    if (quick >= TIGHT_LOOP_RETRIES) return 'tight-loop';
  }
  const growing = gaps.length > 1 && gaps[0] >= TIGHT_LOOP_GAP_MS && gaps.every((g, i) => i === 0 || g >= gaps[i - 1] * BACKOFF_GROWTH);
  return growing ? 'backoff' : 'steady';
}

function iso(ms: number): string {
  return isoFromEpochMs(ms) ?? '1970-01-01T00:00:00.000Z';
}

interface Attempt {
  at: number;
  requestId: string | null;
  msgId: string | null;
  error: AuditError | null;
}

/**
 * The chain of `members` (its errors, the first one first, in order), with the retries among
 * `related` (the requests the verdict rests on: those of the same method and not differing
 * input). Each later error answers the oldest retry not yet answered (the one its msg_id names,
 * when known); an error with no such retry seen is an attempt of its own. Null for one error.
 */
export function buildRetryChain(members: readonly AuditError[], related: readonly AuditRequest[]): RetryChain | null {
  if (members.length < 2) return null;
  const root = members[0];
  const retries = related.filter((r) => r.method === root.method && sameInput(root, r) !== false);
  const attempts: Attempt[] = [{ at: root.at, requestId: null, msgId: null, error: root }];
  // Requests and errors in time order; a request before an error of the same time (it came first).
  let i = 0;
  for (const m of members.slice(1)) {
    while (i < retries.length && retries[i].at <= m.at) {
      attempts.push({ at: retries[i].at, requestId: retries[i].requestId, msgId: retries[i].msgId, error: null });
      i++;
    }
    const byMsgId = m.msgId === null ? -1 : attempts.findIndex((a, k) => k > 0 && a.error === null && a.msgId === m.msgId);
    const open = byMsgId >= 0 ? byMsgId : attempts.findIndex((a, k) => k > 0 && a.error === null);
    if (open >= 0) attempts[open].error = m;
    else attempts.push({ at: m.at, requestId: null, msgId: null, error: m });
  }
  for (; i < retries.length; i++) attempts.push({ at: retries[i].at, requestId: retries[i].requestId, msgId: retries[i].msgId, error: null });
  const out: RetryAttempt[] = attempts.map((a, k) => ({
    at: iso(a.at),
    gapMs: k === 0 ? null : a.at - attempts[k - 1].at,
    requestId: a.requestId,
    errorId: a.error?.id ?? null,
    code: a.error?.code ?? null,
    type: a.error?.type ?? null,
  }));
  return { id: root.id, pattern: retryPattern(out.slice(1).map((a) => a.gapMs ?? 0)), attempts: out };
}
