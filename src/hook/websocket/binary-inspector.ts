// What the WebSocket watcher asks about each binary message. The default looks at
// one message at a time; a stateful inspector (e.g. one that follows an obfuscated
// transport's cipher stream) gets every message of a direction in stream order,
// each with its offset, so a gap in offsets tells it that bytes were skipped.

import type { Direction } from '../../core/record.ts';
import type { TransportKind } from '../../core/mtproto/types.ts';
import { mayContainRpcError } from '../common/binary-prefilter.ts';

export interface BinaryInspector {
  /**
   * True when the inspector keeps state across messages and so must see every message
   * of a direction in stream order; messages are then copied while an earlier Blob is
   * still being read. A stateless inspector sees ArrayBuffers at once and Blobs when read.
   */
  readonly ordered: boolean;
  /**
   * The connection closed: hand on what is still batched (answer notes). Returns true when the
   * connection carried calls the call log holds (encrypted requests or answers under a given
   * key), so its close is worth a note; other sockets close unreported.
   */
  closed?(): boolean;
  /**
   * `bytes` is valid only during the call (the page may detach or reuse the buffer);
   * `offset` is the position of bytes[0] within the direction's stream.
   * Returns true when the message should be captured.
   */
  inspect(direction: Direction, bytes: Uint8Array, offset: number): boolean;
}

export interface InspectedConnection {
  url: string;
  /** First bytes the client sent so far (up to 64): they select the MTProto transport. */
  clientHead(): Uint8Array;
  /** Reports one whole plaintext transport frame that starts at `offset` in its direction's stream. */
  emitFrame(direction: Direction, frame: Uint8Array, offset: number, framing: TransportKind): void;
  /**
   * Reports an encrypted message (the frame's payload without its transport header):
   * `whole` when triage says it can carry an error, `prefix` (its first bytes) to name a
   * request or an answer, `unknown-key` (its auth_key_id only) once per connection and
   * key id that no given key matches. `payloadLength` is the whole payload's length.
   */
  emitEncrypted?(direction: Direction, payload: Uint8Array, offset: number, framing: TransportKind, kind: EncryptedCaptureKind, payloadLength: number): void;
  /** Reports answers that succeeded (the call log's `ok`): hex of their req_msg_ids, 16 digits each. */
  emitAnswers?(hex: string): void;
}

export type EncryptedCaptureKind = 'whole' | 'prefix' | 'unknown-key';

export type BinaryInspectorFactory = (connection: InspectedConnection) => BinaryInspector;

const prefilterInspector: BinaryInspector = {
  ordered: false,
  inspect: (_direction, bytes) => mayContainRpcError(bytes),
};

/** Stateless: one shared inspector that runs the rpc_error / transport-error prefilter per message. */
export const createPrefilterInspector: BinaryInspectorFactory = () => prefilterInspector;
