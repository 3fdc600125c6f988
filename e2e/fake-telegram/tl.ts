// TL for the fake server. MTProto service objects (rpc_result, rpc_error, msg_container,
// gzip_packed, bad_server_salt, pong, msgs_ack) are written by hand here, so the exact bytes
// on the wire are visible in one place; API requests are parsed and API results serialized with
// GramJS's own generated classes (test infrastructure, so borrowing its schema is fine).

import { gunzipSync, gzipSync } from 'node:zlib';
import { Api } from 'telegram';
import { BinaryReader } from 'telegram/extensions/index.js';

export const ID = {
  rpcResult: 0xf35c6d01,
  rpcError: 0x2144ca19,
  msgContainer: 0x73f1f8dc,
  gzipPacked: 0x3072cfa1,
  badServerSalt: 0xedab447b,
  msgsAck: 0x62d6b459,
  pong: 0x347773c5,
  ping: 0x7abe77ec,
  pingDelayDisconnect: 0xf3427b8c,
  vector: 0x1cb5c415,
  getFutureSalts: 0xb921bd04,
  futureSalts: 0xae500895,
  msgsStateReq: 0xda69fb52,
  msgsStateInfo: 0x04deb57d,
} as const;

export const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
};
export const i32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeInt32LE(n);
  return b;
};
export const i64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(n);
  return b;
};

/** TL `bytes`/`string`: 1-byte length up to 253, else 0xfe + 3-byte length; padded to 4. */
export function tlBytes(data: Buffer): Buffer {
  const head = data.length <= 253 ? Buffer.from([data.length]) : Buffer.from([0xfe, data.length & 0xff, (data.length >> 8) & 0xff, data.length >> 16]);
  const pad = (4 - ((head.length + data.length) % 4)) % 4;
  return Buffer.concat([head, data, Buffer.alloc(pad)]);
}

export const rpcError = (code: number, message: string): Buffer => Buffer.concat([u32(ID.rpcError), i32(code), tlBytes(Buffer.from(message, 'utf8'))]);
export const rpcResult = (reqMsgId: bigint, result: Buffer): Buffer => Buffer.concat([u32(ID.rpcResult), i64(reqMsgId), result]);
export const gzipPacked = (inner: Buffer): Buffer => Buffer.concat([u32(ID.gzipPacked), tlBytes(gzipSync(inner))]);
export const msgsAck = (ids: bigint[]): Buffer => Buffer.concat([u32(ID.msgsAck), u32(ID.vector), i32(ids.length), ...ids.map(i64)]);
/**
 * future_salts for get_future_salts: `count` salts (at most 64), each valid for an hour, all the
 * connection's salt. `salts:vector<future_salt>` is bare: a count, then bare items (no ids).
 */
export function futureSalts(reqMsgId: bigint, salt: Buffer, count: number): Buffer {
  const now = Math.floor(Date.now() / 1000);
  const salts = Array.from({ length: Math.max(1, Math.min(count, 64)) }, (_, i) => Buffer.concat([i32(now + i * 3600), i32(now + (i + 1) * 3600), salt]));
  return Buffer.concat([u32(ID.futureSalts), i64(reqMsgId), i32(now), i32(salts.length), ...salts]);
}
/** msgs_state_info for msgs_state_req: every message "received" (4), as the fake answers each at once. */
export function msgsStateInfo(reqMsgId: bigint, req: Buffer): Buffer {
  const count = req.readInt32LE(8);
  return Buffer.concat([u32(ID.msgsStateInfo), i64(reqMsgId), tlBytes(Buffer.alloc(count, 4))]);
}
export const pong = (msgId: bigint, pingId: bigint): Buffer => Buffer.concat([u32(ID.pong), i64(msgId), i64(pingId)]);
export const badServerSalt = (badMsgId: bigint, badSeqNo: number, newSalt: Buffer): Buffer =>
  Buffer.concat([u32(ID.badServerSalt), i64(badMsgId), i32(badSeqNo), i32(48), newSalt]);

export interface InnerMessage {
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}
export function msgContainer(messages: InnerMessage[]): Buffer {
  const parts = messages.map((m) => Buffer.concat([i64(m.msgId), i32(m.seqNo), i32(m.body.length), m.body]));
  return Buffer.concat([u32(ID.msgContainer), i32(messages.length), ...parts]);
}

export function readContainer(body: Buffer): InnerMessage[] {
  const count = body.readInt32LE(4);
  const out: InnerMessage[] = [];
  let at = 8;
  for (let i = 0; i < count; i++) {
    const length = body.readInt32LE(at + 12);
    out.push({ msgId: body.readBigInt64LE(at), seqNo: body.readInt32LE(at + 8), body: body.subarray(at + 16, at + 16 + length) });
    at += 16 + length;
  }
  return out;
}

export function readGzipPacked(body: Buffer): Buffer {
  const reader = new BinaryReader(body.subarray(4));
  return gunzipSync(reader.tgReadBytes());
}

/** A TL object read by GramJS: className like `messages.SendMessage`, a `query` on wrappers. */
export type TLObject = { className: string; query?: TLObject; [k: string]: unknown };

export const readObject = (body: Buffer): TLObject => new BinaryReader(body).tgReadObject() as TLObject;

// Wrappers that carry the real call in `query`; the method reported is the innermost one.
const WRAPPERS = new Set([
  'InvokeWithLayer',
  'InitConnection',
  'InvokeAfterMsg',
  'InvokeAfterMsgs',
  'InvokeWithoutUpdates',
  'InvokeWithTakeout',
  'InvokeWithMessagesRange',
]);

export function unwrapCall(obj: TLObject): { call: TLObject; wrappers: string[] } {
  const wrappers: string[] = [];
  while (WRAPPERS.has(obj.className) && obj.query) {
    wrappers.push(obj.className);
    obj = obj.query;
  }
  return { call: obj, wrappers };
}

/** GramJS class name → TL method name: `messages.SendMessage` → `messages.sendMessage`. */
export function methodName(className: string): string {
  const dot = className.lastIndexOf('.');
  return className.slice(0, dot + 1) + className[dot + 1].toLowerCase() + className.slice(dot + 2);
}

/** A GramJS object or vector of them as TL bytes (for rpc_result). */
export function serialize(value: unknown): Buffer {
  if (Array.isArray(value)) return Buffer.concat([u32(ID.vector), i32(value.length), ...value.map(serialize)]);
  if (value === true) return u32(0x997275b5);
  if (value === false) return u32(0xbc799737);
  return (value as { getBytes(): Buffer }).getBytes();
}

export { Api };
