// The one record every part of the extension agrees on: the background builds it,
// the panel shows it, the export writes it. Plain data only, so it crosses every
// boundary (ports, storage, files) unchanged.

import type { HandlingVerdict } from './handling/types.ts';
import type { ErrorBefore } from './calls/error-before.ts';

export type { ActionKind, ErrorAction, ErrorClass, ErrorParams, ParamName } from './errors/error-kinds.ts';
import type { ErrorAction, ErrorClass, ErrorParams } from './errors/error-kinds.ts';

export type Channel = 'fetch' | 'xhr' | 'websocket' | 'eventsource' | 'worker' | 'import';

/** `in`: the page received it; `out`: the page sent it. */
export type Direction = 'in' | 'out';

/** The structure the error was found in. */
export type Dialect =
  | 'mtproto'
  | 'tl-json'
  | 'tdlib'
  | 'bot-api'
  | 'gramjs'
  | 'webk'
  | 'weba'
  /** mtcute's worker port (TelegramWorker / TelegramWorkerPort). */
  | 'mtcute';

/** Where the human-readable meaning came from. */
export type MeaningSource = 'catalog' | 'seed' | 'derived' | 'none';

export interface ErrorRecord {
  /** Unique within one tab's log; increases with capture order. */
  id: number;
  /** ISO 8601. */
  capturedAt: string;
  /** The code exactly as received (may be negative or unknown). */
  code: number;
  class: ErrorClass;
  /** True when the code is not one Telegram documents and is handled as 500. */
  treatedAs500: boolean;
  /** True when the code was not in the traffic but taken from the catalog. */
  codeInferred: boolean;
  /** The error text exactly as received. */
  message: string;
  /** Upper-case type split off the message, or null when the message has none. */
  type: string | null;
  description: string | null;
  /** The catalog form the type matched, with X for the number (`FLOOD_WAIT_X`). */
  template: string | null;
  params: ErrorParams;
  meaning: string | null;
  meaningSource: MeaningSource;
  action: ErrorAction;
  channel: Channel;
  direction: Direction;
  /** Secrets (bot tokens) masked. */
  url: string | null;
  dialect: Dialect;
  /** The Telegram method (or client call) that failed, when known. */
  method: string | null;
  /**
   * The client's own call the error answered (Web A's API function `sendMessage`, a Web K
   * manager call, mtcute's `client.call`) when the error itself names the Telegram method in
   * `method`. Absent in records from version 1.0 and when there is nothing beside `method`.
   */
  clientCall?: string;
  /** What the client's error text lost (GramJS class names, MSG_WAIT_*); absent when nothing. */
  note?: string;
  /** The DC that answered, when known. */
  dc: number | null;
  /**
   * DC redirect chain: the id of the 303 *_MIGRATE_X record that started it. A redirect
   * carries its own id; a later error of the same method on the DC it named carries the
   * redirect's id. Null for errors outside any chain.
   */
  chainId: number | null;
  /**
   * The failing request as the traffic showed it (MTProto the inspector could read): its
   * parameters with secrets masked, and a salted fingerprint that is equal for an identical
   * repeat (random_id aside) and reveals nothing of the values. Absent when not seen.
   */
  request?: { params: unknown; fingerprint: string | null };
  /**
   * MTProto msg_id (decimal) of the request the error answers (rpc_result's req_msg_id, or the
   * bad_msg_id of a bad_server_salt / bad_msg_notification), when the traffic showed it. The
   * handling audit pairs the error with its request by it, and the panel links a verdict's
   * evidence to the record of that request's answer.
   */
  reqMsgId?: string;
  /** What the error was found in, for the panel's raw view. */
  evidence: Evidence | null;
  /**
   * Handling audit: whether the client handled the error the way Telegram prescribes, judged
   * from the requests that followed it (src/core/handling/). Absent when not audited; while
   * `handling.final` is false it may still change.
   */
  handling?: HandlingVerdict;
  /**
   * The same error seen a second time, at the page-worker boundary, when the record was read on
   * a worker's wire ("Capture inside workers"): what the worker's client passed on to the page.
   * Absent when the error was seen once (see src/core/capture/sightings.ts for the matching rule).
   */
  reachedPage?: PageSighting;
  /**
   * Read on the socket of a SharedWorker that several tabs with "Capture inside workers" on
   * share (`tabs`: how many read it then). Such an error is listed in each of those tabs unless
   * the page boundary told whose call it answered (`reachedPage`): then only that tab lists it.
   * Absent for every other record.
   */
  sharedWorker?: { tabs: number };
  /**
   * The calls before the error (src/core/calls/): the tab's calls in the 60 s before it, and its
   * method's (the failing call not counted) with the most in any 10 s. Absent when the call log
   * did not see the error arrive (records from older versions, imported files without it).
   */
  before?: ErrorBefore;
}

/** An error's sighting at the page-worker boundary, kept on the wire record it matches. */
export interface PageSighting {
  capturedAt: string;
  channel: Channel;
  dialect: Dialect;
  /** The error text as the page received it (a GramJS sentence, a Web K ApiError type). */
  message: string;
  code: number;
  method: string | null;
  clientCall?: string;
  note?: string;
  evidence: Evidence | null;
}

/**
 * The raw evidence: a JSON excerpt of the matched object, or the MTProto bytes around
 * the error with the rpc_error object marked (offsets within `hex`, in bytes).
 */
export type Evidence =
  | { kind: 'json'; excerpt: string }
  | {
      kind: 'bytes';
      /** Hex of the frame (or message) around the error, at most 256 bytes of it. */
      hex: string;
      /** Where the rpc_error object starts and how long it is, in bytes within `hex`. */
      markStart: number;
      markLength: number;
      /** Objects from the outside in: ['rpc_result', 'gzip_packed', 'rpc_error']. */
      path: string[];
      /** True when the frame was longer than what `hex` holds. */
      truncated: boolean;
    };

/** The export file, version 1. */
export interface ExportFile {
  format: 'telegram-api-errors';
  version: 1;
  exportedAt: string;
  page: { url: string | null };
  errors: ErrorRecord[];
}

/** A record before the log gives it its id. */
export type NewRecord = Omit<ErrorRecord, 'id'>;
