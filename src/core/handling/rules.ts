// The rules: which rule an error falls under, which later requests bear on it, and the verdict
// from those requests. `judge` is a pure function of the error, the related requests that
// followed it (in order) and the time; the engine and `auditTimeline` both call it.
//
// A verdict depends only on requests up to the one that decides it, and on time only through
// "has the window closed" (now > deadline), so feeding requests one at a time and judging after
// each gives the same verdict as judging the whole list at the end.

import { isoFromEpochMs } from '../iso-time.ts';
import type { AuditError, AuditRequest } from './normalize.ts';
import { buildRetryChain } from './retry-chain.ts';
import { fingerprintScheme, inputDiffers, sameInput } from './same-input.ts';
import {
  BACKOFF_GROWTH,
  BAD_SERVER_SALT_CODE,
  FLOOD_EARLY_TOLERANCE_MS,
  IN_FLIGHT_GRACE_MS,
  KEY_EXCHANGE_METHODS,
  MAX_RELATED_REQUESTS,
  MSG_ID_ERROR_CODES,
  REDIRECT_GIVE_UP_MS,
  REPEAT_WATCH_MS,
  RESEND_WINDOW_MS,
  SERVER_ERROR_WATCH_MS,
  TIGHT_LOOP_GAP_MS,
  TIGHT_LOOP_RETRIES,
  UNAUTHORIZED_ALLOWED_METHODS,
  UNAUTHORIZED_ALLOWED_PREFIXES,
  UNAUTHORIZED_WATCH_MS,
} from './thresholds.ts';
import type { HandlingFinding, HandlingRuleId, HandlingVerdict, RequestRef, VerdictKind } from './types.ts';

/** One sentence per rule: what Telegram prescribes. */
export const RULE_TEXT: Readonly<Record<HandlingRuleId, string>> = {
  redirect: '303 *_MIGRATE_X: repeat the same request on DC X.',
  'flood-wait': '420 *_WAIT_X: do not call the method again (with the same input) before the wait ends.',
  'bad-request': '400: correct the input before repeating; never repeat the identical request.',
  unauthorized: '401: make no further calls with the refused key until an auth.* call (or a new key) authorizes it.',
  forbidden: '403: the privacy refusal stands; repeating the identical request cannot succeed.',
  'not-found': '404: the object or method does not exist; repeating the identical request cannot succeed.',
  'server-error': '500 and undocumented codes: retry with growing spacing, never in a tight loop, and report it.',
  resend: 'bad_server_salt / bad_msg_notification: resend the refused message, corrected (new salt, time, seqno or msg_id).',
  'not-acceptable': '406: show nothing and wait for updateServiceNotification; there is no request to check.',
  transport: 'Transport errors belong to a connection, not to a request; the audit does not judge them.',
};

export function ruleFor(e: AuditError): HandlingRuleId {
  if (e.class === 'PROTOCOL') return 'resend';
  if (e.class === 'TRANSPORT') return 'transport';
  if (e.redirectDc !== null || e.class === 'ERROR_SEE_OTHER') return 'redirect';
  switch (e.class) {
    case 'NOT_ACCEPTABLE':
      return 'not-acceptable';
    case 'FLOOD':
      return 'flood-wait';
    case 'BAD_REQUEST':
      return 'bad-request';
    case 'UNAUTHORIZED':
      return 'unauthorized';
    case 'FORBIDDEN':
      return 'forbidden';
    case 'NOT_FOUND':
      return 'not-found';
    default:
      return 'server-error';
  }
}

/** Epoch ms after which the window closes and absence of requests decides; null when the verdict needs no window. */
export function deadlineOf(e: AuditError, rule: HandlingRuleId): number | null {
  switch (rule) {
    case 'redirect':
      return e.at + REDIRECT_GIVE_UP_MS;
    case 'flood-wait':
      return e.retryAt === null ? null : Math.max(e.retryAt, e.at);
    case 'bad-request':
    case 'forbidden':
    case 'not-found':
      return e.at + REPEAT_WATCH_MS;
    case 'unauthorized':
      return e.at + UNAUTHORIZED_WATCH_MS;
    case 'server-error':
      return e.at + SERVER_ERROR_WATCH_MS;
    case 'resend':
      return e.at + RESEND_WINDOW_MS;
    default:
      return null;
  }
}

