// Just enough binary TL and MTProto transport framing for the demo server to answer
// like a Telegram DC: an unencrypted envelope carrying rpc_result -> rpc_error, framed
// in the abridged or intermediate transport. Written from core.telegram.org's
// serialization rules; the layout is checked against mtproto-wire's worked example.

import { gzipSync } from 'node:zlib';

/** Constructor ids (little-endian on the wire). */
export const CTOR = {
  rpcResult: 0xf35c6d01,
  rpcError: 0x2144ca19,
  gzipPacked: 0x3072cfa1,
  msgContainer: 0x73f1f8dc,
  msgsAck: 0x62d6b459,
  pong: 0x347773c5,
  ping: 0x7abe77ec,
  vector: 0x1cb5c415,
  nearestDc: 0x8e1a1775,
  uploadFile: 0x096a18d5,
  storageFilePartial: 0x40bc6f52,
  // Requests the demo page sends; the server picks its answer by these.
  helpGetNearestDc: 0x1fb33026,
  messagesSendMessage: 0x545cd15a,
  messagesGetHistory: 0x4423e6c5,
  authSendCode: 0xa677244f,
  uploadGetFile: 0xbe5335be,
  messagesGetDialogs: 0xa0f4cb4f,
  contactsGetContacts: 0x5dd69e12,
  helpGetConfig: 0xc4f9186b,
  badMsgNotification: 0xa7eff811,
} as const;

export class TlWriter {
  private chunks: Buffer[] = [];

