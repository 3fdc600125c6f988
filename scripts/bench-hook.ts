// Cost of the extension to a page on error-free MTProto traffic. One run, two browsers:
// Debian's Chromium with the BUILT extension (dist/, as e2e loads it) and the same Chromium
// without it, driven over --remote-debugging-pipe with nothing attached to the pages (see
// pipe-browser.ts: Playwright's own instrumentation would cost the page more than we do).
// A local WebSocket server on 127.0.0.1 sends 100,000 binary messages of 1 KB, each an
// intermediate-transport frame of an encrypted message (auth_key_id != 0): once as a plain
// intermediate stream (client tag 0xeeeeeeee), once obfuscated (64-byte init, AES-256-CTR).
// Each stream is read by the page in both usual ways, its onmessage handler and a listener
// it adds: the hook reads messages differently in the two (see socket-message-reader.ts).
// The server writes the whole pre-built stream at once, so what is timed is the browser
// receiving and dispatching: the page times first to last message with performance.now()
// and posts the figure back. Rounds are interleaved (stream x browser, order alternating);
// the overhead is the median of the paired rounds' ratios, with a bootstrap interval.
// Beside wall time: the CPU time the browser's processes spent over each round (CDP
// SystemInfo.getProcessInfo), of the renderers (the page's, and the extension's) and of
// all of them: what the page costs the machine.
// Each round is a fresh page that opens its socket 1 s after load, so the flood does not
// overlap the page's own start (nor the extension's per-page setup, which CPU time counts).
// With BENCH_HOOK_SYNTHETIC=1, a second figure dispatches the same messages synthetically
// on an open socket, apart from the network stack. The hook reads only the browser's own
// events, so that figure is the cost of its wrappers around the page's functions.
// Run: npm run build && npx tsx scripts/bench-hook.ts [messages] [rounds]
//   BENCH_HOOK_SETTLE_MS=n  the wait before the socket opens (default 1000)
//   BENCH_HOOK_DIST=dir     measure another build than dist/
//   BENCH_HOOK_AGAINST=dir  compare with that build instead of no extension (a before/after);
//                           BENCH_HOOK_AGAINST=noop-hook compares with this build whose page hook
//                           does nothing (a bare Proxy of WebSocket, so the page still reads as hooked):
//                           the hook's own cost, apart from what loading any extension costs
//   BENCH_HOOK_STREAMS=intermediate,obfuscated  BENCH_HOOK_STYLES=onmessage,addEventListener
//                           measure only these cases

import { obfuscationInit } from './obfuscation-init.ts';
import { cpuBetween, PipeBrowser } from './pipe-browser.ts';
import { createHash, randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { assertBuilt, DIST_DIR, extensionArgs } from '../e2e/harness/extension-browser.ts';

const MESSAGES = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 15);
const MESSAGE_BYTES = 1024;
const ROUND_TIMEOUT_MS = 180_000;
const SETTLE_MS = Number(process.env.BENCH_HOOK_SETTLE_MS ?? 1000);

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
  const accept = createHash('sha1')
    .update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')
    .digest('base64');
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

type ListenerStyle = 'onmessage' | 'addEventListener';
const STYLES = (process.env.BENCH_HOOK_STYLES?.split(',') ?? ['onmessage', 'addEventListener']) as ListenerStyle[];
const STREAMS = process.env.BENCH_HOOK_STREAMS?.split(',') ?? ['intermediate', 'obfuscated'];
const SYNTHETIC = process.env.BENCH_HOOK_SYNTHETIC === '1';

/** One measured situation: a stream, read by the page in one style. */
interface Case {
  stream: Stream;
  style: ListenerStyle;
  label: string;
}

interface RoundConfig {
  id: number;
  mode: 'network' | 'synthetic';
  /** How the page reads messages: its onmessage handler, or a listener it adds. */
  style: ListenerStyle;
  ws: string;
  raw: string;
  head: number[];
  expected: number;
  size: number;
  settleMs: number;
}

