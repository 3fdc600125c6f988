// MTProto 2.0 message encryption for the fake server, on node:crypto only. Written from the
// protocol description (core.telegram.org/mtproto/description), not from a client library, so
// the server is an independent check of the client it talks to.

import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export const sha1 = (...parts: Buffer[]): Buffer => createHash('sha1').update(Buffer.concat(parts)).digest();
export const sha256 = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();

function xor16(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(16);
  for (let i = 0; i < 16; i++) out[i] = a[i] ^ b[i];
  return out;
}

// node:crypto has no IGE mode: IGE chains each block with the previous ciphertext AND the previous
// plaintext, so it is built here from single AES-256-ECB block operations.
// iv = 32 bytes: iv[0:16] plays the previous ciphertext, iv[16:32] the previous plaintext.
export function aesIgeEncrypt(plain: Buffer, key: Buffer, iv: Buffer): Buffer {
  if (plain.length % 16 !== 0) throw new Error('IGE input must be a multiple of 16 bytes');
  const ecb = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const out = Buffer.allocUnsafe(plain.length);
  let prevCipher = iv.subarray(0, 16);
  let prevPlain = iv.subarray(16, 32);
  for (let i = 0; i < plain.length; i += 16) {
    const block = plain.subarray(i, i + 16);
    const cipher = xor16(ecb.update(xor16(block, prevCipher)), prevPlain);
    cipher.copy(out, i);
    prevCipher = cipher;
    prevPlain = block;
  }
  return out;
}

export function aesIgeDecrypt(cipher: Buffer, key: Buffer, iv: Buffer): Buffer {
  if (cipher.length % 16 !== 0) throw new Error('IGE input must be a multiple of 16 bytes');
  const ecb = createDecipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const out = Buffer.allocUnsafe(cipher.length);
  let prevCipher = iv.subarray(0, 16);
  let prevPlain = iv.subarray(16, 32);
  for (let i = 0; i < cipher.length; i += 16) {
    const block = cipher.subarray(i, i + 16);
    const plain = xor16(ecb.update(xor16(block, prevPlain)), prevCipher);
    plain.copy(out, i);
    prevCipher = block;
    prevPlain = plain;
  }
  return out;
}

/** auth_key_id: the low 64 bits of SHA-1(auth_key), i.e. its last 8 bytes. */
export const authKeyId = (authKey: Buffer): Buffer => sha1(authKey).subarray(12, 20);

/** x = 0 for client→server, 8 for server→client. */
function messageAesKeyIv(authKey: Buffer, msgKey: Buffer, x: 0 | 8): { key: Buffer; iv: Buffer } {
  const a = sha256(msgKey, authKey.subarray(x, x + 36));
  const b = sha256(authKey.subarray(40 + x, 76 + x), msgKey);
  return {
    key: Buffer.concat([a.subarray(0, 8), b.subarray(8, 24), a.subarray(24, 32)]),
    iv: Buffer.concat([b.subarray(0, 8), a.subarray(8, 24), b.subarray(24, 32)]),
  };
}

const msgKeyOf = (authKey: Buffer, plain: Buffer, x: 0 | 8): Buffer => sha256(authKey.subarray(88 + x, 120 + x), plain).subarray(8, 24);

export interface DecryptedMessage {
  salt: Buffer;
  sessionId: Buffer;
  msgId: bigint;
  seqNo: number;
  body: Buffer;
}

/** Decrypts one client→server frame `auth_key_id | msg_key | encrypted_data`; throws on a bad msg_key. */
export function decryptClientMessage(authKey: Buffer, frame: Buffer): DecryptedMessage {
  const msgKey = frame.subarray(8, 24);
  let data = frame.subarray(24);
  // Padded intermediate appends 0..15 transport bytes that are not part of the ciphertext.
  data = data.subarray(0, data.length - (data.length % 16));
  const { key, iv } = messageAesKeyIv(authKey, msgKey, 0);
  const plain = aesIgeDecrypt(data, key, iv);
  if (!msgKeyOf(authKey, plain, 0).equals(msgKey)) throw new Error('msg_key mismatch: wrong auth key?');
  const length = plain.readUInt32LE(28);
  return {
    salt: plain.subarray(0, 8),
    sessionId: plain.subarray(8, 16),
    msgId: plain.readBigInt64LE(16),
    seqNo: plain.readInt32LE(24),
    body: plain.subarray(32, 32 + length),
  };
}

/** Builds one server→client frame with 12..1024 random padding bytes, as MTProto 2.0 requires. */
export function encryptServerMessage(authKey: Buffer, m: { salt: Buffer; sessionId: Buffer; msgId: bigint; seqNo: number; body: Buffer }): Buffer {
  const header = Buffer.alloc(32);
  m.salt.copy(header, 0);
  m.sessionId.copy(header, 8);
  header.writeBigInt64LE(m.msgId, 16);
  header.writeInt32LE(m.seqNo, 24);
  header.writeUInt32LE(m.body.length, 28);
  const unpadded = 32 + m.body.length;
  const padding = 12 + ((16 - ((unpadded + 12) % 16)) % 16) + 16 * Math.floor(Math.random() * 4);
  const plain = Buffer.concat([header, m.body, randomBytes(padding)]);
  const msgKey = msgKeyOf(authKey, plain, 8);
  const { key, iv } = messageAesKeyIv(authKey, msgKey, 8);
  return Buffer.concat([authKeyId(authKey), msgKey, aesIgeEncrypt(plain, key, iv)]);
}
