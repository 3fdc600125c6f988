// Cost of the extension to a page on error-free MTProto traffic. One run, two browsers:
// Chromium with the BUILT extension (dist/, as e2e loads it) and a plain Chromium. A local
// WebSocket server on 127.0.0.1 sends 100,000 binary messages of 1 KB, each an
// intermediate-transport frame of an encrypted message (auth_key_id != 0): once as a plain
// intermediate stream (client tag 0xeeeeeeee), once obfuscated (64-byte init, AES-256-CTR).
// The server writes the whole pre-built stream at once, so what is timed is the browser
// receiving and dispatching: the page times first to last message with performance.now().
// Rounds are interleaved (stream x browser, order alternating), medians are printed, and
// for each round the page's main-thread script and busy time (CDP Performance.getMetrics:
// ScriptDuration, TaskDuration), which machine load disturbs less than wall time.
// A second figure dispatches the same messages synthetically on an open socket, which
// isolates the in-page cost from the network stack (the hook's listener runs for them too).
// Run: npm run build && npx tsx scripts/bench-hook.ts [messages] [rounds]   (BENCH_HOOK_DIST=dir: another build)

import { obfuscationInit } from './obfuscation-init.ts';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { assertBuilt, launchExtensionContext, launchPlainContext } from '../e2e/extension-browser.ts';

const MESSAGES = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 7);
const MESSAGE_BYTES = 1024;

// ---------- streams ----------

interface Stream {
  name: 'intermediate' | 'obfuscated';
  /** What the client sends first: the transport tag, or the obfuscation init. */
  head: Buffer;
  /** The server's messages, concatenated (MESSAGE_BYTES each). */
  payloads: Buffer;
  /** The same as WebSocket frames, ready to write. */
  wire: Buffer;
}

/** Intermediate frames of MESSAGE_BYTES: 4-byte length, then an encrypted message (random, auth_key_id != 0). */
function encryptedFrames(count: number): Buffer {
  const bytes = randomBytes(count * MESSAGE_BYTES);
  for (let i = 0; i < count; i++) {
    const at = i * MESSAGE_BYTES;
    bytes.writeUInt32LE(MESSAGE_BYTES - 4, at);
    bytes[at + 4] |= 1;
  }
  return bytes;
}

/** Unmasked binary WebSocket frames (server to client), one per message. */
function wsFrames(payloads: Buffer, size: number): Buffer {
  const count = payloads.length / size;
  const header = size < 126 ? 2 : 4;
  const wire = Buffer.alloc(count * (header + size));
  for (let i = 0; i < count; i++) {
    const at = i * (header + size);
    wire[at] = 0x82;
    if (header === 2) wire[at + 1] = size;
    else {
      wire[at + 1] = 126;
      wire.writeUInt16BE(size, at + 2);
    }
    payloads.copy(wire, at + header, i * size, (i + 1) * size);
  }
  return wire;
}

function makeStreams(): Stream[] {
  const plain = encryptedFrames(MESSAGES);
  const tag = Buffer.alloc(4, 0xee);
  // Obfuscated intermediate: the server's direction is keyed by the reversed init.
  const { wire: head, toClient } = obfuscationInit();
  const obfuscated = toClient.update(encryptedFrames(MESSAGES));
  return [
    { name: 'intermediate', head: tag, payloads: plain, wire: wsFrames(plain, MESSAGE_BYTES) },
    { name: 'obfuscated', head, payloads: obfuscated, wire: wsFrames(obfuscated, MESSAGE_BYTES) },
  ];
}

// ---------- server ----------

/** A minimal WebSocket endpoint: handshake, then the whole stream once the client's first frame arrives. */
function upgrade(streams: Stream[], req: IncomingMessage, socket: Socket): void {
  const key = req.headers['sec-websocket-key'];
  if (typeof key !== 'string') {
    socket.destroy();
    return;
  }
  const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
  socket.setNoDelay(true);
  socket.on('error', () => undefined);
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
  const stream = streams.find((s) => req.url === `/flood/${s.name}`);
  let started = false;
  socket.on('data', (chunk: Buffer) => {
    // A close frame from the client (opcode 8): close the TCP connection.
    if (started && (chunk[0] & 0x0f) === 8) {
      socket.end();
      return;
    }
    if (started || !stream) return;
    started = true;
    socket.write(stream.wire);
  });
}

