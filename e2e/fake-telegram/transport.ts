// The server side of MTProto's WebSocket transports: one byte stream per direction (WebSocket
// messages do not mark frame boundaries), optionally obfuscated with AES-256-CTR keyed by the
// client's 64-byte init. GramJS in the browser sends obfuscated abridged (ConnectionTCPObfuscated
// with AbridgedPacketCodec); intermediate and padded intermediate are handled too because Web K
// uses them, so the same server can serve other clients later.

import { createCipheriv, randomBytes, type Cipher } from 'node:crypto';

export type Codec = 'abridged' | 'intermediate' | 'padded';

const TAGS: Record<string, Codec> = { efefefef: 'abridged', eeeeeeee: 'intermediate', dddddddd: 'padded' };

export class ServerTransport {
  codec: Codec | null = null;
  obfuscated = false;
  private pending = Buffer.alloc(0);
  private decrypt: Cipher | null = null;
  private encrypt: Cipher | null = null;

  /** Feeds bytes received from the client; returns the complete frames (payloads) now available. */
  receive(chunk: Buffer): Buffer[] {
    if (this.decrypt) chunk = this.decrypt.update(chunk);
    this.pending = Buffer.concat([this.pending, chunk]);
    if (!this.codec && !this.readHeader()) return [];
    const frames: Buffer[] = [];
    for (let frame = this.nextFrame(); frame; frame = this.nextFrame()) frames.push(frame);
    return frames;
  }

  /** Frames one payload for the client (and encrypts it when the connection is obfuscated). */
  send(payload: Buffer): Buffer {
    let framed: Buffer;
    if (this.codec === 'abridged') {
      const words = payload.length >> 2;
      const head = words < 0x7f ? Buffer.from([words]) : Buffer.from([0x7f, words & 0xff, (words >> 8) & 0xff, words >> 16]);
      framed = Buffer.concat([head, payload]);
    } else {
      const pad = this.codec === 'padded' ? randomBytes(Math.floor(Math.random() * 16)) : Buffer.alloc(0);
      const head = Buffer.alloc(4);
      head.writeUInt32LE(payload.length + pad.length);
      framed = Buffer.concat([head, payload, pad]);
    }
    return this.encrypt ? this.encrypt.update(framed) : framed;
  }

  private readHeader(): boolean {
    const b = this.pending;
    if (b.length >= 1 && b[0] === 0xef) {
      this.codec = 'abridged';
      this.pending = b.subarray(1);
      return true;
    }
    if (b.length >= 4 && TAGS[b.subarray(0, 4).toString('hex')] && b[0] !== 0xef) {
      this.codec = TAGS[b.subarray(0, 4).toString('hex')];
      this.pending = b.subarray(4);
      return true;
    }
    if (b.length < 64) return false;
    // Obfuscated init: client→server key/iv are init[8:40]/init[40:56]; server→client uses the
    // same slices of init[8:56] reversed. The CTR stream covers the init itself, so decrypting
    // all 64 bytes both reveals the tag at 56..60 and leaves the stream at the right offset.
    const init = b.subarray(0, 64);
    const reversed = Buffer.from(init.subarray(8, 56)).reverse();
    this.decrypt = createCipheriv('aes-256-ctr', init.subarray(8, 40), init.subarray(40, 56));
    this.encrypt = createCipheriv('aes-256-ctr', reversed.subarray(0, 32), reversed.subarray(32, 48));
    const tag = this.decrypt.update(init).subarray(56, 60).toString('hex');
    const codec = TAGS[tag];
    if (!codec) throw new Error(`unknown obfuscated protocol tag ${tag}`);
    this.codec = codec;
    this.obfuscated = true;
    this.pending = this.decrypt.update(b.subarray(64));
    return true;
  }

  private nextFrame(): Buffer | null {
    const b = this.pending;
    let start: number;
    let length: number;
    if (this.codec === 'abridged') {
      if (b.length < 1) return null;
      const first = b[0] & 0x7f; // the high bit asks for a quick ack, which the fake ignores
      if (first < 0x7f) [start, length] = [1, first * 4];
      else if (b.length < 4) return null;
      else [start, length] = [4, b.readUIntLE(1, 3) * 4];
    } else {
      if (b.length < 4) return null;
      [start, length] = [4, b.readUInt32LE(0) & 0x7fffffff];
    }
    if (b.length < start + length) return null;
    this.pending = b.subarray(start + length);
    return b.subarray(start, start + length);
  }
}