/** The round's page: it runs the round on load and posts { ms, ok } to /result/<id>. */
function roundPage(config: RoundConfig): string {
  const script = `(() => {
  const cfg = ${JSON.stringify(config)};
  // The hook's WebSocket is a Proxy, whose source text has no name: proof of what was measured.
  const hooked = !Function.prototype.toString.call(WebSocket).includes('WebSocket');
  const post = (body) => fetch('/result/' + cfg.id, { method: 'POST', body: JSON.stringify({ ...body, hooked }) });
  const fail = (error) => post({ error: String(error) });
  if (cfg.mode === 'network') setTimeout(network, cfg.settleMs);
  else synthetic();
  function network() {
    const socket = new WebSocket(cfg.ws);
    socket.binaryType = 'arraybuffer';
    let received = 0, first = 0, bytes = 0;
    socket.onopen = () => socket.send(new Uint8Array(cfg.head));
    socket.onerror = () => fail('websocket error');
    listen(socket, (event) => {
      if (received === 0) first = performance.now();
      bytes += event.data.byteLength;
      if (++received === cfg.expected) {
        const ms = performance.now() - first;
        socket.close();
        post({ ms, ok: bytes === cfg.expected * cfg.size });
      }
    });
  }
  function listen(socket, handler) {
    if (cfg.style === 'onmessage') socket.onmessage = handler;
    else socket.addEventListener('message', handler);
  }
  async function synthetic() {
    try {
      const all = await (await fetch(cfg.raw)).arrayBuffer();
      const messages = [];
      for (let i = 0; i < cfg.expected; i++) messages.push(all.slice(i * cfg.size, (i + 1) * cfg.size));
      const socket = new WebSocket(cfg.ws);
      socket.binaryType = 'arraybuffer';
      await new Promise((resolve) => (socket.onopen = resolve));
      socket.send(new Uint8Array(cfg.head));
      let bytes = 0;
      listen(socket, (event) => { bytes += event.data.byteLength; });
      const start = performance.now();
      for (let i = 0; i < messages.length; i++) socket.dispatchEvent(new MessageEvent('message', { data: messages[i] }));
      const ms = performance.now() - start;
      socket.close();
      post({ ms, ok: bytes === messages.length * cfg.size });
    } catch (error) {
      fail(error);
    }
  }
})();`;
  return `<!doctype html><title>hook bench</title><script>${script}</script>`;
}

interface RoundResult {
  hooked: boolean;
  ms?: number;
  ok?: boolean;
  error?: string;
}

class BenchServer {
  private readonly pages = new Map<string, string>();
  private readonly waiting = new Map<number, (result: RoundResult) => void>();
  private readonly sockets = new Set<Socket>();
  private nextId = 1;
  private readonly server;
  base = '';