/** Both known and different. */
function differ<T>(a: T | null, b: T | null): boolean {
  return a !== null && b !== null && a !== b;
}

function allowedWithoutAuth(method: string | null): boolean {
  if (method === null) return false;
  if (!method.includes('.')) return !KEY_EXCHANGE_METHODS.has(method); // MTProto service calls
  return UNAUTHORIZED_ALLOWED_METHODS.has(method) || UNAUTHORIZED_ALLOWED_PREFIXES.some((p) => method.startsWith(p));
}

/**
 * Whether a request that came after the error (in the same family) bears on its verdict.
 * Only requests of the error's family are ever passed here.
 */
export function isRelated(e: AuditError, rule: HandlingRuleId, r: AuditRequest): boolean {
  if (r.family !== e.family) return false;
  // The message the error answered, seen again: the failing request itself (reported late) or a
  // transport-level resend of it, not a new call. Only the resend rule looks for it.
  if (rule !== 'resend' && e.msgId !== null && r.msgId === e.msgId) return false;
  switch (rule) {
    case 'redirect':
    case 'flood-wait':
    case 'server-error':
      // The same call again: same method, and the same input when both are known.
      return e.method !== null && r.method === e.method && !inputDiffers(e, r);
    case 'bad-request':
    case 'forbidden':
    case 'not-found':
      return e.method !== null && r.method === e.method;
    case 'unauthorized':
      // Any call on the same key: the same DC when both are known (each DC has its own key).
      return !differ(e.dc, r.dc) && !allowedWithoutAuth(r.method);
    case 'resend':
      if (e.msgId !== null && r.msgId === e.msgId) return true;
      return e.method !== null && r.method === e.method && !inputDiffers(e, r);
    default:
      return false;
  }
}

// ---- formatting ----

/** "0.4 s", "13.8 s", "17 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(ms: number): string {
  const abs = Math.max(0, ms);
  const tenths = Math.round(abs / 100);
  if (tenths < 100) return `${(tenths / 10).toFixed(1)} s`;
  if (tenths < 600) return tenths % 10 === 0 ? `${tenths / 10} s` : `${(tenths / 10).toFixed(1)} s`;
  const s = Math.round(abs / 1000);
  if (s < 3600) return s % 60 === 0 ? `${Math.floor(s / 60)} min` : `${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round(s / 60);
  return m % 60 === 0 ? `${Math.floor(m / 60)} h` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A gap between retries: milliseconds under a second (tight loops are told by them), else as formatDuration. */
export function formatGap(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : formatDuration(ms);
}

function iso(ms: number): string {
  return isoFromEpochMs(ms) ?? '1970-01-01T00:00:00.000Z';
}

/** "10 s after the error": details never hold clock times (the panel shows pendingUntil in local time). */
function windowEnd(c: { e: AuditError; deadline: number }): string {
  return `${formatDuration(c.deadline - c.e.at)} after the error`;
}

export function requestRef(r: AuditRequest): RequestRef {
  return { requestId: r.requestId, at: iso(r.at), method: r.method, dc: r.dc };
}

// ---- judging ----

export interface JudgeInput {
  error: AuditError;
  rule: HandlingRuleId;
  /** Whether any request of the error's family was seen before it. */
  familySeenBefore: boolean;
  /** Epoch ms of the first request of the family (any method) after the error, or null. */
  firstFamilyRequestAt: number | null;
  /** The related requests after the error, in order (more than needed is fine). */
  related: readonly AuditRequest[];
  /**
   * The errors of the error's retry chain, `error` first, in order (see retry-chain.ts); absent
   * or `[error]` when it is alone. Each extends the window to its own deadline.
   */
  members?: readonly AuditError[];
  now: number;
}

