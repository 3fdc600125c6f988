// Throughput of the MTProto decoder: the prefilter on error-free traffic, and
// full decoding of error-bearing messages next to @mtcute/tl's generated
// reader on the same bytes. Each figure is the median of ROUNDS timed rounds;
// ours and mtcute's rounds alternate, so load from other processes hits both alike.
// Run: npx tsx scripts/bench-mtproto.ts [rounds]

import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { mayContainRpcError } from '../src/core/mtproto/transport/prefilter.ts';
import { decodeDecryptedMessage } from '../src/core/mtproto/tl/decode.ts';
import { createStreamDecoder } from '../src/core/mtproto/transport/stream-decoder.ts';

const require = createRequire(import.meta.url);
const { __tlReaderMap } = require('@mtcute/tl/binary/reader.js') as { __tlReaderMap: Record<number, (r: MtcuteReader) => unknown> };

// ---------- building realistic bytes ----------

class Builder {
  private buf = new Uint8Array(1024);
  len = 0;
  private ensure(n: number) {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  u32(v: number) {
    this.ensure(4);
    this.buf[this.len++] = v & 255;
    this.buf[this.len++] = (v >>> 8) & 255;
    this.buf[this.len++] = (v >>> 16) & 255;
    this.buf[this.len++] = (v >>> 24) & 255;
    return this;
  }
  i64(v: bigint) {
    const u = BigInt.asUintN(64, v);
    this.u32(Number(u & 0xffffffffn));
    this.u32(Number(u >> 32n));
    return this;
  }
  raw(b: Uint8Array) {
    this.ensure(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  bytes(b: Uint8Array) {
    const start = this.len;
    if (b.length <= 253) {
      this.ensure(1);
      this.buf[this.len++] = b.length;
    } else this.u32(254 | (b.length << 8));
    this.raw(b);
    while ((this.len - start) % 4) {
      this.ensure(1);
      this.buf[this.len++] = 0;
    }
    return this;
  }
  str(s: string) {
    return this.bytes(new TextEncoder().encode(s));
  }
  done() {
    return this.buf.slice(0, this.len);
  }
}

const ERRORS: Array<[number, string]> = [
  [420, 'FLOOD_WAIT_30'],
  [400, 'PEER_ID_INVALID'],
  [303, 'FILE_MIGRATE_2'],
  [500, 'INTERNAL'],
  [401, 'AUTH_KEY_UNREGISTERED'],
  [400, 'MESSAGE_NOT_MODIFIED'],
];

function rpcErrorBody(b: Builder, i: number) {
  const [code, text] = ERRORS[i % ERRORS.length];
  b.u32(0xf35c6d01)
    .i64(0x6500000000000000n + BigInt(i * 4))
    .u32(0x2144ca19)
    .u32(code)
    .str(text);
}

/** A decrypted message: a container holding an rpc_error, an ack and a pong. */
function errorMessage(i: number, gzip: boolean): Uint8Array {
  const err = new Builder();
  rpcErrorBody(err, i);
  let first = err.done();
  if (gzip)
    first = new Builder()
      .u32(0xf35c6d01)
      .i64(BigInt(i))
      .u32(0x3072cfa1)
      .bytes(gzipSync(first.subarray(12)))
      .done();
  const ack = new Builder().u32(0x62d6b459).u32(0x1cb5c415).u32(2).i64(1n).i64(2n).done();
  const pong = new Builder().u32(0x347773c5).i64(3n).i64(4n).done();
  const body = new Builder().u32(0x73f1f8dc).u32(3);
  let id = 0x6600000000000001n + BigInt(i * 16);
  for (const m of [first, ack, pong]) {
    body.i64(id).u32(1).u32(m.length).raw(m);
    id += 4n;
  }
  const b = body.done();
  return new Builder().i64(0x1111n).i64(0x2222n).i64(0x6600000000000001n).u32(1).u32(b.length).raw(b).raw(new Uint8Array(12)).done();
}

/** Plaintext-like traffic without errors: message-bearing updates with text, ids and flags. */
function plainFrame(i: number): Uint8Array {
  const b = new Builder().u32(0x73f1f8dc).u32(8);
  for (let k = 0; k < 8; k++) {
    const m = new Builder()
      .u32(0xf35c6d01)
      .i64(BigInt(i * 100 + k))
      .u32(0x74ae4240)
      .u32(k)
      .i64(BigInt(1_700_000_000 + k))
      .str(`message number ${i}:${k} with some ordinary text in it`)
      .done();
    b.i64(BigInt(i * 8 + k))
      .u32(1)
      .u32(m.length)
      .raw(m);
  }
  return b.done();
}

function errorFree(frame: Uint8Array): boolean {
  return !mayContainRpcError(frame);
}

// ---------- mtcute's reader (its generated object layouts over a primitive reader) ----------

class MtcuteReader {
  pos = 0;
  private readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  uint = () => {
    const v = this.dv.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  };
  int = () => {
    const v = this.dv.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  };
  long = () => {
    const v = this.dv.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  };
  int53 = () => Number(this.long());
  double = () => {
    const v = this.dv.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  };
  boolean = () => this.uint() === 0x997275b5;
  raw = (n: number) => {
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  };
  int128 = () => this.raw(16);
  int256 = () => this.raw(32);
  bytes = () => {
    let len = this.b[this.pos];
    let hdr = 1;
    if (len === 254) {
      len = this.b[this.pos + 1] | (this.b[this.pos + 2] << 8) | (this.b[this.pos + 3] << 16);
      hdr = 4;
    }
    const v = this.b.subarray(this.pos + hdr, this.pos + hdr + len);
    this.pos += (hdr + len + 3) & ~3;
    return v;
  };
  private static td = new TextDecoder();
  string = () => MtcuteReader.td.decode(this.bytes());
  object = (): unknown => {
    const id = this.uint();
    if (id === 0x73f1f8dc) {
      const n = this.uint();
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) {
        const msgId = this.long();
        this.int();
        const len = this.int();
        const end = this.pos + len;
        out.push({ msgId, body: this.object() });
        this.pos = end;
      }
      return out;
    }
    if (id === 0xf35c6d01) return { _: 'rpc_result', reqMsgId: this.long(), result: this.object() };
    const fn = __tlReaderMap[id];
    if (!fn) throw new Error(`no reader for 0x${id.toString(16)}`);
    return fn(this);
  };
  vector = (fn: () => unknown) => {
    this.uint();
    const n = this.uint();
    const out: unknown[] = [];
    for (let i = 0; i < n; i++) out.push(fn());
    return out;
  };
}

function mtcuteDecode(frame: Uint8Array): unknown {
  const r = new MtcuteReader(frame);
  r.pos = 28; // salt, session_id, msg_id, seq_no
  const len = r.uint();
  const body = new MtcuteReader(frame.subarray(r.pos, r.pos + len));
  return body.object();
}

// ---------- timing ----------

const ROUNDS = Number(process.argv[2] ?? 7);

/** Bytes per second of one round: `run` repeated for at least `minMs`. */
function timeRound(totalBytes: number, run: () => void, minMs: number): number {
  let iterations = 0;
  const t0 = performance.now();
  let elapsed: number;
  do {
    run();
    iterations++;
    elapsed = performance.now() - t0;
  } while (elapsed < minMs);
  return (totalBytes * iterations) / (elapsed / 1000);
}

interface Rates {
  median: number;
  min: number;
  max: number;
}

/**
 * Several contenders over the same bytes: a warm-up long enough for the optimising
 * compiler, then ROUNDS rounds of each, alternating. Returns the rates per contender.
 */
function race(totalBytes: number, runs: Array<() => void>, minMs = 300): Rates[] {
  for (const run of runs) {
    const warm = performance.now();
    do run();
    while (performance.now() - warm < minMs);
  }
  const rates: number[][] = runs.map(() => []);
  for (let round = 0; round < ROUNDS; round++) runs.forEach((run, i) => rates[i].push(timeRound(totalBytes, run, minMs)));
  return rates.map((r) => {
    const sorted = [...r].sort((a, b) => a - b);
    return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], max: sorted[sorted.length - 1] };
  });
}

