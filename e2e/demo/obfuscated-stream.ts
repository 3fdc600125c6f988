// The server side of MTProto's obfuscated transport, as a DC's WebSocket does it: the
// client's first 64 bytes give both AES-256-CTR streams (client->server from the init,
// server->client from the byte-reversed init); the rest of the connection is encrypted.

import { createCipheriv, createDecipheriv, type Cipher, type Decipher } from 'node:crypto';
import type { TransportKind } from './tl-frames.ts';

const TAGS: Record<number, TransportKind> = { 0xefefefef: 'abridged', 0xeeeeeeee: 'intermediate' };

export interface ObfuscatedStream {
  transport: TransportKind;
  /** DC id the client asked for (negative: media). */
  dcId: number;
  /** Client bytes after the init, decrypted. */
  decrypt(chunk: Buffer): Buffer;
  /** Server bytes, encrypted for the client. */
  encrypt(chunk: Buffer): Buffer;
}

/** Returns null when `init` is not an obfuscation init for a transport the demo speaks. */
export function openObfuscatedStream(init: Buffer): ObfuscatedStream | null {
  if (init.length < 64) return null;
  const head = init.subarray(0, 64);
  const fromClient: Decipher = createDecipheriv('aes-256-ctr', head.subarray(8, 40), head.subarray(40, 56));
  const plainInit = fromClient.update(head);
  const transport = TAGS[plainInit.readUInt32LE(56)];
  if (!transport) return null;
  const reversed = Buffer.from(head).reverse();
  const toClient: Cipher = createCipheriv('aes-256-ctr', reversed.subarray(8, 40), reversed.subarray(40, 56));
  return {
    transport,
    dcId: plainInit.readInt16LE(60),
    decrypt: (chunk) => fromClient.update(chunk),
    encrypt: (chunk) => toClient.update(chunk),
  };
}
