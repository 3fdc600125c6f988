// The floor of the hook's triage crypto per encrypted message, with a key: what it cannot do
// without (MTProto 2.0, core.telegram.org/mtproto/description): the key derivation's two
// SHA-256 over 52 bytes (one block each), the AES-256 key schedule (decryption's), and three
// AES-IGE blocks (the 48 bytes that hold salt, session, msg_id, seq_no, length and the first
// constructor). Timed alone in Node with the project's own implementations
// (src/core/mtproto/crypto/), to set beside bench-hook-cpu's per-message cost with keys.
// Run: npx tsx scripts/bench-triage-crypto-floor.ts [rounds]

import { AesIgeDecryptor } from '../src/core/mtproto/crypto/aes-ige.ts';
import { deriveAesKeyIv } from '../src/core/mtproto/crypto/message-key.ts';

const ROUNDS = Number(process.argv[2] ?? 3);
const N = 300_000;
const authKey = Uint8Array.from({ length: 256 }, (_, i) => (i * 37 + 11) & 0xff);
const msgKeys = Array.from({ length: 1024 }, (_, j) => Uint8Array.from({ length: 16 }, (_, i) => (i * 13 + j * 7) & 0xff));
const cipher = Uint8Array.from({ length: 48 }, (_, i) => (i * 29) & 0xff);
const aesKey = new Uint8Array(32);
const aesIv = new Uint8Array(32);
const out = new Uint8Array(48);

/** ns per call of `step(i)`, after a warm-up. */
function time(step: (i: number) => void): number {
  for (let i = 0; i < 20_000; i++) step(i);
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) step(i);
  return Number(process.hrtime.bigint() - start) / N;
}

const parts = {
  'two SHA-256 blocks (aes key and iv)': (i: number) => deriveAesKeyIv(authKey, msgKeys[i & 1023], 8, aesKey, aesIv),
  'AES-256 key schedule': () => void new AesIgeDecryptor(aesKey, aesIv),
  'three AES-IGE blocks': (() => {
    const ige = new AesIgeDecryptor(aesKey, aesIv);
    return () => ige.decrypt(cipher, 0, 48, out, 0);
  })(),
  'all of it, per message': (i: number) => {
    deriveAesKeyIv(authKey, msgKeys[i & 1023], 8, aesKey, aesIv);
    new AesIgeDecryptor(aesKey, aesIv).decrypt(cipher, 0, 48, out, 0);
  },
};
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const results = new Map<string, number[]>(Object.keys(parts).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r++) for (const [name, step] of Object.entries(parts)) results.get(name)!.push(time(step));
console.log(`The triage's crypto floor per message (Node ${process.version}, src/core/mtproto/crypto, ${N} calls, ${ROUNDS} rounds, median [range]):`);
for (const [name, v] of results)
  console.log(`  ${name}: ${(median(v) / 1000).toFixed(2)} µs [${(Math.min(...v) / 1000).toFixed(2)} to ${(Math.max(...v) / 1000).toFixed(2)}]`);