const spread = (r: Rates, unit: (v: number) => string) => `(min ${unit(r.min)}, max ${unit(r.max)})`;

const mb = (bytesPerSec: number) => (bytesPerSec / 1e6).toFixed(0);
const gb = (bytesPerSec: number) => (bytesPerSec / 1e9).toFixed(2);

// (1) Prefilter on 100 MB of error-free frames: half encrypted (random), half TL plaintext.
const frames: Uint8Array[] = [];
let total = 0;
const random = randomBytes(64 * 1024 * 1024);
let ri = 0;
let plainIndex = 0;
while (total < 100 * 1024 * 1024) {
  let f: Uint8Array;
  if (frames.length % 2 === 0) {
    const size = 64 + ((frames.length * 7919) % 16384);
    if (ri + size > random.length) ri = 0;
    f = random.subarray(ri, ri + size);
    ri += size;
  } else {
    f = plainFrame(plainIndex++);
  }
  if (!errorFree(f)) continue;
  frames.push(f);
  total += f.length;
}
const single = new Uint8Array(total);
{
  let o = 0;
  for (const f of frames) {
    single.set(f, o);
    o += f.length;
  }
}
if (mayContainRpcError(single)) throw new Error('prefilter hit on the concatenated frames');
const [prefilterRate, singleRate] = race(total, [
  () => {
    let hits = 0;
    for (const f of frames) if (mayContainRpcError(f)) hits++;
    if (hits !== 0) throw new Error('prefilter hit on error-free frames');
  },
  () => {
    mayContainRpcError(single);
  },
]);
console.log(
  `prefilter (Node): ${gb(prefilterRate.median)} GB/s ${spread(prefilterRate, gb)} over ${frames.length} error-free frames (${(total / 1048576).toFixed(0)} MB, half encrypted, half TL plaintext); ${gb(singleRate.median)} GB/s as one buffer  [target >= 1 GB/s]`,
);

