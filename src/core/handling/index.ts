/**
 * Handling audit: for each error, whether the client handled it the way Telegram prescribes
 * (https://core.telegram.org/api/errors), judged from the requests the same client sent after
 * it. "The same client" is a family: all connections of one tab. Verdicts are `ok`, `violation`,
 * `pending` (the window is still open) or `not-observable` (the traffic cannot tell), each with a
 * rule, a finding, a sentence saying what the client did, and the requests it rests on.
 *
 * Rules (thresholds in thresholds.ts):
 * A verdict is said as soon as it is certain: a violation at the request that decides it, with
 * `decidedAt`, and `final` false while its window is open (the count may still grow, more
 * retries may join its chain); final when the window closes. An ok that nothing later can
 * change (the redirect followed, the wait waited out, a re-authorization) is final at once.
 *
 * - **303 `*_MIGRATE_X`** (`redirect`): the same method (same input when both fingerprints are
 *   known) repeated on DC X → ok; on the same or another DC → violation (repeats counted); on an unknown DC →
 *   not-observable. Not repeated → pending, then a violation with finding `given-up` after
 *   REDIRECT_GIVE_UP_MS (60 s).
 * - **420 with a wait** (`flood-wait`: FLOOD_WAIT_X, SLOWMODE_WAIT_X, FLOOD_PREMIUM_WAIT_X, Bot
 *   API 429 retry_after): the same method (same input when known) called again more than
 *   FLOOD_EARLY_TOLERANCE_MS (0.5 s) before retryAt → violation, saying by how much (early calls
 *   counted until the wait ends); at or after
 *   retryAt → ok; not yet → pending until retryAt, then ok (`wait-respected`). No wait time in
 *   the error → not-observable.
 * - **400** (`bad-request`), **403** (`forbidden`), **404** (`not-found`): the same method with
 *   the same fingerprint again → violation at once (unchanged repeats counted); with changed input, or
 *   not again → ok when REPEAT_WATCH_MS (10 s) have passed (pending until then). Without the
 *   failing request's fingerprint → not-observable (`input-unknown`) at once: no weaker guess.
 * - **401** (`unauthorized`): each further call on the same DC/key, other than auth.*, calls that
 *   need no authorization (UNAUTHORIZED_ALLOWED_METHODS, langpack.*, MTProto service calls) and
 *   calls within IN_FLIGHT_GRACE_MS (0.25 s) of the error, is counted; an auth.* call or a new
 *   key (another auth key id, or a key exchange) ends the count. Any counted call → violation
 *   with the count (`count`); none → ok. Watched for UNAUTHORIZED_WATCH_MS (30 s).
 * - **500 and undocumented codes** (`server-error`): retries of the same call are counted with
 *   their spacing for SERVER_ERROR_WATCH_MS (10 s). TIGHT_LOOP_RETRIES (3) retries in a row, each
 *   under TIGHT_LOOP_GAP_MS (0.5 s) after the attempt before it → violation (`tight-loop`) at
 *   once (retries counted until the window closes); otherwise ok when the window closes (`retried-with-backoff` when the first gap is at least
 *   TIGHT_LOOP_GAP_MS and each gap grew by BACKOFF_GROWTH ×1.25, `retried-steady`, `not-retried`).
 * - **bad_server_salt / bad_msg_notification** (`resend`): the refused message seen again (same
 *   msg_id, or the same method and input) within RESEND_WINDOW_MS (10 s) → ok; with the same
 *   msg_id after a msg_id error (codes 16–20) → violation; not resent → violation (`not-resent`).
 * - **406** (`not-acceptable`) and **transport errors** (`transport`) → not-observable: no
 *   request follows from them.
 * - **Any rule**: when no request of the family has been seen at all (before the error or in its
 *   window), a verdict that would rest on the absence of requests is not-observable
 *   (`no-requests-visible`) instead; an unknown failing method → not-observable (`method-unknown`).
 *   An error carrying a page hook fingerprint ('p<tag>:…') counts as seen: the hook sights the
 *   requests after each error it reports. Fingerprints are compared only within one scheme (the
 *   decoder's, or one page's salt tag); across schemes the input counts as unknown.
 *
 * **Retry chains** (retry-chain.ts): an error of the same family, rule, method and request
 * fingerprint as an error whose verdict is not final yet is a retry of the same call refused
 * again: it joins that error's chain instead of being judged alone. The chain is judged from its
 * first error, its window extended to the latest deadline of its errors, and every error of it
 * gets that verdict with `retryChain` (the first error's id, the attempts with their gaps and
 * the error each got, and the spacing: tight loop, backoff or steady, by the 500 thresholds).
 * Not for bad_server_salt / bad_msg_notification, 406 or transport errors.
 *
 * Requests after an error's window, and beyond MAX_RELATED_REQUESTS (32) per error, do not
 * count. An error that carries a msg_id is paired with the request of that msg_id seen earlier,
 * which supplies its method, DC, key and fingerprint when the error lacks them; a request with
 * that same msg_id after the error is the failing message itself (reported late, or resent by
 * the transport), not a new call, and only the resend rule counts it.
 *
 * Time is always passed in: `HandlingAudit.add(event)` uses the event's time,
 * `HandlingAudit.evaluate(now)` closes windows that have passed (pending → decided), and
 * `auditTimeline(events, now)` judges a whole timeline. Events older than the latest seen are
 * taken as happening at the latest time. The engine keeps at most MAX_OPEN_ERRORS (500) open
 * chains, MAX_REMEMBERED_REQUESTS (4096) requests for msg_id pairing and MAX_FAMILIES (256)
 * families, dropping the oldest and counting them (`stats`); a dropped error gets a final
 * not-observable verdict (`dropped`).
 *
 * `HandlingAudit.save()` gives the engine's state as plain data and `HandlingAudit.restore()`
 * continues from it (saved-audit.ts): the background keeps it across a stopped service worker.
 */

export { HandlingAudit, type HandlingAuditLimits, type HandlingAuditStats } from './audit.ts';
export { auditTimeline } from './timeline.ts';
export { SAVED_AUDIT_VERSION, type SaveLimits, type SavedHandlingAudit } from './saved-audit.ts';
export { errorSightingFromRecord, type ErrorWhere } from './from-record.ts';
export { RULE_TEXT, formatDuration } from './rules.ts';
export * from './thresholds.ts';
export type {
  AuditEvent,
  ErrorSighting,
  FamilyKey,
  HandlingFinding,
  HandlingRuleId,
  HandlingVerdict,
  RequestRef,
  RequestSighting,
  RetryAttempt,
  RetryChain,
  RetryPattern,
  VerdictKind,
  VerdictUpdate,
} from './types.ts';