/** When the window of a chain closes: the latest deadline of its errors. */
export function chainDeadlineOf(members: readonly AuditError[], rule: HandlingRuleId): number | null {
  let deadline: number | null = null;
  for (const m of members) {
    const d = deadlineOf(m, rule);
    if (d !== null && (deadline === null || d > deadline)) deadline = d;
  }
  return deadline;
}

interface Verdict {
  kind: VerdictKind;
  finding: HandlingFinding;
  detail: string;
  evidence?: readonly AuditRequest[];
  final: boolean;
  decidedAt: number | null;
  pendingUntil?: number | null;
  count?: number;
}

function make(rule: HandlingRuleId, v: Verdict): HandlingVerdict {
  const out: HandlingVerdict = {
    verdict: v.kind,
    rule: { id: rule, text: RULE_TEXT[rule] },
    finding: v.finding,
    detail: v.detail,
    evidence: (v.evidence ?? []).map(requestRef),
    final: v.final,
    decidedAt: v.decidedAt === null ? null : iso(v.decidedAt),
    pendingUntil: v.final || v.pendingUntil == null ? null : iso(v.pendingUntil),
  };
  if (v.count !== undefined) out.count = v.count;
  return out;
}

/** The final verdict of an error the engine stopped watching because too many were open. */
export function droppedVerdict(rule: HandlingRuleId, at: number, limit: number): HandlingVerdict {
  return make(rule, {
    kind: 'not-observable',
    finding: 'dropped',
    detail: `the audit stopped watching this error: more than ${limit} errors were open at once`,
    final: true,
    decidedAt: at,
  });
}

/** The verdict for one error. Never throws for normalized input. */
export function judge(input: JudgeInput): HandlingVerdict {
  const { error: e, rule } = input;
  const members = input.members !== undefined && input.members.length > 0 ? input.members : [e];
  const deadline = chainDeadlineOf(members, rule);
  // Requests after the window do not count; nor do more than MAX_RELATED_REQUESTS.
  const related: AuditRequest[] = [];
  for (const r of input.related) {
    if (deadline !== null && r.at > deadline) break;
    related.push(r);
    if (related.length === MAX_RELATED_REQUESTS) break;
  }
  const full = related.length === MAX_RELATED_REQUESTS;
  const ctx: Ctx = {
    e,
    members,
    deadline: deadline ?? e.at,
    related,
    // Full: decide as if the window closed at the last request kept.
    closed: full || (deadline !== null && input.now > deadline),
    closedAt: full ? related[related.length - 1].at : (deadline ?? e.at),
    // An error the page hook paired with its request (a page fingerprint) shows that channel's
    // requests are visible: the hook sights the requests after each error it reports. (The
    // decoder's wire requests are fed to the audit themselves, so familySeenBefore covers them.)
    observed:
      input.familySeenBefore ||
      (e.fingerprint !== null && fingerprintScheme(e.fingerprint) !== '') ||
      related.length > 0 ||
      (input.firstFamilyRequestAt !== null && (deadline === null || input.firstFamilyRequestAt <= deadline)),
  };
  const out = make(rule, JUDGES[rule](ctx));
  const chain = buildRetryChain(members, related);
  if (chain !== null) out.retryChain = chain;
  return out;
}

interface Ctx {
  e: AuditError;
  /** The retry chain's errors, `e` first. */
  members: readonly AuditError[];
  /** When the window closes (the chain's latest deadline). */
  deadline: number;
  related: AuditRequest[];
  closed: boolean;
  closedAt: number;
  /** Whether the family's requests are visible at all. */
  observed: boolean;
}

const methodUnknown = (e: AuditError): Verdict => ({
  kind: 'not-observable',
  finding: 'method-unknown',
  detail: 'the failing method is not known, so its repeat cannot be recognised',
  final: true,
  decidedAt: e.at,
});

