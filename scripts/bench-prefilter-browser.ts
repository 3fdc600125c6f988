// The hook's per-message path on 100 MB of realistic error-free binary WebSocket traffic,
// in Chromium (headless, the e2e flags): (a) non-MTProto binary messages through the byte
// prefilter, (b) a plain intermediate MTProto stream of encrypted frames and (c) an
// obfuscated one (AES-256-CTR), both through MtprotoInspector. One message per frame:
// frames of about 1 KB, every 50th about 16-32 KB, every 500th 128 KB. The page code
// (bench-prefilter-page.ts) is bundled with esbuild into a temporary directory and the
// bytes are served from 127.0.0.1; rounds are interleaved across cases, medians printed.
// Run: npx tsx scripts/bench-prefilter-browser.ts [rounds] [megabytes]

import { obfuscationInit } from './obfuscation-init.ts';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { launchPlainContext } from '../e2e/harness/extension-browser.ts';
import { mayContainRpcError } from '../src/core/mtproto/transport/prefilter.ts';
import type { CaseResult } from './bench-prefilter-page.ts';

const ROUNDS = Number(process.argv[2] ?? 7);
const TOTAL = Number(process.argv[3] ?? 100) * 1024 * 1024;
const ROOT = fileURLToPath(new URL('..', import.meta.url));

// ---------- traffic ----------

let seed = 0x2545f491;
const rand = (n: number): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return (seed >>> 8) % n;
};

/** Frame sizes: mostly about 1 KB, some larger. Multiples of 4, as MTProto payloads are. */
function frameSizes(total: number): number[] {
  const sizes: number[] = [];
  let sum = 0;
  for (let i = 0; sum < total; i++) {
    let size: number;
    if (i % 500 === 499) size = 128 * 1024;
    else if (i % 50 === 49) size = 16 * 1024 + rand(4096) * 4;
    else size = 768 + rand(128) * 4;
    size = Math.min(size, total - sum + 4) & ~3;
    sizes.push(size);
    sum += size;
  }
  return sizes;
}

const le32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
};

/** Intermediate frames (4-byte length + encrypted payload: random auth_key_id, msg_key, data). */
function encryptedFrames(sizes: number[]): { bytes: Buffer; messages: number[] } {
  const parts: Buffer[] = [];
  const messages: number[] = [];
  for (const size of sizes) {
    const payload = randomBytes(size - 4);
    payload[0] |= 1; // auth_key_id != 0
    parts.push(le32(payload.length), payload);
    messages.push(size);
  }
  return { bytes: Buffer.concat(parts), messages };
}

/** TL-like plaintext (a container of updates with text and ids) of about `size` bytes. */
function tlPlaintext(size: number, n: number): Buffer {
  const parts: Buffer[] = [le32(0x73f1f8dc), le32(0)];
  let length = 8;
  let count = 0;
  while (length + 96 <= size) {
    const text = Buffer.from(`message ${n}:${count} with some ordinary text in it`.padEnd(44, '.').slice(0, 44));
    const body = Buffer.concat([
      le32(0xf35c6d01),
      le32(n * 100 + count),
      le32(0x65000000),
      le32(0x74ae4240),
      le32(count),
      le32(1_700_000_000 + count),
      le32(0),
      Buffer.of(text.length),
      text,
      Buffer.alloc(3),
    ]);
    const message = Buffer.concat([le32(n * 8 + count), le32(0x66000000), le32(1 + 2 * count), le32(body.length), body]);
    parts.push(message);
    length += message.length;
    count++;
  }
  parts[1] = le32(count);
  parts.push(randomBytes(size - length));
  return Buffer.concat(parts);
}

/** Non-MTProto binary messages: half encrypted-looking (random), half TL plaintext; none holds an error. */
function otherBinary(sizes: number[]): { bytes: Buffer; messages: number[] } {
  const parts: Buffer[] = [];
  sizes.forEach((size, n) => {
    let message: Buffer;
    do message = n % 2 === 0 ? randomBytes(size) : tlPlaintext(size, n);
    while (mayContainRpcError(message));
    parts.push(message);
  });
  return { bytes: Buffer.concat(parts), messages: sizes };
}

