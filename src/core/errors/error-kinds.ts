// What classification says of an error, apart from the record that carries it: its class by
// code, what the client must do, and the numbers inside its type. The handling audit and the
// record both use these, so they live below both.

/** Classes by code, as Telegram's error-handling page names them. */
export type ErrorClass =
  | 'ERROR_SEE_OTHER'
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'NOT_ACCEPTABLE'
  | 'FLOOD'
  | 'INTERNAL'
  /** MTProto service-level failures (bad_msg_notification, bad_server_salt). */
  | 'PROTOCOL'
  /** Transport-level errors (-404, -429, -444 as a lone int32 payload). */
  | 'TRANSPORT';

export type ActionKind =
  | 'redirect'
  | 'wait'
  | 'fix-input'
  | 'reauthorize'
  | 'forbidden'
  | 'not-found'
  | 'silent'
  | 'report'
  /** MTProto: correct the time offset / seqno (or start a new session) and resend the message. */
  | 'resync'
  /** MTProto: take the salt the server sent and resend the message. */
  | 'resend';

export interface ErrorAction {
  kind: ActionKind;
  /** For `redirect`: the DC to repeat the query on. */
  dc?: number;
  /** For `wait`: ISO 8601 time after which the call may be retried. */
  retryAt?: string;
}

/** What the number inside a type stands for. */
export type ParamName = 'seconds' | 'dc' | 'part' | 'minutes' | 'until' | 'index' | 'length' | 'stars';

export type ErrorParams = Partial<Record<ParamName, number>>;
