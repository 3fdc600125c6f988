// The capture: one piece of page traffic that passed the hook's prefilter, as the page
// hook hands it on and as the decoder reads it. Defined here, beside the decoder that
// reads it, so the pure core depends on nothing above it; the messaging layer
// (src/shared/messages.ts) carries it between the hook, content script and background.

import type { Channel, Direction } from '../record.ts';

/**
 * What the page hook reports: a piece of traffic that passed the prefilter.
 * Decoding and classification happen in the background, never in the page.
 */
export interface HookCapture {
  v: 1;
  channel: Channel;
  direction: Direction;
  /** Request or connection URL as the page used it (masked later). */
  url: string;
  /** Epoch milliseconds when the hook saw it. */
  at: number;
  kind: 'text' | 'binary' | 'structured' | 'request';
  /**
   * text: the body; binary: base64 of the bytes; structured: JSON of a
   * structured-clone value (worker messages), made by the hook's safe serializer;
   * request: empty (a request sighting: see below).
   */
  data: string;
  /** HTTP status for fetch / XHR. */
  status?: number;
  /** Stable id of the connection (WebSocket, worker) within the page. */
  conn?: string;
  /** Byte offset of this message within its connection direction's stream. */
  offset?: number;
  /** Hex of the first bytes the client sent on this connection (selects the transport). */
  clientHead?: string;
  /**
   * HTTP transport (/apiw1): hex of the first bytes (at most 256) of the binary request body
   * this response answers, when that body is an unencrypted MTProto message. The decoder
   * reads the request from it, so the error in the response names its method.
   */
  requestHead?: string;
  /** Method name when the hook knows it (e.g. from a paired request). */
  method?: string;
  /** Captures the hook itself dropped (rate cap) since its previous report. */
  hookDropped?: number;
  /**
   * Set when `data` is exactly one whole, plaintext (deobfuscated) frame of this MTProto
   * transport, starting at `offset`: the hook followed the stream's framing.
   */
  framing?: 'abridged' | 'intermediate' | 'padded-intermediate' | 'full';
  /**
   * Set when `data` is an encrypted MTProto message (a frame's payload without its transport
   * header) that the hook triaged with the keys given for the page: `whole` (it can carry an
   * error), `prefix` (its first bytes: a request to name, an answer that succeeded), or
   * `unknown-key` (its auth_key_id only: no given key matches, or none was given).
   */
  encrypted?: EncryptedCapture;
  /** For `encrypted`: the whole payload's length (a prefix is shorter). */
  payloadLength?: number;
  /**
   * A request's fingerprint as the hook made it (PAGE_FINGERPRINT): for a `request` capture the
   * request's own, for an error capture the request the error answers, when the hook paired
   * them (fetch / XHR request body, a WebSocket JSON request by its id, a worker call by its
   * taskId / messageId / id). Equal for an identical repeat within one page, salted per page.
   */
  fingerprint?: string;
  /**
   * A note of answers that succeeded on an encrypted connection (kind 'request', data ''): per
   * answer 24 hex digits, its rpc_result's req_msg_id (16, big-endian) and how many ms before
   * `at` it came (8, big-endian), back to back. The call log's
   * `ok`; the hook reads them from the bytes triage decrypted anyway, and never sends the bodies.
   */
  answers?: string;
  /**
   * A batch of call notes (kind 'request', direction 'in', data ''): JSON requests and
   * worker-boundary calls the hook named, and their answers, one line each (src/core/calls/call-notes.ts).
   */
  calls?: string;
  /** A note that the connection `conn` closed (kind 'request', direction 'in', data ''): its calls still waiting are unanswered. */
  closed?: true;
}

/**
 * Kind `request`: a request sighting. The hook sends one for each API request it can name
 * (TL-JSON / TDLib / Bot API over fetch, XHR and WebSocket text; Web K, Web A and mtcute worker
 * calls) while the page has recently reported an error, so the handling audit sees what the
 * client did next: `direction` 'out', `data` '', `method` when the hook names it, `fingerprint`.
 */
export type RequestCapture = HookCapture & { kind: 'request'; data: '' };

/** A hook fingerprint: 'p', the page's 6-hex salt tag, ':', 16 hex digits. */
export const PAGE_FINGERPRINT = /^p[0-9a-f]{6}:[0-9a-f]{16}$/;

export type EncryptedCapture = 'whole' | 'prefix' | 'unknown-key';
