// "Capture inside workers": the background's cost per WebSocket message of a worker socket, as
// chrome.debugger hands it over (Network.webSocketFrameReceived: the whole message in base64).
// Measures base64 decoding (the fast native path where the runtime has it) + following the
// obfuscated framing + triage with the keys given, and for an rpc_error the whole path through
// decodeCapture (decryption, msg_key check, classification). Frames of 1 KB, 16 KB and 1 MB,
// encrypted under a given key; prints per-frame times and the longest single frame (what one
// media part can hold the background up for). Node's figures; Chromium's service worker has
// Uint8Array.fromBase64, about 7 times faster than Node 20's atob path for the base64 step.

import { createCipheriv, randomBytes } from 'node:crypto';
import { SocketUnitReader } from '../src/core/mtproto/transport/socket-units.ts';
import { base64Path, decodeBase64 } from '../src/core/mtproto/base64-fast.ts';
import { EncryptedTriage } from '../src/core/mtproto/decrypt/encrypted-triage.ts';
import { CaptureSession, decodeCapture } from '../src/core/capture/decode-capture.ts';
import { AuthKey, KeyRing } from '../src/core/keys/index.ts';
import { encryptServerMessage } from '../e2e/fake-telegram/crypto.ts';
import { presharedAuthKey } from '../e2e/fake-telegram/dcs.ts';
import { obfuscationInit } from '../test/mtproto/stream-helpers.ts';

const key = presharedAuthKey(2);
const triage = new EncryptedTriage();
triage.setKeys([new Uint8Array(key)]);
const ring = new KeyRing();
ring.add(new AuthKey(new Uint8Array(key), 'hex', 2));

/** A connection: the init, and a cipher for the server's direction. */
function connection() {
  const { init, wire } = obfuscationInit(0xef, 2);
  const reversed = Buffer.from(init).reverse();
  const toClient = createCipheriv('aes-256-ctr', reversed.subarray(8, 40), reversed.subarray(40, 56));
  const reader = new SocketUnitReader({ url: 'wss://venus.web.telegram.org/apiws', conn: 'w1', fromStart: true, triage: () => triage });
  reader.message('out', 2, wire.toString('base64'), 0);
  /** One abridged frame around `payload`, obfuscated, as base64 (what the event carries). */
  const frame = (payload: Buffer) => {
    const words = payload.length / 4;
    const head = words < 0x7f ? Buffer.of(words) : Buffer.of(0x7f, words & 255, (words >> 8) & 255, (words >> 16) & 255);
    return toClient.update(Buffer.concat([head, payload])).toString('base64');
  };
  return { reader, frame };
}

/** An encrypted server message of about `size` bytes that is not an error (an update): triage skips it. */
function bulk(size: number): Buffer {
  const body = Buffer.concat([Buffer.from([0xa1, 0x72, 0xe4, 0x74]), randomBytes(Math.max(0, size - 64 - 4) & ~3)]);
  return encryptServerMessage(key, { salt: randomBytes(8), sessionId: randomBytes(8), msgId: 0x6500000000000001n, seqNo: 1, body });
}

function rpcError(): Buffer {
  const text = Buffer.from('FLOOD_WAIT_17');
  const str = Buffer.concat([Buffer.of(text.length), text, Buffer.alloc((4 - ((text.length + 1) % 4)) % 4)]);
  const body = Buffer.concat([
    Buffer.from('016d5cf3', 'hex'),
    Buffer.from('0400000000000065', 'hex').reverse(),
    Buffer.from('19ca4421', 'hex'),
    Buffer.from([0xa4, 0x01, 0, 0]),
    str,
  ]);
  return encryptServerMessage(key, { salt: randomBytes(8), sessionId: randomBytes(8), msgId: 0x6500000000000005n, seqNo: 1, body });
}

function measure(label: string, size: number, count: number): void {
  const { reader, frame } = connection();
  const messages = Array.from({ length: count }, () => frame(bulk(size)));
  let worst = 0;
  const start = performance.now();
  for (const m of messages) {
    const t = performance.now();
    reader.message('in', 2, m, 0);
    worst = Math.max(worst, performance.now() - t);
  }
  const total = performance.now() - start;
  console.log(`${label.padEnd(34)} ${((total / count) * 1000).toFixed(1).padStart(8)} µs/frame  longest ${worst.toFixed(2)} ms  (${count} frames)`);
}

function measureBase64(size: number, count: number): void {
  const text = randomBytes(size).toString('base64');
  const start = performance.now();
  for (let i = 0; i < count; i++) decodeBase64(text);
  console.log(
    `${`base64 only, ${size >> 10} KB (${base64Path})`.padEnd(34)} ${(((performance.now() - start) / count) * 1000).toFixed(1).padStart(8)} µs/frame`,
  );
}

function measureErrors(count: number): void {
  const { reader, frame } = connection();
  const session = new CaptureSession();
  const messages = Array.from({ length: count }, () => frame(rpcError()));
  let records = 0;
  const start = performance.now();
  for (const m of messages) for (const capture of reader.message('in', 2, m, 0)) records += decodeCapture(capture, session, ring).records.length;
  const total = performance.now() - start;
  console.log(`${'rpc_error frame, whole path'.padEnd(34)} ${((total / count) * 1000).toFixed(1).padStart(8)} µs/frame  (${records} records of ${count})`);
}

// Warm up, then measure.
measure('warm-up', 1024, 2000);
console.log(`base64 path here: ${base64Path}`);
measure('1 KB encrypted (triaged, skipped)', 1024, 20000);
measure('16 KB encrypted (triaged, skipped)', 16 * 1024, 4000);
measure('1 MB encrypted media part', 1024 * 1024, 40);
measureBase64(1024 * 1024, 40);
measureErrors(5000);
