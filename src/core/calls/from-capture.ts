// What one decoded capture tells the call log: the calls it carried (service messages left
// out), the answers that succeeded, and its error records as the log links them.

import type { HookCapture } from '../capture/capture.ts';
import type { CallNotesRead } from '../capture/call-notes.ts';
import type { RequestSeen } from '../capture/decode-capture.ts';
import type { NewRecord } from '../record.ts';
import type { CallRecord, NewCall } from './call.ts';
import type { CallLog, ErrorSeen } from './call-log.ts';
import type { Channel } from '../record.ts';
import { isApiCall } from './service-messages.ts';

/** The API calls among a capture's requests, on the capture's channel and connection. */
export function callsOfRequests(
  capture: Pick<HookCapture, 'channel' | 'conn'>,
  requests: readonly RequestSeen[] | undefined,
): (NewCall & { fingerprint?: string | null })[] {
  const out: (NewCall & { fingerprint?: string | null })[] = [];
  for (const r of requests ?? []) {
    if (!isApiCall(r.method)) continue;
    const call: NewCall & { fingerprint?: string | null } = { at: r.at, method: r.method, dc: r.dc, channel: capture.channel };
    if (r.msgId !== null) call.msgId = r.msgId;
    if (capture.conn !== undefined) call.conn = capture.conn;
    if (r.msgId === null && r.fingerprint !== null) call.fingerprint = r.fingerprint;
    out.push(call);
  }
  return out;
}

/** An error record as the call log links it (the record not stored yet). */
export function errorSeenOf(record: NewRecord): ErrorSeen {
  const at = Date.parse(record.capturedAt);
  const seen: ErrorSeen = { at: Number.isFinite(at) ? at : 0, method: record.method, channel: record.channel, dc: record.dc, class: record.class };
  if (record.params.seconds !== undefined) seen.waitSeconds = record.params.seconds;
  if (record.reqMsgId !== undefined) seen.reqMsgId = record.reqMsgId;
  if (record.request?.fingerprint) seen.fingerprint = record.request.fingerprint;
  if (record.clientCall !== undefined) seen.clientCall = record.clientCall;
  return seen;
}

/** The key a noted call is paired by: its connection and its id there. */
export const noteKey = (conn: string, key: string): string => `${conn}\u0000${key}`;

/**
 * A batch of the hook's call notes into the log: each call noted is added (pending), each
 * answer settles its call by key, each request that ended unanswered leaves its call
 * `unanswered`; drops are counted. Returns the calls added or settled.
 */
export function callsOfNotes(log: CallLog, channel: Channel, notes: CallNotesRead): CallRecord[] {
  const changed: CallRecord[] = [];
  log.countDropped(notes.dropped);
  for (const c of notes.calls) changed.push(log.add({ at: c.at, method: c.method, dc: null, channel, conn: c.conn, key: noteKey(c.conn, c.key) }));
  for (const a of notes.answers) {
    const call = log.answeredByKey(noteKey(a.conn, a.key), a.at);
    if (call) changed.push(call);
  }
  for (const u of notes.unanswered) {
    const call = log.unansweredByKey(noteKey(u.conn, u.key));
    if (call) changed.push(call);
  }
  return changed;
}
