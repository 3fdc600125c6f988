// Test-only MTProto 2.0 encryption built on node:crypto (SHA-256, AES-256-ECB
// chained by hand into IGE), independent of src/core's own crypto, so tests
// check the decryptor against a second implementation.

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

function ecb(key: Buffer, block: Buffer, encrypt: boolean): Buffer {
  const c = encrypt ? createCipheriv('aes-256-ecb', key, null) : createDecipheriv('aes-256-ecb', key, null);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(block), c.final()]);
}

function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] ^ b[i];
  return out;
}

export function refIgeEncrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  const k = Buffer.from(key);
  let prevC: Buffer = Buffer.from(iv.subarray(0, 16));
  let prevP: Buffer = Buffer.from(iv.subarray(16, 32));
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += 16) {
    const p = Buffer.from(data.subarray(i, i + 16));
    const c = xor(ecb(k, xor(p, prevC), true), prevP);
    out.push(c);
    prevC = c;
    prevP = p;
  }
  return Buffer.concat(out);
}

export function refIgeDecrypt(data: Uint8Array, key: Uint8Array, iv: Uint8Array): Buffer {
  const k = Buffer.from(key);
  let prevC: Buffer = Buffer.from(iv.subarray(0, 16));
  let prevP: Buffer = Buffer.from(iv.subarray(16, 32));
  const out: Buffer[] = [];
  for (let i = 0; i < data.length; i += 16) {
    const c = Buffer.from(data.subarray(i, i + 16));
    const p = xor(ecb(k, xor(c, prevP), false), prevC);
    out.push(p);
    prevC = c;
    prevP = p;
  }
  return Buffer.concat(out);
}

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

export function refKeyIv(authKey: Uint8Array, msgKey: Uint8Array, x: 0 | 8): { key: Buffer; iv: Buffer } {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 76 + x), msgKey);
  return {
    key: Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]),
    iv: Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]),
  };
}

export function refAuthKeyId(authKey: Uint8Array): string {
  return createHash('sha1').update(authKey).digest().subarray(12, 20).toString('hex');
}

export interface MessageFields {
  direction: 'in' | 'out';
  msgId?: bigint;
  seqNo?: number;
  salt?: Buffer;
  sessionId?: Buffer;
  /** Total padding; default: random 12..1024 keeping a multiple of 16. */
  padding?: number;
  /** Override the declared message_data_length. */
  declaredLength?: number;
}

/** Builds the whole encrypted message: auth_key_id | msg_key | encrypted data. */
export function refEncryptMessage(authKey: Uint8Array, body: Uint8Array, f: MessageFields): Buffer {
  const header = Buffer.alloc(32);
  (f.salt ?? randomBytes(8)).copy(header, 0);
  (f.sessionId ?? randomBytes(8)).copy(header, 8);
  header.writeBigInt64LE(f.msgId ?? 0x6543210987654321n, 16);
  header.writeInt32LE(f.seqNo ?? 3, 24);
  header.writeInt32LE(f.declaredLength ?? body.length, 28);
  const unpadded = 32 + body.length;
  let padding = f.padding;
  if (padding === undefined) {
    const min = 12 + ((16 - ((unpadded + 12) % 16)) % 16);
    padding = min + 16 * Math.floor(Math.random() * Math.floor((1024 - min) / 16 + 1));
  }
  const plaintext = Buffer.concat([header, Buffer.from(body), randomBytes(padding)]);
  if (plaintext.length % 16 !== 0) throw new Error('plaintext must be whole blocks');
  const x = f.direction === 'in' ? 8 : 0;
  const msgKey = sha256(authKey.subarray(88 + x, 120 + x), plaintext).subarray(8, 24);
  const { key, iv } = refKeyIv(authKey, msgKey, x);
  return Buffer.concat([Buffer.from(refAuthKeyId(authKey), 'hex'), msgKey, refIgeEncrypt(plaintext, key, iv)]);
}
