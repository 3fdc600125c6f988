// Obfuscated transport (every WebSocket web client): the connection starts
// with 64 client bytes; AES-256-CTR keys for both directions come from them,
// and bytes 56..59 decrypt to the inner transport's tag.

import { AesCtr } from '../crypto/aes.ts';
import type { TransportKind } from '../types.ts';

export const OBFUSCATION_INIT_LENGTH = 64;

export interface ObfuscationInit {
  transport: TransportKind;
  /** Signed int16 at decrypted bytes 60..61 (negative for media DCs); null when 0. */
  dcId: number | null;
  clientToServer: AesCtr;
  serverToClient: AesCtr;
}

export function transportForTag(b0: number, b1: number, b2: number, b3: number): TransportKind | null {
  if (b0 !== b1 || b1 !== b2 || b2 !== b3) return null;
  if (b0 === 0xef) return 'abridged';
  if (b0 === 0xee) return 'intermediate';
  if (b0 === 0xdd) return 'padded-intermediate';
  return null;
}

/** Returns null when `init` (the stream's first 64 bytes) is not an obfuscation init. */
export function parseObfuscationInit(init: Uint8Array): ObfuscationInit | null {
  if (init.length < OBFUSCATION_INIT_LENGTH) return null;
  const head = init.subarray(0, OBFUSCATION_INIT_LENGTH);
  const reversed = head.slice().reverse();
  const clientToServer = new AesCtr(head.subarray(8, 40), head.subarray(40, 56));
  const tail = clientToServer.decryptAt(56, head.subarray(56, 64));
  const transport = transportForTag(tail[0], tail[1], tail[2], tail[3]);
  if (transport === null) return null;
  const dc = ((tail[4] | (tail[5] << 8)) << 16) >> 16;
  return {
    transport,
    dcId: dc === 0 ? null : dc,
    clientToServer,
    serverToClient: new AesCtr(reversed.subarray(8, 40), reversed.subarray(40, 56)),
  };
}