interface Case {
  name: string;
  title: string;
  head: Buffer;
  bytes: Buffer;
  sizes: Int32Array;
}

function makeCases(): Case[] {
  const sizes = frameSizes(TOTAL);
  const other = otherBinary(sizes);
  const plain = encryptedFrames(sizes);
  const obf = obfuscationInit();
  const obfuscated = obf.toClient.update(encryptedFrames(sizes).bytes);
  const int32 = (values: number[]) => new Int32Array(values);
  return [
    {
      name: 'prefilter',
      title: '(a) byte prefilter, non-MTProto binary messages',
      head: Buffer.from('{"hello":"a binary protocol that is not MTProto, long enough to pass sixty-four bytes"}'),
      bytes: other.bytes,
      sizes: int32(other.messages),
    },
    {
      name: 'intermediate',
      title: '(b) MTProto inspector, plain intermediate, encrypted frames',
      head: le32(0xeeeeeeee),
      bytes: plain.bytes,
      sizes: int32(plain.messages),
    },
    {
      name: 'obfuscated',
      title: '(c) MTProto inspector, obfuscated intermediate (AES-CTR), encrypted frames',
      head: obf.wire,
      bytes: obfuscated,
      sizes: int32(sizes),
    },
  ];
}

// ---------- page ----------

function bundle(dir: string): string {
  const out = join(dir, 'page.js');
  execFileSync(
    join(ROOT, 'node_modules/.bin/esbuild'),
    [join(ROOT, 'scripts/bench-prefilter-page.ts'), '--bundle', '--format=iife', '--target=es2022', `--outfile=${out}`, '--log-level=warning'],
    { stdio: 'inherit' },
  );
  return readFileSync(out, 'utf8');
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-prefilter-'));
  const script = bundle(dir);
  const cases = makeCases();
  const files = new Map<string, Buffer>();
  for (const c of cases) {
    files.set(`/data/${c.name}.head`, c.head);
    files.set(`/data/${c.name}.bin`, c.bytes);
    files.set(`/data/${c.name}.sizes`, Buffer.from(c.sizes.buffer));
  }
  const server = createServer((req, res) => {
    const body = req.url === '/page.js' ? Buffer.from(script) : files.get(req.url ?? '');
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>prefilter bench</title><script src="/page.js"></script>');
    } else if (body) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await launchPlainContext(true);
  try {
    const page = await context.newPage();
    await page.goto(`${base}/`);
    type Bench = { load(name: string): Promise<number>; run(name: string): CaseResult };
    for (const c of cases) await page.evaluate((name) => (globalThis as unknown as { prefilterBench: Bench }).prefilterBench.load(name), c.name);
    const results = new Map<string, CaseResult[]>(cases.map((c) => [c.name, []]));
    // One warm-up round, then interleaved rounds so machine load drifts over all cases alike.
    for (let round = -1; round < ROUNDS; round++) {
      for (const c of cases) {
        const r = await page.evaluate((name) => (globalThis as unknown as { prefilterBench: Bench }).prefilterBench.run(name), c.name);
        if (r.hits !== 0) throw new Error(`${c.name}: ${r.hits} hits on error-free traffic`);
        if (round >= 0) results.get(c.name)!.push(r);
      }
    }
    for (const c of cases) {
      const rs = results.get(c.name)!;
      const rates = rs.map((r) => r.bytes / (r.ms / 1000) / 1e9);
      const r0 = rs[0];
      const ms = median(rs.map((r) => r.ms));
      console.log(
        `${c.title}: ${median(rates).toFixed(2)} GB/s median of ${rs.length} (min ${Math.min(...rates).toFixed(2)}, max ${Math.max(...rates).toFixed(2)}); ` +
          `${(r0.bytes / 1048576).toFixed(0)} MB in ${r0.messages} messages, ${((ms * 1000) / r0.messages).toFixed(2)} µs/message  [target >= 1 GB/s]`,
      );
    }
  } finally {
    await context.close();
    server.closeAllConnections();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
