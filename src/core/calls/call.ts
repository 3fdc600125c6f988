// One API call the inspector read, as the call log keeps it and the export writes it. A call is
// an API method the client invoked (wrappers such as invokeWithLayer named by the method inside
// them, containers split into their calls); MTProto service messages are not calls.

import type { Channel, ErrorClass } from '../record.ts';
export type { ErrorBefore } from './error-before.ts';

/**
 * `ok`: answered with a result; `error`: answered with an error (its record is `recordId`);
 * `pending`: no answer seen yet; `unanswered`: none came within ANSWER_TIMEOUT_MS, or its
 * connection closed first.
 */
export type CallOutcome = 'ok' | 'error' | 'pending' | 'unanswered';

export const CALL_OUTCOMES: readonly CallOutcome[] = ['ok', 'error', 'pending', 'unanswered'];

/** A call without an answer for this long is `unanswered`. */
export const ANSWER_TIMEOUT_MS = 60_000;

export interface CallRecord {
  /** Unique within the tab's call log; increases in the order calls were seen. */
  id: number;
  /** Epoch ms: when the request was seen. */
  at: number;
  /** Innermost method ('messages.getHistory'); null when the inspector cannot name it. */
  method: string | null;
  dc: number | null;
  channel: Channel;
  outcome: CallOutcome;
  /** From the request to its answer; null while pending or unanswered, and when either time is unknown. */
  durationMs: number | null;
  /** The error record of an `error` outcome; null otherwise. */
  recordId: number | null;
  /** The error's class (for the per-method table), with `recordId`. */
  errorClass?: ErrorClass;
  /** The error's wait in seconds, for a flood wait. */
  waitSeconds?: number;
  /** MTProto msg_id (decimal), when the call was read on the wire: its answer names it. */
  msgId?: string;
  /**
   * The key the hook paired a JSON request or worker call with its answer by (its connection
   * and the request's id), for calls read from the hook's call notes.
   */
  key?: string;
  /** The connection it was sent on (a socket's id), when known: its close ends its pending calls. */
  conn?: string;
  /**
   * True when the request itself was not seen and the call is known from its error alone (a
   * JSON request sent before the hook watched requests): `at` is then the error's time.
   */
  fromError?: true;
}

/** A call as the decoder hands it to the log, before the log numbers it. */
export type NewCall = Pick<CallRecord, 'at' | 'method' | 'dc' | 'channel'> & Partial<Pick<CallRecord, 'msgId' | 'conn' | 'key'>>;

/** A call as the export file writes it. */
export interface ExportedCall {
  id: number;
  /** ISO 8601. */
  at: string;
  method: string | null;
  dc: number | null;
  channel: Channel;
  outcome: CallOutcome;
  durationMs: number | null;
  recordId: number | null;
}
