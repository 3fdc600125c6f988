// Server-to-client MTProto 2.0 traffic for the browser benchmarks, encrypted with node:crypto
// (independent of src/core): a fixed auth key, messages as a server sends them (results,
// updates, now and then an rpc_error), framed in the abridged or intermediate transport,
// plain or obfuscated.

import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { refAuthKeyId, refIgeDecrypt, refKeyIv } from '../test/mtproto/mtproto2-reference.ts';
import { obfuscationInit } from './obfuscation-init.ts';

/** A fixed 256-byte auth key (the same in every run). */
export const BENCH_AUTH_KEY: Buffer = Buffer.concat(
  Array.from({ length: 8 }, (_, i) => createHash('sha256').update(`bench-hook-cpu auth key, part ${i}`).digest()),
);

// ---------- TL bodies ----------

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};
const i64 = (v: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return b;
};
function tlBytes(data: Buffer): Buffer {
  const head = data.length <= 253 ? Buffer.of(data.length) : Buffer.concat([Buffer.of(254), u32(data.length).subarray(0, 3)]);
  return Buffer.concat([head, data, Buffer.alloc((4 - ((head.length + data.length) % 4)) % 4)]);
}
const RPC_RESULT = 0xf35c6d01;
export const rpcResult = (reqMsgId: bigint, result: Buffer): Buffer => Buffer.concat([u32(RPC_RESULT), i64(reqMsgId), result]);
export const rpcError = (code: number, message: string): Buffer => Buffer.concat([u32(0x2144ca19), u32(code), tlBytes(Buffer.from(message))]);
/** A result object of `bytes` bytes: messages.messages#8c718e87 and filler. */
export const someResult = (bytes: number): Buffer => Buffer.concat([u32(0x8c718e87), u32(0x1cb5c415), randomBytes(bytes - 8)]);
/** updates#74ae4240 of `bytes` bytes: the constructor and filler. */
export const someUpdates = (bytes: number): Buffer => Buffer.concat([u32(0x74ae4240), u32(0x1cb5c415), randomBytes(bytes - 8)]);
/** upload.file#96a18d5 { type: storage.filePartial, mtime, bytes }: the answer to upload.getFile. */
export const uploadFile = (part: Buffer): Buffer => Buffer.concat([u32(0x096a18d5), u32(0x40bc6f52), u32(1_700_000_000), tlBytes(part)]);

// ---------- encryption ----------

/** AES-256-IGE from one ECB cipher, block by block. */
function igeEncrypt(plain: Buffer, key: Buffer, iv: Buffer): Buffer {
  const ecb = createCipheriv('aes-256-ecb', key, null);
  ecb.setAutoPadding(false);
  const out = Buffer.alloc(plain.length);
  const x = Buffer.alloc(16);
  let prevC = iv.subarray(0, 16);
  let prevP = iv.subarray(16, 32);
  for (let i = 0; i < plain.length; i += 16) {
    for (let j = 0; j < 16; j++) x[j] = plain[i + j] ^ prevC[j];
    const e = ecb.update(x);
    for (let j = 0; j < 16; j++) out[i + j] = e[j] ^ prevP[j];
    prevC = out.subarray(i, i + 16);
    prevP = plain.subarray(i, i + 16);
  }
  return out;
}

const AUTH_KEY_ID = Buffer.from(refAuthKeyId(BENCH_AUTH_KEY), 'hex');
let nextMsgId = 0x6543210987654321n;

/**
 * A server-to-client message (x = 8) of `plaintextLength` bytes (a multiple of 16, the
 * padding 12 to 1024 bytes; by default the least padding): auth_key_id | msg_key | AES-256-IGE(header, body, padding).
 */
export function encryptIncoming(body: Buffer, plaintextLength = Math.ceil((32 + body.length + 12) / 16) * 16): Buffer {
  const padding = plaintextLength - 32 - body.length;
  if (plaintextLength % 16 !== 0 || padding < 12 || padding > 1024 || body.length % 4 !== 0)
    throw new Error(`bad sizes: body ${body.length}, plaintext ${plaintextLength}`);
  const header = Buffer.alloc(32);
  header.writeBigUInt64LE(0x1122334455667788n, 0); // server salt
  header.writeBigUInt64LE(0x99aabbccddeeff00n, 8); // session id
  header.writeBigInt64LE((nextMsgId += 4n), 16); // a server msg_id (≡ 1 mod 4)
  header.writeInt32LE(7, 24);
  header.writeInt32LE(body.length, 28);
  const plain = Buffer.concat([header, body, randomBytes(padding)]);
  const msgKey = createHash('sha256').update(BENCH_AUTH_KEY.subarray(96, 128)).update(plain).digest().subarray(8, 24);
  const { key, iv } = refKeyIv(BENCH_AUTH_KEY, msgKey, 8);
  const wire = Buffer.concat([AUTH_KEY_ID, msgKey, igeEncrypt(plain, key, iv)]);
  if (plaintextLength <= 4096 && !refIgeDecrypt(wire.subarray(24), key, iv).equals(plain)) throw new Error('IGE self-check failed');
  return wire;
}

// ---------- transports ----------

export type Transport = 'abridged' | 'intermediate';

export interface StreamSpec {
  transport: Transport;
  obfuscated: boolean;
}

/** The server's messages of one connection, one transport frame each. */
export interface ServerStream {
  /** What the client sends first: the transport tag, or the 64-byte obfuscation init. */
  head: Buffer;
  /** The messages back to back: message i is data[ends[i - 1] ?? 0, ends[i]). */
  data: Buffer;
  ends: number[];
}

function frame(transport: Transport, payload: Buffer): Buffer {
  const quarter = payload.length / 4;
  if (transport === 'intermediate') return Buffer.concat([u32(payload.length), payload]);
  return Buffer.concat([quarter < 0x7f ? Buffer.of(quarter) : Buffer.of(0x7f, quarter & 255, (quarter >> 8) & 255, quarter >> 16), payload]);
}

/** One connection's stream: each payload framed in `spec`'s transport, obfuscated if asked. */
export function serverStream(spec: StreamSpec, payloads: Buffer[]): ServerStream {
  const framed = new Map<Buffer, Buffer>();
  const frames = payloads.map((p) => framed.get(p) ?? framed.set(p, frame(spec.transport, p)).get(p)!);
  const data = Buffer.concat(frames);
  const ends: number[] = [];
  frames.reduce((end, f) => (ends.push(end + f.length), end + f.length), 0);
  const tag = spec.transport === 'abridged' ? 0xefefefef : 0xeeeeeeee;
  if (!spec.obfuscated) return { head: spec.transport === 'abridged' ? Buffer.of(0xef) : u32(tag), data, ends };
  const { wire, toClient } = obfuscationInit(2, tag);
  return { head: wire, data: toClient.update(data), ends };
}
