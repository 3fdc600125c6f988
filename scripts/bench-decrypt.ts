// Throughput of MTProto 2.0 decryption with the user's key: full decryption
// (AES-256-IGE, msg_key check over the whole plaintext) plus decoding of
// error-bearing server messages, and the prefix decryption a hook-side filter
// would run per frame. Each figure is the median of ROUNDS timed rounds.
// Run: npx tsx scripts/bench-decrypt.ts [rounds]

import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { AuthKey } from '../src/core/keys/auth-key.ts';
import { KeyRing } from '../src/core/keys/key-ring.ts';
import { AesIgeDecryptor, AesIgeEncryptor } from '../src/core/mtproto/crypto/aes-ige.ts';
import { computeMsgKey, deriveAesKeyIv } from '../src/core/mtproto/crypto/message-key.ts';
import { Sha256 } from '../src/core/mtproto/crypto/sha256.ts';
import { decryptMessage } from '../src/core/mtproto/decrypt/decrypt.ts';
import { decodeDecrypted } from '../src/core/mtproto/decrypt/decrypt-decode.ts';
import { peekMessage, peekVerdict } from '../src/core/mtproto/decrypt/decrypt-prefix.ts';

const ROUNDS = Number(process.argv[2] ?? 9);

// ---------- messages ----------

function u32(v: number): Uint8Array {
  return Uint8Array.of(v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24);
}
function i64(v: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, v, true);
  return out;
}
function cat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
function tlString(s: string): Uint8Array {
  const b = new TextEncoder().encode(s);
  const head = b.length <= 253 ? Uint8Array.of(b.length) : cat(Uint8Array.of(254), u32(b.length).subarray(0, 3));
  return cat(head, b, new Uint8Array((4 - ((head.length + b.length) % 4)) % 4));
}
const rpcError = (code: number, msg: string) => cat(u32(0x2144ca19), u32(code), tlString(msg));
const rpcResult = (req: bigint, inner: Uint8Array) => cat(u32(0xf35c6d01), i64(req), inner);
const gzipPacked = (inner: Uint8Array) => cat(u32(0x3072cfa1), tlBytes(gzipSync(inner)));
function tlBytes(b: Uint8Array): Uint8Array {
  const head = b.length <= 253 ? Uint8Array.of(b.length) : cat(Uint8Array.of(254), u32(b.length).subarray(0, 3));
  return cat(head, b, new Uint8Array((4 - ((head.length + b.length) % 4)) % 4));
}
function container(items: Uint8Array[]): Uint8Array {
  return cat(u32(0x73f1f8dc), u32(items.length), ...items.flatMap((body, i) => [i64(BigInt(1000 + 4 * i + 1)), u32(2 * i + 1), u32(body.length), body]));
}

const keyBytes = new Uint8Array(randomBytes(256));
const key = new AuthKey(keyBytes, 'hex', 2);
const ring = new KeyRing();
ring.add(key);

/** The wire form of a server -> client message holding `body`. */
function encryptIn(body: Uint8Array): Uint8Array {
  const unpadded = 32 + body.length;
  const padding = 12 + ((16 - ((unpadded + 12) % 16)) % 16) + 16 * Math.floor(Math.random() * 4);
  const plain = cat(randomBytes(16), i64(0x6543210987654321n), u32(7), u32(body.length), body, randomBytes(padding));
  const msgKey = computeMsgKey(keyBytes, 8, plain);
  const k = new Uint8Array(32);
  const iv = new Uint8Array(32);
  deriveAesKeyIv(keyBytes, msgKey, 8, k, iv);
  const data = new Uint8Array(plain.length);
  new AesIgeEncryptor(k, iv).encrypt(plain, 0, plain.length, data, 0);
  return cat(hexBytes(key.keyId), msgKey, data);
}
function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g)!.map((h) => parseInt(h, 16)));
}

const filler = (n: number) => rpcResult(7n, cat(u32(0x1cb5c415), u32(n), ...Array.from({ length: n }, (_, i) => i64(BigInt(i)))));
const sets: Array<[string, Uint8Array[]]> = [
  ['small: rpc_result > rpc_error (~110 B)', Array.from({ length: 2000 }, (_, i) => encryptIn(rpcResult(BigInt(i), rpcError(420, `FLOOD_WAIT_${i % 60}`))))],
  [
    'container: 8 results, one gzip error (~1.5 KB)',
    Array.from({ length: 500 }, (_, i) =>
      encryptIn(container([...Array.from({ length: 7 }, () => filler(20)), rpcResult(BigInt(i), gzipPacked(rpcError(400, 'PEER_ID_INVALID')))])),
    ),
  ],
  [
    'large: result of 8 KB + error (~8 KB)',
    Array.from({ length: 120 }, (_, i) => encryptIn(container([filler(1000), rpcResult(BigInt(i), rpcError(303, 'FILE_MIGRATE_4'))]))),
  ],
  [
    'media-size: 128 KB result + error',
    Array.from({ length: 8 }, (_, i) => encryptIn(container([filler(16000), rpcResult(BigInt(i), rpcError(500, 'INTERNAL'))]))),
  ],
];

// ---------- timing ----------

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => number): { ms: number; check: number } {
  let check = 0;
  check += fn(); // warm-up
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t = performance.now();
    check += fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), check };
}

const mbps = (bytes: number, ms: number) => (bytes / 1e6 / (ms / 1000)).toFixed(1);

console.log(`bench-decrypt: Node ${process.version}, median of ${ROUNDS} rounds\n`);
console.log('full = decryptMessage (IGE + msg_key check) + decodeDecrypted; MB/s of encrypted bytes');
for (const [name, frames] of sets) {
  const bytes = frames.reduce((n, f) => n + f.length, 0);
  const full = time(() => {
    let errors = 0;
    for (const f of frames) {
      const d = decryptMessage(f, ring, { direction: 'in' });
      if (!d.ok) throw new Error(d.message);
      errors += decodeDecrypted(d).rpcErrors.length;
    }
    return errors;
  });
  if (full.check !== frames.length * (ROUNDS + 1)) throw new Error(`expected one error per message, got ${full.check}`);
  const unknown = time(() => {
    let n = 0;
    for (const f of frames) n += decryptMessage(f, ring).ok ? 1 : 0;
    return n;
  });
  const peek = time(() => {
    let keep = 0;
    for (const f of frames) {
      const p = peekMessage(f, ring, { direction: 'in' });
      if (p.ok && peekVerdict(p) !== 'no-error') keep++;
    }
    return keep;
  });
  const perMsg = (ms: number) => ((ms * 1000) / frames.length).toFixed(1);
  console.log(
    `  ${name.padEnd(48)} full ${mbps(bytes, full.ms).padStart(6)} MB/s (${perMsg(full.ms)} µs/msg) | ` +
      `direction unknown, decrypt only ${mbps(bytes, unknown.ms).padStart(6)} MB/s | prefix (4 blocks) ${perMsg(peek.ms)} µs/msg = ${mbps(bytes, peek.ms)} MB/s of frames`,
  );
}

// Primitive throughput, for context.
const big = new Uint8Array(randomBytes(1 << 20));
const dec = time(() => {
  new AesIgeDecryptor(keyBytes.subarray(0, 32), keyBytes.subarray(32, 64)).decrypt(big, 0, big.length, big, 0);
  return 0;
});
const sha = time(() => {
  new Sha256().update(big).digest();
  return 0;
});
console.log(`\nprimitives on 1 MiB: AES-256-IGE decrypt ${mbps(big.length, dec.ms)} MB/s, SHA-256 ${mbps(big.length, sha.ms)} MB/s`);