  int(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value | 0);
    this.chunks.push(b);
    return this;
  }

  /** Constructor ids are unsigned 32-bit; written like an int. */
  ctor(id: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(id >>> 0);
    this.chunks.push(b);
    return this;
  }

  long(value: bigint): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt.asIntN(64, value));
    this.chunks.push(b);
    return this;
  }

  /** TL `bytes`: short form up to 253 bytes, long form (0xfe + 3-byte length) above; padded to 4. */
  bytes(data: Uint8Array): this {
    const len = data.length;
    const header = len <= 253 ? Buffer.from([len]) : Buffer.from([0xfe, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff]);
    const used = header.length + len;
    this.chunks.push(header, Buffer.from(data), Buffer.alloc((4 - (used % 4)) % 4));
    return this;
  }

  string(text: string): this {
    return this.bytes(Buffer.from(text, 'utf8'));
  }

  raw(data: Uint8Array): this {
    this.chunks.push(Buffer.from(data));
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export function rpcError(code: number, message: string): Buffer {
  return new TlWriter().ctor(CTOR.rpcError).int(code).string(message).toBuffer();
}

export function rpcResult(reqMsgId: bigint, result: Uint8Array): Buffer {
  return new TlWriter().ctor(CTOR.rpcResult).long(reqMsgId).raw(result).toBuffer();
}

/** Servers may gzip a large result inside rpc_result; Node's gzip output is deterministic (mtime 0). */
export function gzipPacked(object: Uint8Array): Buffer {
  return new TlWriter().ctor(CTOR.gzipPacked).bytes(gzipSync(object)).toBuffer();
}

export interface ContainedMessage {
  msgId: bigint;
  seqno: number;
  body: Uint8Array;
}

export function msgContainer(messages: ContainedMessage[]): Buffer {
  const w = new TlWriter().ctor(CTOR.msgContainer).int(messages.length);
  for (const m of messages) w.long(m.msgId).int(m.seqno).int(m.body.length).raw(m.body);
  return w.toBuffer();
}

export function badMsgNotification(badMsgId: bigint, badMsgSeqno: number, errorCode: number): Buffer {
  return new TlWriter().ctor(CTOR.badMsgNotification).long(badMsgId).int(badMsgSeqno).int(errorCode).toBuffer();
}

/** A transport error is a payload of one negative int32. */
export function transportError(code: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32LE(code);
  return bytes;
}

export function msgsAck(msgIds: bigint[]): Buffer {
  const w = new TlWriter().ctor(CTOR.msgsAck).ctor(CTOR.vector).int(msgIds.length);
  for (const id of msgIds) w.long(id);
  return w.toBuffer();
}

export function pong(msgId: bigint, pingId: bigint): Buffer {
  return new TlWriter().ctor(CTOR.pong).long(msgId).long(pingId).toBuffer();
}

export function nearestDc(country: string, thisDc: number, nearest: number): Buffer {
  return new TlWriter().ctor(CTOR.nearestDc).string(country).int(thisDc).int(nearest).toBuffer();
}

export function uploadFile(mtime: number, data: Uint8Array): Buffer {
  return new TlWriter().ctor(CTOR.uploadFile).ctor(CTOR.storageFilePartial).int(mtime).bytes(data).toBuffer();
}

/** auth_key_id = 0 | message_id | message_data_length | message_data */
export function unencryptedMessage(msgId: bigint, body: Uint8Array): Buffer {
  return new TlWriter().long(0n).long(msgId).int(body.length).raw(body).toBuffer();
}

export type TransportKind = 'abridged' | 'intermediate';

export const TRANSPORT_TAG: Record<TransportKind, Buffer> = {
  abridged: Buffer.from([0xef]),
  intermediate: Buffer.from([0xee, 0xee, 0xee, 0xee]),
};

export function frame(kind: TransportKind, payload: Uint8Array): Buffer {
  if (kind === 'intermediate') {
    const len = Buffer.alloc(4);
    len.writeUInt32LE(payload.length);
    return Buffer.concat([len, payload]);
  }
  if (payload.length % 4 !== 0) throw new Error('abridged payloads are whole words');
  const words = payload.length / 4;
  const header = words < 0x7f ? Buffer.from([words]) : Buffer.from([0x7f, words & 0xff, (words >> 8) & 0xff, (words >> 16) & 0xff]);
  return Buffer.concat([header, payload]);
}

/**
 * Splits the client's byte stream into transport payloads. WebSocket messages do not
 * mark frame boundaries, so bytes are buffered until a whole frame is there.
 */
export class ClientStreamReader {
  private pending = Buffer.alloc(0);
  transport: TransportKind | null = null;

  push(chunk: Uint8Array): Buffer[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const payloads: Buffer[] = [];
    if (!this.transport) {
      if (this.pending[0] === 0xef) {
        this.transport = 'abridged';
        this.pending = this.pending.subarray(1);
      } else if (this.pending.length >= 4 && this.pending.readUInt32LE(0) === 0xeeeeeeee) {
        this.transport = 'intermediate';
        this.pending = this.pending.subarray(4);
      } else {
        return payloads;
      }
    }
    for (;;) {
      const next = this.transport === 'intermediate' ? this.takeIntermediate() : this.takeAbridged();
      if (!next) return payloads;
      payloads.push(next);
    }
  }

  private takeIntermediate(): Buffer | null {
    if (this.pending.length < 4) return null;
    const len = this.pending.readUInt32LE(0);
    if (this.pending.length < 4 + len) return null;
    const payload = this.pending.subarray(4, 4 + len);
    this.pending = this.pending.subarray(4 + len);
    return payload;
  }

  private takeAbridged(): Buffer | null {
    if (this.pending.length < 1) return null;
    let headerLen = 1;
    let words = this.pending[0];
    if (words === 0x7f) {
      if (this.pending.length < 4) return null;
      headerLen = 4;
      words = this.pending[1] | (this.pending[2] << 8) | (this.pending[3] << 16);
    }
    const len = words * 4;
    if (this.pending.length < headerLen + len) return null;
    const payload = this.pending.subarray(headerLen, headerLen + len);
    this.pending = this.pending.subarray(headerLen + len);
    return payload;
  }
}

export interface UnencryptedRequest {
  msgId: bigint;
  /** Constructor id of the request body (the method). */
  method: number;
  body: Buffer;
}

export function parseUnencrypted(payload: Buffer): UnencryptedRequest {
  if (payload.length < 24 || payload.readBigInt64LE(0) !== 0n) throw new Error('not an unencrypted message');
  const msgId = payload.readBigInt64LE(8);
  const len = payload.readInt32LE(16);
  const body = payload.subarray(20, 20 + len);
  return { msgId, method: body.readUInt32LE(0), body };
}