/** For an absence that would decide: not-observable when the family's requests cannot be seen. */
function whenNothingCame(c: Ctx, decided: () => Verdict, waiting: () => Verdict): Verdict {
  if (!c.observed) return notVisible(c);
  return c.closed ? decided() : waiting();
}

/** Not-observable until a request of the family shows up (final once the window closes without one). */
function notVisible(c: Ctx): Verdict {
  return {
    kind: 'not-observable',
    finding: 'no-requests-visible',
    detail: "no request of this tab's connections could be seen (encrypted, or sent where the inspector does not look), so what the client did next is unknown",
    final: c.closed,
    decidedAt: c.closed ? c.closedAt : null,
    pendingUntil: c.deadline,
  };
}

const JUDGES: Record<HandlingRuleId, (c: Ctx) => Verdict> = {
  redirect(c) {
    const { e } = c;
    if (e.method === null) return methodUnknown(e);
    const to = e.redirectDc;
    if (to === null) {
      return { kind: 'not-observable', finding: 'no-target-dc', detail: 'the error names no DC to repeat the request on', final: true, decidedAt: e.at };
    }
    const first = c.related[0];
    if (first !== undefined) {
      const after = formatDuration(first.at - e.at);
      if (first.dc === to) {
        return {
          kind: 'ok',
          finding: 'repeated-on-named-dc',
          detail: `repeated on DC ${to}, as the error named, after ${after}`,
          evidence: [first],
          final: true,
          decidedAt: first.at,
        };
      }
      if (first.dc === null) {
        return {
          kind: 'not-observable',
          finding: 'repeated-dc-unknown',
          detail: `repeated after ${after}, but on a DC the inspector could not tell; the error named DC ${to}`,
          evidence: [first],
          final: true,
          decidedAt: first.at,
        };
      }
      // Certain at the first repeat; the repeats are counted until the window closes.
      const where = first.dc === e.dc ? `the same DC ${first.dc}` : `DC ${first.dc}`;
      const n = c.related.length;
      return {
        kind: 'violation',
        finding: 'repeated-on-wrong-dc',
        detail: `repeated on ${where} after ${after}; the error named DC ${to}${n > 1 ? ` (${n} repeats)` : ''}`,
        evidence: c.related,
        final: c.closed,
        decidedAt: first.at,
        pendingUntil: c.deadline,
        count: n,
      };
    }
    return whenNothingCame(
      c,
      () => ({
        kind: 'violation',
        finding: 'given-up',
        detail: `not repeated on DC ${to} within ${formatDuration(REDIRECT_GIVE_UP_MS)}: given up`,
        final: true,
        decidedAt: c.closedAt,
      }),
      () => ({
        kind: 'pending',
        finding: 'watching',
        detail: `not repeated yet; given up if not repeated on DC ${to} within ${formatDuration(REDIRECT_GIVE_UP_MS)}`,
        final: false,
        decidedAt: null,
        pendingUntil: c.deadline,
      }),
    );
  },

  'flood-wait'(c) {
    const { e } = c;
    if (e.method === null) return methodUnknown(e);
    if (e.retryAt === null) {
      return {
        kind: 'not-observable',
        finding: 'no-wait-time',
        detail: 'the error names no wait time, so an early call cannot be told',
        final: true,
        decidedAt: e.at,
      };
    }
    const retryAt = c.deadline;
    const wait = formatDuration(e.retryAt - e.at);
    const first = c.related[0];
    if (first !== undefined) {
      const early = e.retryAt - first.at;
      if (early > FLOOD_EARLY_TOLERANCE_MS) {
        // Certain at the first early call; early calls are counted until the wait ends (the
        // latest wait of the chain: an early call refused again gets a wait of its own).
        const earlyCalls = c.related.filter((r) => waitInForce(c.members, r.at) - r.at > FLOOD_EARLY_TOLERANCE_MS);
        const n = earlyCalls.length;
        return {
          kind: 'violation',
          finding: 'early-retry',
          detail: `called again ${formatDuration(early)} before the wait ended (a ${wait} wait, called after ${formatDuration(first.at - e.at)})${n > 1 ? `; ${n} early calls` : ''}`,
          evidence: earlyCalls,
          final: c.closed,
          decidedAt: first.at,
          pendingUntil: c.deadline,
          count: n,
        };
      }
      // Only calls up to retryAt are watched, so this one came as the wait ended.
      return {
        kind: 'ok',
        finding: 'retried-after-wait',
        detail: `called again as the ${wait} wait ended`,
        evidence: [first],
        final: true,
        decidedAt: first.at,
      };
    }
    return whenNothingCame(
      c,
      () => ({ kind: 'ok', finding: 'wait-respected', detail: `not called again during the ${wait} wait`, final: true, decidedAt: retryAt }),
      () => ({
        kind: 'pending',
        finding: 'watching',
        detail: `not called again so far; the ${wait} wait is not over`,
        final: false,
        decidedAt: null,
        pendingUntil: retryAt,
      }),
    );
  },

  'bad-request': noIdenticalRepeat,
  forbidden: noIdenticalRepeat,
  'not-found': noIdenticalRepeat,

  unauthorized(c) {
    const { e } = c;
    const counted: AuditRequest[] = [];
    const countedDetail = (n: number, more: boolean) =>
      `${more ? 'at least ' : ''}${n} further call${n === 1 ? '' : 's'} with the refused key, the first ${formatDuration(counted[0].at - e.at)} after the error`;
    for (const r of c.related) {
      const keyChanged = differ(e.authKeyId, r.authKeyId) || (r.method !== null && KEY_EXCHANGE_METHODS.has(r.method));
      if (r.isAuthCall || keyChanged) {
        const how = r.isAuthCall
          ? `${r.method ?? 'an auth.* call'} after ${formatDuration(r.at - e.at)}`
          : `a new auth key after ${formatDuration(r.at - e.at)}`;
        const finding: HandlingFinding = r.isAuthCall ? 'reauthorized' : 'key-changed';
        if (counted.length === 0) {
          return { kind: 'ok', finding, detail: `no other call before ${how}`, evidence: [r], final: true, decidedAt: r.at, count: 0 };
        }
        return {
          kind: 'violation',
          finding: 'calls-before-reauth',
          detail: `${countedDetail(counted.length, false)}, before ${how}`,
          evidence: [...counted, r],
          final: true,
          decidedAt: counted[0].at,
          count: counted.length,
        };
      }
      if (r.at - e.at < IN_FLIGHT_GRACE_MS) continue; // already on its way
      counted.push(r);
    }
    if (counted.length > 0) {
      const full = c.related.length === MAX_RELATED_REQUESTS;
      return {
        kind: 'violation',
        finding: 'calls-before-reauth',
        detail: `${countedDetail(counted.length, full)}, ${full ? 'before any auth.* call' : c.closed ? `and no auth.* call within ${formatDuration(UNAUTHORIZED_WATCH_MS)}` : 'and no auth.* call yet'}`,
        evidence: counted,
        final: c.closed,
        decidedAt: counted[0].at,
        pendingUntil: c.deadline,
        count: counted.length,
      };
    }
    return whenNothingCame(
      c,
      () => ({
        kind: 'ok',
        finding: 'no-further-calls',
        detail: `no further call with the refused key within ${formatDuration(UNAUTHORIZED_WATCH_MS)}`,
        final: true,
        decidedAt: c.closedAt,
        count: 0,
      }),
      () => ({
        kind: 'pending',
        finding: 'watching',
        detail: `no further call so far; watching until ${windowEnd(c)}`,
        final: false,
        decidedAt: null,
        pendingUntil: c.deadline,
        count: 0,
      }),
    );
  },

  'server-error'(c) {
    const { e } = c;
    if (e.method === null) return methodUnknown(e);
    const gaps: number[] = [];
    let prev = e.at;
    let loopAt: number | null = null;
    for (const r of c.related) {
      gaps.push(r.at - prev);
      prev = r.at;
      if (loopAt === null && gaps.length >= TIGHT_LOOP_RETRIES && gaps.slice(-TIGHT_LOOP_RETRIES).every((g) => g < TIGHT_LOOP_GAP_MS)) loopAt = r.at;
    }
    const n = c.related.length;
    if (loopAt !== null) {
      // Certain at the retry that closed the loop; the retries are counted until the window closes.
      return {
        kind: 'violation',
        finding: 'tight-loop',
        detail: `a tight loop: ${n} retries, ${spacing(gaps)} apart (${TIGHT_LOOP_RETRIES} in a row under ${formatDuration(TIGHT_LOOP_GAP_MS)})`,
        evidence: c.related,
        final: c.closed,
        decidedAt: loopAt,
        pendingUntil: c.deadline,
        count: n,
      };
    }
    if (n > 0) {
      if (!c.closed) {
        return {
          kind: 'pending',
          finding: 'watching',
          detail: `retried ${times(n)} so far, ${spacing(gaps)} apart; watching until ${windowEnd(c)}`,
          evidence: c.related,
          final: false,
          decidedAt: null,
          pendingUntil: c.deadline,
          count: n,
        };
      }
      // Backoff is waiting, and waiting longer each time: gaps of a few milliseconds that happen
      // to grow are quick retries, not backoff.
      const growing = gaps.length > 0 && gaps[0] >= TIGHT_LOOP_GAP_MS && gaps.every((g, i) => i === 0 || g >= gaps[i - 1] * BACKOFF_GROWTH);
      return {
        kind: 'ok',
        finding: growing && n > 1 ? 'retried-with-backoff' : 'retried-steady',
        detail: `retried ${times(n)} in ${formatDuration(c.deadline - e.at)}, ${spacing(gaps)} apart${n > 1 ? (growing ? ' (growing)' : ' (not growing)') : ''}`,
        evidence: c.related,
        final: true,
        decidedAt: c.closedAt,
        count: n,
      };
    }
    return whenNothingCame(
      c,
      () => ({
        kind: 'ok',
        finding: 'not-retried',
        detail: `not retried within ${formatDuration(SERVER_ERROR_WATCH_MS)}`,
        final: true,
        decidedAt: c.closedAt,
        count: 0,
      }),
      () => ({
        kind: 'pending',
        finding: 'watching',
        detail: `not retried so far; watching until ${windowEnd(c)}`,
        final: false,
        decidedAt: null,
        pendingUntil: c.deadline,
        count: 0,
      }),
    );
  },

  resend(c) {
    const { e } = c;
    if (e.msgId === null && e.method === null) {
      return { kind: 'not-observable', finding: 'method-unknown', detail: 'neither the refused message nor its method is known', final: true, decidedAt: e.at };
    }
    const salt = e.type === 'BAD_SERVER_SALT' || e.code === BAD_SERVER_SALT_CODE;
    const first = c.related[0];
    if (first !== undefined) {
      const after = formatDuration(first.at - e.at);
      const sameId = e.msgId !== null && first.msgId === e.msgId;
      if (sameId && !salt && MSG_ID_ERROR_CODES.has(e.code)) {
        return {
          kind: 'violation',
          finding: 'resent-same-msg-id',
          detail: `resent after ${after} with the same msg_id ${e.msgId}, which the server refused (error ${e.code}); it needs a new one`,
          evidence: [first],
          final: true,
          decidedAt: first.at,
        };
      }
      const how = sameId ? 'with the same msg_id' : first.msgId !== null ? `as msg_id ${first.msgId}` : 'as a new message';
      return { kind: 'ok', finding: 'resent', detail: `resent ${how} after ${after}`, evidence: [first], final: true, decidedAt: first.at };
    }
    const what = salt ? 'with the new salt' : 'corrected';
    return whenNothingCame(
      c,
      () => ({
        kind: 'violation',
        finding: 'not-resent',
        detail: `the refused message was not resent ${what} within ${formatDuration(RESEND_WINDOW_MS)}`,
        final: true,
        decidedAt: c.closedAt,
      }),
      () => ({
        kind: 'pending',
        finding: 'watching',
        detail: `not resent yet; watching until ${windowEnd(c)}`,
        final: false,
        decidedAt: null,
        pendingUntil: c.deadline,
      }),
    );
  },

  'not-acceptable'(c) {
    return {
      kind: 'not-observable',
      finding: 'nothing-to-check',
      detail: 'a 406 asks the client to show nothing; no request follows from it',
      final: true,
      decidedAt: c.e.at,
    };
  },

  transport(c) {
    return { kind: 'not-observable', finding: 'nothing-to-check', detail: 'a transport error is not tied to one request', final: true, decidedAt: c.e.at };
  },
};

