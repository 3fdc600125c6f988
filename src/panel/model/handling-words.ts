// The handling audit's verdicts as the panel says them: a compact mark for the timeline, and
// "what happened next" in plain words for wire records. Pure, so the words are unit-tested.

import type { ErrorRecord } from '../../core/record.ts';
import type { HandlingVerdict, RequestRef, RetryPattern, VerdictKind } from '../../core/handling/types.ts';
import { formatDuration, formatGap } from '../../core/handling/rules.ts';

export { formatGap };
import { TIGHT_LOOP_GAP_MS, TIGHT_LOOP_RETRIES } from '../../core/handling/thresholds.ts';

export interface VerdictMark {
  symbol: string;
  /** Accessible name and tooltip. */
  label: string;
  /** CSS modifier. */
  kind: VerdictKind;
}

const MARKS: Record<VerdictKind, { symbol: string; label: string }> = {
  ok: { symbol: '✓', label: 'Handled as Telegram prescribes' },
  violation: { symbol: '✕', label: 'Mishandled: a handling rule was broken' },
  pending: { symbol: '…', label: 'Handling: still watching what the client does' },
  'not-observable': { symbol: '–', label: 'Handling: not observable from the traffic' },
};

export function verdictMark(handling: HandlingVerdict | undefined): VerdictMark | null {
  if (handling === undefined) return null;
  const mark = MARKS[handling.verdict];
  return mark === undefined ? null : { ...mark, kind: handling.verdict };
}

export const VERDICT_WORDS: Record<VerdictKind, string> = {
  ok: 'Handled as prescribed',
  violation: 'Violation',
  pending: 'Watching',
  'not-observable': 'Not observable',
};

function ms(iso: string): number {
  return Date.parse(iso);
}

/** "2.0 s after the error". */
function after(record: ErrorRecord, ref: RequestRef): string {
  return formatDuration(ms(ref.at) - ms(record.capturedAt));
}

/**
 * How the evidence request ended, as far as the log shows: another error (its record), or no
 * error came back. `answerOf` finds the record of the error answering a request id (msg_id).
 */
function outcome(ref: RequestRef | undefined, answerOf: (requestId: string) => ErrorRecord | null): string {
  if (ref === undefined) return '';
  const answer = answerOf(ref.requestId);
  if (answer !== null) return `, failed again with ${answer.type ?? answer.message}`;
  return ', no error came back';
}

/**
 * What the client did after the error, in a few plain words ("retried after 2.0 s, no error came
 * back", "followed the redirect to DC 2", "gave up"); null while nothing is known yet, or when
 * the audit could not see it.
 */
export function whatHappenedNext(record: ErrorRecord, answerOf: (requestId: string) => ErrorRecord | null = () => null): string | null {
  const h = record.handling;
  if (h === undefined) return null;
  const ev = h.evidence;
  const first = ev[0];
  const last = ev[ev.length - 1];
  const n = h.count ?? ev.length;
  const times = (k: number) => (k === 1 ? 'once' : `${k} times`);
  const to = record.action.kind === 'redirect' && record.action.dc !== undefined ? record.action.dc : null;
  switch (h.finding) {
    case 'repeated-on-named-dc':
      return `followed the redirect to DC ${first?.dc ?? to ?? '?'}${first ? ` after ${after(record, first)}` : ''}${outcome(first, answerOf)}`;
    case 'repeated-on-wrong-dc':
      return `repeated on DC ${first?.dc ?? '?'} instead of DC ${to ?? '?'}${outcome(first, answerOf)}`;
    case 'given-up':
      return `gave up: not repeated on DC ${to ?? '?'}`;
    case 'early-retry':
      return `retried after ${first ? after(record, first) : '?'}, before the wait ended${outcome(first, answerOf)}`;
    case 'retried-after-wait':
      return `waited, retried after ${first ? after(record, first) : '?'}${outcome(first, answerOf)}`;
    case 'wait-respected':
      return 'waited: not called again during the wait';
    case 'identical-repeat':
      return `repeated it unchanged after ${last ? after(record, last) : '?'}${outcome(last, answerOf)}`;
    case 'changed-input':
      return `retried with changed input after ${first ? after(record, first) : '?'}${outcome(first, answerOf)}`;
    case 'not-repeated':
      return 'did not repeat it';
    case 'calls-before-reauth':
      return `made ${n} more call${n === 1 ? '' : 's'} with the refused key`;
    case 'reauthorized':
      return `re-authorized (${first?.method ?? 'auth.*'})`;
    case 'key-changed':
      return 'switched to a new auth key';
    case 'no-further-calls':
      return 'stopped calling with the refused key';
    case 'tight-loop':
      return `retried ${times(n)} in a tight loop${outcome(last, answerOf)}`;
    case 'retried-with-backoff':
      return `retried ${times(n)} with growing spacing${outcome(last, answerOf)}`;
    case 'retried-steady':
      return `retried ${times(n)}, the first after ${first ? after(record, first) : '?'}${outcome(last, answerOf)}`;
    case 'not-retried':
      return 'did not retry';
    case 'resent':
      return `resent it after ${first ? after(record, first) : '?'}${outcome(first, answerOf)}`;
    case 'resent-same-msg-id':
      return 'resent it with the refused msg_id';
    case 'not-resent':
      return 'did not resend it';
    default:
      return null;
  }
}

/** Records by the msg_id of the request they answer, to link evidence to records. */
export function recordsByRequest(records: readonly ErrorRecord[]): Map<string, ErrorRecord> {
  const map = new Map<string, ErrorRecord>();
  for (const r of records) if (r.reqMsgId !== undefined && !map.has(r.reqMsgId)) map.set(r.reqMsgId, r);
  return map;
}

/** A retry chain's spacing in words (thresholds of the server-error rule). */
export const RETRY_PATTERN_WORDS: Record<RetryPattern, string> = {
  'tight-loop': `a tight loop (${TIGHT_LOOP_RETRIES} retries in a row under ${formatDuration(TIGHT_LOOP_GAP_MS)})`,
  backoff: 'backoff (each wait longer than the one before)',
  steady: 'steady spacing (no tight loop, no growing backoff)',
};

export interface RetryAttemptRow {
  /** "First call", "Retry 1", ... */
  label: string;
  at: string;
  /** "+60 ms"; null for the first. */
  gap: string | null;
  /** The error that answered it, to link; null when none did. */
  errorId: number | null;
  /** "500 INTERNAL", or what is known when no error answered it. */
  outcome: string;
}

/**
 * The attempts of the record's retry chain as the detail pane lists them; null when the record
 * is in no chain. A retry no error answered "went through" once the verdict is final, and is
 * "not answered yet" (no error so far) while the chain is still watched.
 */
export function retryAttemptRows(record: ErrorRecord): RetryAttemptRow[] | null {
  const chain = record.handling?.retryChain;
  if (chain === undefined) return null;
  const final = record.handling!.final;
  return chain.attempts.map((a, i) => ({
    label: i === 0 ? 'First call' : `Retry ${i}`,
    at: a.at,
    gap: a.gapMs === null ? null : `+${formatGap(a.gapMs)}`,
    errorId: a.errorId,
    outcome: a.errorId !== null ? `${a.code ?? '?'} ${a.type ?? 'error'}` : final ? 'no error came back' : 'no error so far',
  }));
}
