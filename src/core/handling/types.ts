// The handling audit's inputs (what the background saw on the wire or at the worker boundary)
// and its output (one verdict per error). Plain data only: verdicts are stored on records,
// exported and imported like every other record field.

import type { ErrorClass, ErrorParams } from '../errors/error-kinds.ts';

/**
 * The connections of one client whose requests can answer for each other's errors: all of a
 * tab's connections (every DC, every channel) form one family. Any string; the background picks it.
 */
export type FamilyKey = string;

/** An error as the audit needs it. `errorSightingFromRecord` builds one from an ErrorRecord. */
export interface ErrorSighting {
  kind: 'error';
  /** The ErrorRecord id; a later sighting with the same id replaces the earlier one. */
  id: number;
  /** Epoch ms the error was captured. */
  at: number;
  code: number;
  class: ErrorClass;
  type: string | null;
  params: ErrorParams;
  /** The failing method, when known. */
  method: string | null;
  /** The DC that answered, when known. */
  dc: number | null;
  family: FamilyKey;
  /** 16 hex digits of the auth key the failing request used, when known. */
  authKeyId?: string | null;
  /** The failing request's params fingerprint (see RequestSighting.fingerprint), when known. */
  fingerprint?: string | null;
  /**
   * msg_id of the request this error answers: rpc_result's req_msg_id, or bad_msg_id of a
   * bad_server_salt / bad_msg_notification. With it the audit finds the request among those it
   * saw earlier and takes method, DC, key and fingerprint from it when the error lacks them.
   */
  msgId?: string | null;
  /** 303 *_MIGRATE_X: X (ErrorRecord.action.dc). Read from `type` when absent. */
  redirectDc?: number | null;
  /** 420 waits: epoch ms after which the call may be made again (ErrorRecord.action.retryAt). Read from `params` when absent. */
  retryAt?: number | null;
}

/** A request the client sent, as seen on the wire or at a worker boundary. */
export interface RequestSighting {
  kind: 'request';
  /** A reference for the panel: msg_id, worker task id, or a capture counter. */
  requestId: string;
  /** Epoch ms it was sent. */
  at: number;
  /** The innermost method ('messages.sendMessage'; wrappers such as invokeWithLayer removed), when known. */
  method: string | null;
  dc: number | null;
  family: FamilyKey;
  /**
   * A string equal for two requests exactly when their params are equal (for example a
   * canonical JSON of the params, or a hash of the TL body without msg_id); null when the body
   * is not readable.
   */
  fingerprint: string | null;
  authKeyId: string | null;
  /** True for auth.* calls; derived from `method` when absent. */
  isAuthCall?: boolean;
  /** MTProto msg_id, when known; pairs the request with errors that name it. */
  msgId: string | null;
}

export type AuditEvent = ErrorSighting | RequestSighting;

export type VerdictKind = 'ok' | 'violation' | 'pending' | 'not-observable';

export type HandlingRuleId =
  'redirect' | 'flood-wait' | 'bad-request' | 'unauthorized' | 'forbidden' | 'not-found' | 'server-error' | 'resend' | 'not-acceptable' | 'transport';

/** What the audit found, for filtering; `detail` says it in words. */
export type HandlingFinding =
  // 303
  | 'repeated-on-named-dc'
  | 'repeated-on-wrong-dc'
  | 'repeated-dc-unknown'
  | 'given-up'
  | 'no-target-dc'
  // 420
  | 'early-retry'
  | 'retried-after-wait'
  | 'wait-respected'
  | 'no-wait-time'
  // 400 / 403 / 404
  | 'identical-repeat'
  | 'changed-input'
  | 'not-repeated'
  | 'input-unknown'
  // 401
  | 'calls-before-reauth'
  | 'reauthorized'
  | 'key-changed'
  | 'no-further-calls'
  // 500 and unknown codes
  | 'tight-loop'
  | 'retried-with-backoff'
  | 'retried-steady'
  | 'not-retried'
  // bad_server_salt / bad_msg_notification
  | 'resent'
  | 'resent-same-msg-id'
  | 'not-resent'
  // any rule
  | 'watching'
  | 'method-unknown'
  | 'no-requests-visible'
  | 'nothing-to-check'
  | 'dropped';

/** A request a verdict rests on. */
export interface RequestRef {
  requestId: string;
  /** ISO 8601. */
  at: string;
  method: string | null;
  dc: number | null;
}

/** Whether the client handled one error the way Telegram prescribes, judged from the requests that followed it. */
export interface HandlingVerdict {
  verdict: VerdictKind;
  rule: { id: HandlingRuleId; text: string };
  finding: HandlingFinding;
  /** In words, e.g. "repeated on DC 2 after 0.4 s; the error named DC 4". */
  detail: string;
  /** The requests the verdict rests on, oldest first (at most MAX_RELATED_REQUESTS). */
  evidence: RequestRef[];
  /** False while later traffic or time can still change the verdict or its detail. */
  final: boolean;
  /** ISO 8601: when the verdict became certain (the deciding request, or the end of the window); null while it is not. */
  decidedAt: string | null;
  /** ISO 8601: while not final, when the window closes and the verdict is made without further traffic. */
  pendingUntil: string | null;
  /**
   * Counted calls (401), retries (500), early calls (420), unchanged repeats (400, 403, 404) or
   * repeats (303), where the rule counts. While `final` is false a violation's count may grow.
   */
  count?: number;
  /**
   * Present when this error and at least one more are one call and its retries (same method,
   * same request fingerprint, same rule, each within the window of the chain): every error of
   * the chain carries the same verdict and the same chain. Named apart from ErrorRecord.chainId,
   * which is the DC redirect chain.
   */
  retryChain?: RetryChain;
}

/** How a retry chain's attempts were spaced, by the server-error rule's thresholds. */
export type RetryPattern = 'tight-loop' | 'backoff' | 'steady';

/** One call and its retries whose errors are judged as one story. */
export interface RetryChain {
  /** The id of the chain's first error (an ErrorRecord id). */
  id: number;
  pattern: RetryPattern;
  /** The first attempt (the call that failed first), then each retry, oldest first. */
  attempts: RetryAttempt[];
}

export interface RetryAttempt {
  /** ISO 8601: when the retry was sent (for the first attempt, and retries whose request was not seen: when its error came). */
  at: string;
  /** Ms since the attempt before; null for the first. */
  gapMs: number | null;
  /** The retry request (see RequestRef.requestId); null for the first attempt and when not seen. */
  requestId: string | null;
  /** The error that answered it (an ErrorRecord id); null when no error came back (yet). */
  errorId: number | null;
  code: number | null;
  type: string | null;
}

/** A verdict that changed, as the engine reports it. */
export interface VerdictUpdate {
  errorId: number;
  verdict: HandlingVerdict;
}
