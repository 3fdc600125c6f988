// Feeds a tab's WireKeyWatch from its captures: the auth_key_id of every encrypted capture, and
// each unencrypted key-exchange message (the hook forwards every auth_key_id-0 frame whole,
// deobfuscated). Read from the bytes, not from the decoder's findings, so it holds for every
// transport the hook follows.

import type { HookCapture } from './capture.ts';
import { dcFromUrl } from './dc-from-url.ts';
import { dcFromClientHead } from './decode-capture.ts';
import { fromBase64, readUint32LE, toHex } from '../mtproto/bytes.ts';
import type { WireKey, WireKeyWatch } from '../keys/wire-key-watch.ts';

/** Constructors of the plain key exchange, both ways (mtproto schema). */
const KEY_EXCHANGE = new Map<number, string>([
  [0x60469778, 'req_pq'],
  [0xbe7e8ef1, 'req_pq_multi'],
  [0x05162463, 'resPQ'],
  [0xd712e4be, 'req_DH_params'],
  [0xd0e8075c, 'server_DH_params_ok'],
  [0x79cb045d, 'server_DH_params_fail'],
  [0xf5045f1f, 'set_client_DH_params'],
  [0x3bcbf734, 'dh_gen_ok'],
]);

function headerLength(capture: HookCapture, first: number): number | null {
  switch (capture.framing) {
    case 'abridged':
      return first === 0x7f || first === 0xff ? 4 : 1;
    case 'intermediate':
    case 'padded-intermediate':
      return 4;
    case 'full':
      return 8;
    default:
      return capture.channel === 'fetch' || capture.channel === 'xhr' ? 0 : null;
  }
}

/** The key-exchange step a plain capture carries ('req_pq_multi', 'resPQ', ...), or null. */
export function keyExchangeStep(capture: HookCapture): string | null {
  if (capture.kind !== 'binary' || capture.encrypted !== undefined) return null;
  const bytes = fromBase64(capture.data);
  if (!bytes || bytes.length < 24) return null;
  const at = headerLength(capture, bytes[0]);
  // auth_key_id 0 (8) + msg_id (8) + length (4) + constructor (4).
  if (at === null || bytes.length < at + 24) return null;
  for (let i = at; i < at + 8; i++) if (bytes[i] !== 0) return null;
  return KEY_EXCHANGE.get(readUint32LE(bytes, at + 20)) ?? null;
}

/** The auth_key_id (16 hex digits) of an encrypted capture, or null. */
export function encryptedKeyId(capture: HookCapture): string | null {
  if (capture.kind !== 'binary' || capture.encrypted === undefined) return null;
  // base64 of the first 8 bytes is the first 12 characters (up to padding).
  const head = fromBase64(capture.data.slice(0, 12));
  return head && head.length >= 8 ? toHex(head, 0, 8) : null;
}

/** Tells the tab's watch what a capture shows of keys; returns the key of an encrypted capture. */
export function observeWireKeys(watch: WireKeyWatch, capture: HookCapture): WireKey | null {
  const connection = capture.conn ?? capture.url;
  const keyId = encryptedKeyId(capture);
  if (keyId !== null) return watch.sawKey(connection, keyId, dcFromUrl(capture.url)?.dc ?? dcFromClientHead(capture));
  if (keyExchangeStep(capture) !== null) watch.sawHandshake(connection);
  return null;
}
