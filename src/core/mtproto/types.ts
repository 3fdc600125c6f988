// Result shapes of the MTProto decoder. Plain data only (strings, numbers,
// booleans, arrays, plain objects) so they cross ports and storage unchanged;
// the one exception is DecodedFrame.bytes, which callers encode if they keep it.

/** Method constructor id (as a signed or unsigned 32-bit number) -> 'messages.sendMessage'. */
export type MethodNameLookup = (id: number) => string | null;

/** `out`: client -> server; `in`: server -> client. */
export type StreamDirection = 'out' | 'in';

/** Where found bytes sit in the frame (or payload) that was decoded. */
export interface ByteRange {
  /** Offset of the object's first byte (its constructor id) within the decoded unit. */
  byteOffset: number;
  byteLength: number;
  /**
   * True when the object was inside gzip_packed: the range then covers the
   * whole gzip_packed object as it appears on the wire, since inflated bytes
   * have no position in the frame.
   */
  compressed: boolean;
}

export interface RpcErrorFound extends ByteRange {
  code: number;
  message: string;
  /** req_msg_id of the enclosing rpc_result as a decimal string; null for a bare rpc_error. */
  reqMsgId: string | null;
  /** msg_id of the message that carried it (decimal), when known. */
  msgId: string | null;
  /** Method of the request reqMsgId answers, from the request tracker. */
  method: string | null;
  /** e.g. ['msg_container', 'rpc_result', 'gzip_packed', 'rpc_error']. */
  path: string[];
}

export interface ProtocolErrorFound extends ByteRange {
  kind: 'bad_msg_notification' | 'bad_server_salt';
  errorCode: number;
  /** Human meaning of errorCode ('msg_id too low', ...) or 'unknown code N'. */
  meaning: string;
  badMsgId: string;
  badMsgSeqno: number;
  /** bad_server_salt only: the salt to use, 16 hex digits of the wire bytes. */
  newServerSalt: string | null;
  msgId: string | null;
  /** Method of the rejected message, from the request tracker. */
  method: string | null;
  path: string[];
}

export interface TransportErrorFound {
  /** Negative int32 as sent: -404, -429, -444, or another negative value. */
  code: number;
  meaning: string;
  byteOffset: number;
}

/** Service objects that are not errors, and constructors the decoder does not know. */
export interface ObjectSeen extends ByteRange {
  /** 'pong', 'msgs_ack', 'rpc_result', 'rpc_answer_dropped', ...; null when unknown. */
  name: string | null;
  /** '0x347773c5'. */
  constructorId: string;
  known: boolean;
  msgId: string | null;
  /** rpc_result only: which request it answers and with what constructor. */
  reqMsgId?: string;
  method?: string | null;
  resultConstructorId?: string;
  path: string[];
}

export interface RequestFound extends ByteRange {
  msgId: string | null;
  /** Innermost method name ('messages.sendMessage'), null when the lookup does not know the id. */
  method: string | null;
  constructorId: string;
  /** Wrappers from the outside in: ['invokeWithLayer', 'initConnection']. */
  wrappers: string[];
  layer: number | null;
  apiId: number | null;
  path: string[];
}

export type EnvelopeKind =
  /** auth_key_id 0: key exchange, readable. */
  | 'unencrypted'
  /** auth_key_id != 0: nothing past msg_key is readable without the key. */
  | 'encrypted'
  /** A decrypted message (salt, session_id, msg_id, seq_no, length, body). */
  | 'decrypted'
  /** A bare message body (constructor first), as hooks inside a client see it. */
  | 'body';

export interface EnvelopeInfo {
  kind: EnvelopeKind;
  /** 16 hex digits, wire byte order (as in a hex dump). */
  authKeyId: string | null;
  /** 32 hex digits, wire byte order; encrypted only. */
  msgKey: string | null;
  msgId: string | null;
  seqNo: number | null;
  /** 16 hex digits of the wire bytes; decrypted only. */
  salt: string | null;
  sessionId: string | null;
  /** Declared message_data_length (unencrypted, decrypted) or encrypted data length. */
  length: number | null;
}

export interface DecodeFindings {
  envelope: EnvelopeInfo | null;
  rpcErrors: RpcErrorFound[];
  protocolErrors: ProtocolErrorFound[];
  transportErrors: TransportErrorFound[];
  requests: RequestFound[];
  objects: ObjectSeen[];
  /** What could not be read and why; never thrown. */
  diagnostics: string[];
}

export type TransportKind = 'abridged' | 'intermediate' | 'padded-intermediate' | 'full';

export interface DecodedFrame extends DecodeFindings {
  direction: StreamDirection;
  transport: TransportKind;
  obfuscated: boolean;
  /** Offset of the frame's first byte in its direction's byte stream (counting the obfuscation init). */
  streamOffset: number;
  /** Header + payload (+ padding / crc). */
  frameLength: number;
  /** Where the payload starts within the frame; finding offsets are frame-relative. */
  payloadOffset: number;
  payloadLength: number;
  /** Server quick-ack token frames (no payload). */
  quickAck: boolean;
  /** Full transport: whether the crc32 matched; null for other transports or unchecked frames. */
  crcOk: boolean | null;
  /** Full transport sequence number; null otherwise. */
  seqNo: number | null;
  /** Payload larger than the buffer cap: only its first bytes were decoded. */
  truncated: boolean;
  /**
   * The frame's plaintext (deobfuscated) bytes, kept only for frames with
   * findings (errors) and at most 64 KB, for a hex dump.
   */
  bytes?: Uint8Array;
}

export function emptyFindings(): DecodeFindings {
  return { envelope: null, rpcErrors: [], protocolErrors: [], transportErrors: [], requests: [], objects: [], diagnostics: [] };
}