// (2) Full decoding of error-bearing messages, ours vs mtcute's generated reader.
const errorFrames = Array.from({ length: 50_000 }, (_, i) => errorMessage(i, false));
const errorBytes = errorFrames.reduce((n, f) => n + f.length, 0);
let found = 0;
const [oursRate, mtcuteRate] = race(errorBytes, [
  () => {
    found = 0;
    for (const f of errorFrames) found += decodeDecryptedMessage(f, { direction: 'in' }).rpcErrors.length;
    if (found !== errorFrames.length) throw new Error(`expected ${errorFrames.length} errors, found ${found}`);
  },
  () => {
    for (const f of errorFrames) mtcuteDecode(f);
  },
]);
const verdict = oursRate.median >= 100e6 && oursRate.median > mtcuteRate.median ? 'met' : 'NOT met';
console.log(
  `full decode (error-bearing containers, ${errorFrames.length} msgs, ${(errorBytes / 1048576).toFixed(1)} MB), medians of ${ROUNDS} alternating rounds: ` +
    `ours ${mb(oursRate.median)} MB/s ${spread(oursRate, mb)} | @mtcute/tl reader ${mb(mtcuteRate.median)} MB/s ${spread(mtcuteRate, mb)}; ` +
    `${(oursRate.median / mtcuteRate.median).toFixed(1)}x  [target >= 100 MB/s and faster than mtcute: ${verdict}]`,
);

const gzFrames = Array.from({ length: 5_000 }, (_, i) => errorMessage(i, true));
const gzBytes = gzFrames.reduce((n, f) => n + f.length, 0);
const [gzRate] = race(gzBytes, [
  () => {
    for (const f of gzFrames) if (decodeDecryptedMessage(f, { direction: 'in' }).rpcErrors.length !== 1) throw new Error('gzip decode failed');
  },
]);
console.log(
  `full decode with gzip_packed rpc_error (${gzFrames.length} msgs): ours ${mb(gzRate.median)} MB/s (${(((gzRate.median / gzBytes) * gzFrames.length) / 1000).toFixed(0)}k msgs/s)`,
);

// (3) Stream decoder over an obfuscated connection: AES-CTR dominates.
{
  const stream = randomBytes(4100 * 4096);
  // Intermediate frames of 4 KB encrypted payloads.
  for (let o = 0; o < stream.length; o += 4100) {
    stream.writeUInt32LE(4096, o);
    stream[o + 4] |= 1;
  }
  const { AesCtr } = await import('../src/core/mtproto/crypto/aes.ts');
  const ctr = new AesCtr(randomBytes(32), randomBytes(16));
  const [rate, aesRate] = race(stream.length, [
    () => {
      const frames = createStreamDecoder({ transport: 'intermediate' }).push('in', stream).frames;
      if (frames.length !== 4096) throw new Error(`expected 4096 frames, got ${frames.length}`);
    },
    () => {
      ctr.decryptAt(0, stream);
    },
  ]);
  console.log(
    `stream decoder, plain intermediate framing of 4 KB encrypted frames: ${mb(rate.median)} MB/s; AES-256-CTR (ours, obfuscation layer): ${mb(aesRate.median)} MB/s`,
  );
}
