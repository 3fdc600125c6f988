// What to do about an error, in plain words, by the action Telegram's rules give it.

import type { ErrorRecord } from '../../core/record.ts';
import { formatDuration, formatUntil } from './format.ts';

const ACTION_ADVICE: Record<ErrorRecord['action']['kind'], string> = {
  redirect: 'Repeat the query on the data center named in the error.',
  wait: 'Do not repeat the call before the wait is over.',
  'fix-input': 'The request data is wrong: the user must correct it before the query is repeated.',
  reauthorize: 'The authorization is no longer valid: log in again (a new auth key is needed).',
  forbidden: 'A privacy or permission rule forbids this call for this user.',
  'not-found': 'The object or method does not exist.',
  silent: 'Show nothing to the user; wait for the service notification (updateServiceNotification).',
  report: 'Server-side failure: collect the query and the error and report it to Telegram.',
  resync: 'MTProto refused the message: correct the time offset or the seqno (a new session if needed) and send the message again.',
  resend: 'MTProto refused the message: take the salt the server sent (or a new container) and send the message again.',
};

export function adviceFor(record: ErrorRecord, now = Date.now()): string {
  const { action } = record;
  if (action.kind === 'redirect' && action.dc !== undefined) {
    return `Repeat the same query on DC ${action.dc}, and send later queries of this kind there too.`;
  }
  if (action.kind === 'wait' && action.retryAt !== undefined) {
    const seconds = (Date.parse(action.retryAt) - Date.parse(record.capturedAt)) / 1000;
    const who = record.method ? `${record.method}` : 'this call';
    return `Do not call ${who} again for ${formatDuration(seconds)} after the error (${formatUntil(Date.parse(action.retryAt), now)}).`;
  }
  if (record.treatedAs500) return `Code ${record.code} is not one Telegram documents: handle it as 500. ${ACTION_ADVICE.report}`;
  return ACTION_ADVICE[action.kind];
}