// ---------- rounds ----------

interface Round {
  /** First to last message received by the page. */
  wallMs: number;
  /** The page's main-thread script time over the round (CDP ScriptDuration). */
  scriptMs: number;
  /** The page's main-thread busy time over the round, script or not (CDP TaskDuration). */
  taskMs: number;
}

async function metric(cdp: CDPSession, name: string): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return metrics.find((m) => m.name === name)?.value ?? 0;
}

async function networkRound(context: BrowserContext, base: string, stream: Stream): Promise<Round> {
  const page = await context.newPage();
  try {
    await page.goto(`${base}/`);
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const scriptBefore = await metric(cdp, 'ScriptDuration');
    const taskBefore = await metric(cdp, 'TaskDuration');
    const wallMs = await page.evaluate(
      ({ url, head, expected, size }) =>
        new Promise<number>((resolve, reject) => {
          const socket = new WebSocket(url);
          socket.binaryType = 'arraybuffer';
          let received = 0;
          let first = 0;
          let bytes = 0;
          socket.onopen = () => socket.send(new Uint8Array(head));
          socket.onerror = () => reject(new Error('websocket error'));
          socket.onmessage = (event) => {
            if (received === 0) first = performance.now();
            bytes += (event.data as ArrayBuffer).byteLength;
            if (++received === expected) {
              const elapsed = performance.now() - first;
              socket.close();
              resolve(bytes === expected * size ? elapsed : -1);
            }
          };
        }),
      { url: `${base.replace('http', 'ws')}/flood/${stream.name}`, head: [...stream.head], expected: MESSAGES, size: MESSAGE_BYTES },
    );
    if (wallMs < 0) throw new Error('the page received the wrong number of bytes');
    const scriptMs = ((await metric(cdp, 'ScriptDuration')) - scriptBefore) * 1000;
    const taskMs = ((await metric(cdp, 'TaskDuration')) - taskBefore) * 1000;
    await cdp.detach();
    return { wallMs, scriptMs, taskMs };
  } finally {
    await page.close();
  }
}

/**
 * A page holding the stream's messages as ArrayBuffers (fetched once), on which each round
 * opens a socket, sends the head and dispatches the messages as MessageEvents: the in-page
 * cost only, without the network stack.
 */
async function syntheticPage(context: BrowserContext, base: string, stream: Stream): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.evaluate(
    async ({ raw, count, size }) => {
      const all = await (await fetch(raw)).arrayBuffer();
      const messages: ArrayBuffer[] = [];
      for (let i = 0; i < count; i++) messages.push(all.slice(i * size, (i + 1) * size));
      (globalThis as unknown as { benchMessages: ArrayBuffer[] }).benchMessages = messages;
    },
    { raw: `${base}/raw/${stream.name}`, count: MESSAGES, size: MESSAGE_BYTES },
  );
  return page;
}

async function syntheticRound(page: Page, base: string, stream: Stream): Promise<number> {
  return page.evaluate(
    async ({ url, head, size }) => {
      const messages = (globalThis as unknown as { benchMessages: ArrayBuffer[] }).benchMessages;
      const socket = new WebSocket(url);
      socket.binaryType = 'arraybuffer';
      await new Promise((resolve) => (socket.onopen = resolve));
      socket.send(new Uint8Array(head));
      let bytes = 0;
      socket.onmessage = (event) => {
        bytes += (event.data as ArrayBuffer).byteLength;
      };
      const start = performance.now();
      for (let i = 0; i < messages.length; i++) socket.dispatchEvent(new MessageEvent('message', { data: messages[i] }));
      const elapsed = performance.now() - start;
      socket.close();
      return bytes === messages.length * size ? elapsed : -1;
    },
    { url: `${base.replace('http', 'ws')}/idle`, head: [...stream.head], size: MESSAGE_BYTES },
  );
}

// ---------- report ----------

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');

