// An API error a dialect finder recognised in JSON or a worker message, before classification.
// Its own module because both finders (dialects.ts and worker-dialects.ts) produce it.

import type { Dialect } from '../record.ts';

export type FoundDialect = Extract<Dialect, 'tl-json' | 'tdlib' | 'bot-api' | 'gramjs' | 'webk' | 'weba' | 'mtcute'>;

export interface FoundError {
  dialect: FoundDialect;
  /** Null when the structure carries no code (Web A sends `{message}` alone): the catalog infers it. */
  code: number | null;
  /** error_message / message / description exactly as received. */
  message: string;
  /** Bot API `parameters.retry_after`. */
  retryAfter?: number;
  /** Bot API `parameters.migrate_to_chat_id` (a group upgraded to a supergroup). */
  migrateToChatId?: number;
  /** `req_msg_id` of the enclosing rpc_result (as text: it is a 64-bit id). */
  reqMsgId?: string;
  /** A `method` string on the matched object or an enclosing one. */
  method?: string;
  /** Web K `taskId` / Web A `messageId` / mtcute `id` of the failed call, for pairing with its request. */
  callId?: string;
  /**
   * The Telegram error name when `message` is a client's sentence around it (GramJS:
   * 'A wait of 30 seconds is required (caused by ...)' is FLOOD_WAIT_30).
   */
  name?: string;
  /** `code` is the code of the client's error class (GramJS FLOOD is 420), not one the traffic carried. */
  codeFromClass?: boolean;
  /** The Telegram method the error itself names (GramJS `caused by`, mtcute's stack, Web K invokeApiArgs). */
  errorMethod?: string;
  /** What the client's text lost (the seconds of a class name, which MSG_WAIT_* it was). */
  note?: string;
  /** Short JSON excerpt (<= EXCERPT_MAX_CHARS) of the matched object. */
  excerpt: string;
}