function noIdenticalRepeat(c: Ctx): Verdict {
  const { e } = c;
  if (e.method === null) return methodUnknown(e);
  if (e.fingerprint === null) {
    return {
      kind: 'not-observable',
      finding: 'input-unknown',
      detail: "the failing request's input is not known, so an unchanged repeat cannot be told from a corrected one",
      final: true,
      decidedAt: e.at,
    };
  }
  const changed: AuditRequest[] = [];
  const unknown: AuditRequest[] = [];
  const identical: AuditRequest[] = [];
  for (const r of c.related) {
    const same = sameInput(e, r);
    if (same === true) identical.push(r);
    else if (identical.length === 0) (same === false ? changed : unknown).push(r);
  }
  if (identical.length > 0) {
    // Certain at the first unchanged repeat; the repeats are counted until the window closes.
    const n = identical.length;
    return {
      kind: 'violation',
      finding: 'identical-repeat',
      detail: `repeated unchanged after ${formatDuration(identical[0].at - e.at)}${n > 1 ? ` (${times(n)})` : ''}`,
      evidence: [...changed, ...identical],
      final: c.closed,
      decidedAt: identical[0].at,
      pendingUntil: c.deadline,
      count: n,
    };
  }
  const window = formatDuration(REPEAT_WATCH_MS);
  const changedText = () =>
    `called again with changed input after ${formatDuration(changed[0].at - e.at)}${changed.length > 1 ? ` (${times(changed.length)})` : ''}`;
  // Nothing related came unless the family is observed, so both lists are empty here.
  if (!c.observed) return notVisible(c);
  if (!c.closed) {
    return {
      kind: 'pending',
      finding: 'watching',
      detail: `${changed.length > 0 ? changedText() : 'not repeated so far'}; watching for an unchanged repeat until ${windowEnd(c)}`,
      evidence: changed,
      final: false,
      decidedAt: null,
      pendingUntil: c.deadline,
    };
  }
  if (changed.length > 0) {
    return {
      kind: 'ok',
      finding: 'changed-input',
      detail: `${changedText()}, no unchanged repeat within ${window}`,
      evidence: changed,
      final: true,
      decidedAt: c.closedAt,
    };
  }
  if (unknown.length > 0) {
    return {
      kind: 'not-observable',
      finding: 'input-unknown',
      detail: `called again after ${formatDuration(unknown[0].at - e.at)}, but the repeat's input could not be compared`,
      evidence: unknown,
      final: true,
      decidedAt: c.closedAt,
    };
  }
  return { kind: 'ok', finding: 'not-repeated', detail: `not repeated unchanged within ${window}`, final: true, decidedAt: c.closedAt };
}

/** Epoch ms of the wait in force at `at`: the latest retryAt among the chain's errors up to then. */
function waitInForce(members: readonly AuditError[], at: number): number {
  let until = members[0].retryAt ?? members[0].at;
  for (const m of members) if (m.at <= at && m.retryAt !== null && m.retryAt > until) until = m.retryAt;
  return until;
}

function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

function spacing(gaps: readonly number[]): string {
  const shown = gaps.slice(0, 6).map(formatGap).join(', ');
  return gaps.length > 6 ? `${shown}, ...` : shown;
}