/** Medians with and without, their difference, and the median of the rounds' paired ratios (rounds run back to back). */
function line(what: string, without: number[], withExt: number[], target?: number): string {
  const a = median(without);
  const b = median(withExt);
  const pct = ((b - a) / a) * 100;
  const paired = median(without.map((w, i) => (withExt[i] / w - 1) * 100));
  const verdict = target === undefined ? '' : `  [target <= ${target} %: ${pct <= target ? 'met' : 'NOT met'}]`;
  const noise = ((Math.max(...without) - Math.min(...without)) / a) * 100;
  return (
    `${what}: without ${a.toFixed(0)} ms, with extension ${b.toFixed(0)} ms, overhead ${pct.toFixed(1)} % ` +
    `(${(((b - a) / MESSAGES) * 1000).toFixed(2)} µs/message; median of paired rounds ${paired.toFixed(1)} %; spread without ±${(noise / 2).toFixed(0)} %)${verdict}\n` +
    `    rounds without [${list(without)}]  with [${list(withExt)}]`
  );
}

async function main(): Promise<void> {
  assertBuilt(process.env.BENCH_HOOK_DIST);
  const streams = makeStreams();
  const raw = new Map(streams.map((s) => [`/raw/${s.name}`, s.payloads]));
  const server = createServer((req, res) => {
    const body = raw.get(req.url ?? '');
    res.writeHead(200, { 'content-type': body ? 'application/octet-stream' : 'text/html' });
    res.end(body ?? '<!doctype html><title>hook bench</title>');
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket) => upgrade(streams, req, socket as Socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // BENCH_HOOK_DIST: another build to measure (e.g. an older commit's dist/ for a before/after).
  const distDir = process.env.BENCH_HOOK_DIST;
  const withExtension = await launchExtensionContext(distDir ? { distDir } : {});
  const plain = await launchPlainContext();
  try {
    const browsers = [
      { label: 'without', context: plain },
      { label: 'with', context: withExtension },
    ] as const;
    const results = new Map<string, { wall: number[]; script: number[]; task: number[]; synthetic: number[] }>();
    for (const s of streams) for (const b of browsers) results.set(`${s.name}/${b.label}`, { wall: [], script: [], task: [], synthetic: [] });
    const synthetic = new Map<string, Page>();
    for (const s of streams) for (const b of browsers) synthetic.set(`${s.name}/${b.label}`, await syntheticPage(b.context, base, s));
    // Warm-up: one round of each kind in each browser.
    for (const s of streams) for (const b of browsers) {
      await networkRound(b.context, base, s);
      await syntheticRound(synthetic.get(`${s.name}/${b.label}`)!, base, s);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of streams) {
        // Alternate which browser goes first, so a drift in machine load favours neither.
        const order = round % 2 === 0 ? browsers : [...browsers].reverse();
        for (const b of order) {
          const r = await networkRound(b.context, base, s);
          const slot = results.get(`${s.name}/${b.label}`)!;
          slot.wall.push(r.wallMs);
          slot.script.push(r.scriptMs);
          slot.task.push(r.taskMs);
        }
        for (const b of order) {
          const key = `${s.name}/${b.label}`;
          const ms = await syntheticRound(synthetic.get(key)!, base, s);
          if (ms < 0) throw new Error('synthetic round: wrong byte count');
          results.get(key)!.synthetic.push(ms);
        }
      }
    }
    console.log(`${MESSAGES} binary WebSocket messages of ${MESSAGE_BYTES} B (encrypted MTProto frames) from 127.0.0.1, ${ROUNDS} interleaved rounds, medians:`);
    for (const s of streams) {
      const without = results.get(`${s.name}/without`)!;
      const withExt = results.get(`${s.name}/with`)!;
      console.log(line(`  ${s.name}: first to last message`, without.wall, withExt.wall, 5));
      console.log(line(`  ${s.name}: page main-thread script time`, without.script, withExt.script));
      console.log(line(`  ${s.name}: page main-thread busy time`, without.task, withExt.task));
      console.log(line(`  ${s.name}: synthetic dispatch on an open socket (in-page cost only)`, without.synthetic, withExt.synthetic));
    }
  } finally {
    await withExtension.close();
    await plain.close();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

await main();