  constructor(private readonly streams: Stream[]) {
    const raw = new Map(streams.map((s) => [`/raw/${s.name}`, s.payloads]));
    this.server = createServer((req, res) => {
      const url = req.url ?? '';
      if (req.method === 'POST' && url.startsWith('/result/')) {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString()));
        req.on('end', () => {
          res.end();
          this.waiting.get(Number(url.slice('/result/'.length)))?.(JSON.parse(body) as RoundResult);
        });
        return;
      }
      const page = this.pages.get(url);
      const bytes = raw.get(url);
      res.writeHead(page || bytes ? 200 : 404, { 'content-type': bytes ? 'application/octet-stream' : 'text/html' });
      res.end(page ?? bytes ?? '');
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server.on('upgrade', (req, socket) => upgrade(streams, req, socket as Socket));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A page for one round, and the promise of its result. */
  round({ stream, style }: Case, mode: RoundConfig['mode']): { url: string; result: Promise<RoundResult> } {
    const id = this.nextId++;
    const ws = this.base.replace('http', 'ws') + (mode === 'network' ? `/flood/${stream.name}` : '/idle');
    const config: RoundConfig = {
      id,
      mode,
      style,
      ws,
      raw: `/raw/${stream.name}`,
      head: [...stream.head],
      expected: MESSAGES,
      size: MESSAGE_BYTES,
      settleMs: SETTLE_MS,
    };
    const path = `/round/${id}`;
    this.pages.set(path, roundPage(config));
    const result = new Promise<RoundResult>((resolve, reject) => {
      const forget = (): void => {
        this.waiting.delete(id);
        this.pages.delete(path);
      };
      const timer = setTimeout(() => {
        forget();
        reject(new Error(`round ${id} (${stream.name}, ${style}, ${mode}) timed out`));
      }, ROUND_TIMEOUT_MS);
      this.waiting.set(id, (value) => {
        clearTimeout(timer);
        forget();
        resolve(value);
      });
    });
    // A round that fails before it awaits this (a browser call throwing) must not leave a
    // rejection nobody handles.
    result.catch(() => undefined);
    return { url: this.base + path, result };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---------- rounds ----------

interface Round {
  /** First to last message received (network), or the dispatch loop (synthetic), as the page timed it. */
  ms: number;
  /** CPU milliseconds of the renderers, and of all the browser's processes, over the round. */
  rendererCpuMs: number;
  allCpuMs: number;
}

async function runRound(browser: PipeBrowser, hooked: boolean, server: BenchServer, testCase: Case, mode: RoundConfig['mode']): Promise<Round> {
  const { url, result } = server.round(testCase, mode);
  const before = await browser.cpu();
  const target = await browser.open(url);
  try {
    const outcome = await result;
    const spent = cpuBetween(before, await browser.cpu());
    if (outcome.error || !outcome.ok || outcome.ms === undefined) throw new Error(`round failed: ${outcome.error ?? 'wrong byte count'}`);
    if (outcome.hooked !== hooked) throw new Error(`the page was ${outcome.hooked ? '' : 'not '}hooked, against the plan`);
    return { ms: outcome.ms, rendererCpuMs: spent.renderer * 1000, allCpuMs: spent.all * 1000 };
  } finally {
    await browser.closeTarget(target);
  }
}

// ---------- report ----------

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const list = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');

/**
 * 90 % bootstrap interval of the median of `values` (rounds resampled with replacement; a
 * fixed-seed generator, so the same rounds give the same interval).
 */
function medianInterval(values: number[]): [number, number] {
  let seed = 0x9e3779b9;
  const random = (): number => {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return seed / 2 ** 32;
  };
  const medians: number[] = [];
  for (let i = 0; i < 2000; i++) medians.push(median(values.map(() => values[Math.floor(random() * values.length)])));
  medians.sort((a, b) => a - b);
  return [medians[Math.floor(medians.length * 0.05)], medians[Math.floor(medians.length * 0.95)]];
}

/**
 * Medians with and without, and the overhead as the median of the rounds' paired ratios
 * (the two browsers' rounds run back to back, so a drift in machine load cancels out) with
 * its 90 % interval. The target is met when the whole interval is under it.
 */
function line(what: string, without: number[], withExt: number[], target?: number): string {
  const a = median(without);
  const b = median(withExt);
  const ratios = without.map((w, i) => (withExt[i] / w - 1) * 100);
  const paired = median(ratios);
  const [low, high] = medianInterval(ratios);
  const verdict =
    target === undefined ? '' : `  [target <= ${target} %: ${high <= target ? 'met' : low > target ? 'NOT met' : 'not shown (the interval spans it)'}]`;
  const noise = ((Math.max(...without) - Math.min(...without)) / a) * 100;
  return (
    `${what}: without ${a.toFixed(0)} ms, with extension ${b.toFixed(0)} ms; overhead ${paired.toFixed(1)} % ` +
    `(90 % interval ${low.toFixed(1)} to ${high.toFixed(1)} %; ${(((b - a) / MESSAGES) * 1000).toFixed(2)} µs/message; ` +
    `spread of rounds without ±${(noise / 2).toFixed(0)} %)${verdict}\n` +
    `    rounds without [${list(without)}]  with [${list(withExt)}]`
  );
}

/** A copy of the build whose page hook only wraps WebSocket in a Proxy without traps. */
function noopHookCopy(distDir: string): string {
  assertBuilt(distDir);
  const copy = mkdtempSync(join(tmpdir(), 'bench-noop-hook-'));
  cpSync(distDir, copy, { recursive: true });
  writeFileSync(join(copy, 'src/hook/main.js'), '(() => { window.WebSocket = new Proxy(WebSocket, {}); })();\n');
  return copy;
}

async function main(): Promise<void> {
  const distDir = process.env.BENCH_HOOK_DIST ?? DIST_DIR;
  const noopCopy = process.env.BENCH_HOOK_AGAINST === 'noop-hook' ? noopHookCopy(distDir) : undefined;
  const againstDir = noopCopy ?? process.env.BENCH_HOOK_AGAINST;
  assertBuilt(distDir);
  if (againstDir) assertBuilt(againstDir);
  const streams = makeStreams();
  const server = new BenchServer(streams);
  await server.listen();
  let withExtension: PipeBrowser | null = null;
  let baseline: PipeBrowser | null = null;
  const baselineLabel = noopCopy ? 'the same extension with a page hook that does nothing' : againstDir ? `with ${againstDir}` : 'without';
  try {
    withExtension = await PipeBrowser.launch(extensionArgs(distDir, false));
    baseline = await PipeBrowser.launch(againstDir ? extensionArgs(againstDir, false) : []);
    const browsers = [
      { label: 'without', browser: baseline, hooked: againstDir !== undefined },
      { label: 'with', browser: withExtension, hooked: true },
    ] as const;
    type Series = Record<'wall' | 'rendererCpu' | 'allCpu' | 'synthetic', number[]>;
    const cases: Case[] = streams
      .filter((s) => STREAMS.includes(s.name))
      .flatMap((stream) => STYLES.map((style) => ({ stream, style, label: `${stream.name}, read by ${style}` })));
    const results = new Map<string, Series>();
    for (const c of cases) for (const b of browsers) results.set(`${c.label}/${b.label}`, { wall: [], rendererCpu: [], allCpu: [], synthetic: [] });
    // Warm-up: one round of each kind in each browser.
    for (const c of cases)
      for (const b of browsers) {
        await runRound(b.browser, b.hooked, server, c, 'network');
        if (SYNTHETIC) await runRound(b.browser, b.hooked, server, c, 'synthetic');
      }
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of cases) {
        // Alternate which browser goes first, so a drift in machine load favours neither.
        const order = round % 2 === 0 ? browsers : [...browsers].reverse();
        for (const b of order) {
          const r = await runRound(b.browser, b.hooked, server, c, 'network');
          const slot = results.get(`${c.label}/${b.label}`)!;
          slot.wall.push(r.ms);
          slot.rendererCpu.push(r.rendererCpuMs);
          slot.allCpu.push(r.allCpuMs);
        }
        if (SYNTHETIC)
          for (const b of order) results.get(`${c.label}/${b.label}`)!.synthetic.push((await runRound(b.browser, b.hooked, server, c, 'synthetic')).ms);
      }
    }
    console.log(
      `${MESSAGES} binary WebSocket messages of ${MESSAGE_BYTES} B (encrypted MTProto frames) from 127.0.0.1, ${ROUNDS} interleaved rounds, ` +
        `medians; "without" is ${baselineLabel}:`,
    );
    for (const c of cases) {
      const without = results.get(`${c.label}/without`)!;
      const withExt = results.get(`${c.label}/with`)!;
      console.log(line(`  ${c.label}: first to last message`, without.wall, withExt.wall, 5));
      console.log(line(`  ${c.label}: CPU time of the renderers (the page's, and the extension's)`, without.rendererCpu, withExt.rendererCpu, 5));
      console.log(line(`  ${c.label}: CPU time of all the browser's processes`, without.allCpu, withExt.allCpu));
      if (SYNTHETIC)
        console.log(
          line(`  ${c.label}: synthetic dispatch on an open socket (page-made events, not read: the wrappers' cost)`, without.synthetic, withExt.synthetic),
        );
    }
  } finally {
    for (const browser of [withExtension, baseline]) await browser?.close().catch(() => undefined);
    await server.close();
    if (noopCopy) rmSync(noopCopy, { recursive: true, force: true });
  }
}

await main();
