// The page hook's share of the page's main-thread CPU on encrypted MTProto traffic, with and
// without auth keys given for the page's origin, from V8 CPU-profiler samples of one run
// (a ratio within one profile, far steadier on shared machines than wall-clock pairs).
//
// Debian's Chromium with the BUILT extension (dist/), driven over --remote-debugging-pipe;
// the page is attached by a flat CDP session with only the Profiler domain enabled (no
// Network or Runtime instrumentation). A server on 127.0.0.1 (ws) sends each page binary
// messages of 1020 bytes, each one transport frame of an encrypted server message (MTProto
// 2.0 with a fixed auth key, node:crypto): rpc_results and updates, one in ERROR_EVERY an
// rpc_error. Streams: plain intermediate, and obfuscated abridged (Web A's).
// Keys: the server listens on two ports, two origins; the key is given for one of them (in
// the service worker, before any page of that origin loads, as the panel's "Add key" stores
// it), so every page gets its origin's keys from the content script at start; the page
// waits for that hand-over (it listens for the same DOM event). The page reads with
// onmessage; it says over its socket when it is ready and when a phase of the stream has
// arrived: first WARM_MESSAGES ordinary messages (the hook's code gets optimized, as in a
// client that has been running), then, profiled, the measured messages.
// How samples are counted: bench-cpu-profile.ts. Our wrapper reads event.data before the
// page does, so the first read's cost (making the ArrayBuffer's JS object) moves from the
// page's handler to us: a second browser whose hook only wraps WebSocket in a Proxy gives
// the page's own cost, and "net" takes what moved off ours.
// Second figure: the hook's time on a 1 MB encrypted rpc_result (an upload.getFile part),
// the time of our scripts' samples over FRAMES_1MB such messages, after the same warm-up.
// Run: npm run build && npx tsx scripts/bench-hook-cpu.ts [rounds]
//   BENCH_CPU_MESSAGES=n (100000)  BENCH_CPU_INTERVAL_US=n (250)  BENCH_CPU_ERROR_EVERY=n (1000; 0: none)
//   BENCH_CPU_DIST=dir   measure another build than dist/ (an unminified one names functions)
//   BENCH_CPU_SAVE=dir   keep each round's profile there (.cpuprofile: DevTools' Performance panel opens it)

import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { assertBuilt, DIST_DIR, extensionArgs } from '../e2e/harness/extension-browser.ts';
import { HOOK_KEYS_EVENT } from '../src/shared/messages.ts';
import { attribute, type Attribution, type CpuProfile } from './bench-cpu-profile.ts';
import {
  BENCH_AUTH_KEY,
  encryptIncoming,
  rpcError,
  rpcResult,
  serverStream,
  someResult,
  someUpdates,
  uploadFile,
  type ServerStream,
  type StreamSpec,
} from './bench-mtproto-frames.ts';
import { PipeBrowser } from './pipe-browser.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const MESSAGES = Number(process.env.BENCH_CPU_MESSAGES ?? 100_000);
const INTERVAL_US = Number(process.env.BENCH_CPU_INTERVAL_US ?? 250);
const ERROR_EVERY = Number(process.env.BENCH_CPU_ERROR_EVERY ?? 1000);
const WARM_MESSAGES = 3000;
const FRAMES_1MB = 64;
const ROUNDS_1MB = 3;
const INTERVAL_1MB_US = 50;
const SETTLE_MS = 200;
const ROUND_TIMEOUT_MS = 120_000;
const DIST = process.env.BENCH_CPU_DIST ?? DIST_DIR;
const SAVE = process.env.BENCH_CPU_SAVE;

// ---------- traffic ----------

/** 1000 distinct messages, 992 plaintext bytes each (1016 encrypted, 1020 framed): results and updates, one error in ERROR_EVERY. */
function messagePool(): Buffer[] {
  return Array.from({ length: 1000 }, (_, i) => {
    if (ERROR_EVERY > 0 && i % ERROR_EVERY === ERROR_EVERY - 1) return encryptIncoming(rpcResult(BigInt(i), rpcError(420, 'FLOOD_WAIT_7')), 992);
    return encryptIncoming(i % 2 === 0 ? rpcResult(BigInt(i), someResult(932)) : someUpdates(944), 992);
  });
}

const SPECS: Array<StreamSpec & { name: string }> = [
  { name: 'plain intermediate', transport: 'intermediate', obfuscated: false },
  { name: 'obfuscated abridged', transport: 'abridged', obfuscated: true },
];
interface Case {
  spec: StreamSpec & { name: string };
  keys: boolean;
  label: string;
}
const CASES: Case[] = SPECS.flatMap((spec) => [false, true].map((keys) => ({ spec, keys, label: `${spec.name}, ${keys ? 'keys given' : 'no keys'}` })));

// ---------- server: two origins (one with keys), the round pages, the streams ----------

/** What a page says over its socket: ready (with the keys it was handed), then the end of each phase. */
interface PageMessage {
  keyChars?: number;
  hooked?: boolean;
  phase?: number;
  ok?: boolean;
}

interface PendingRound {
  page: string;
  /** The page's messages, in order, and whoever waits for the next. */
  inbox: PageMessage[];
  waiter?: (message: PageMessage) => void;
  fail(error: Error): void;
  /** Sends the next phase of the stream. */
  go?: () => void;
}

/**
 * Pages and sockets. The page talks to the bench over its own WebSocket (a text message at
 * each step), so the profile holds neither a fetch nor the socket's opening, which would run
 * through the hook's wrappers of fetch and WebSocket.
 */
class BenchServer {
  readonly streams = new Map<string, { stream: ServerStream; phases: number[] }>();
  private readonly rounds = new Map<number, PendingRound>();
  private readonly servers = [0, 1].map(() => createServer((req, res) => this.http(req.url ?? '', res)));
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private nextId = 1;
  origins: string[] = [];

  constructor() {
    for (const server of this.servers)
      server.on('upgrade', (req, socket, head) => this.wss.handleUpgrade(req, socket, head, (ws) => this.socket(req.url ?? '', ws)));
  }

  async listen(): Promise<void> {
    for (const server of this.servers) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.origins = this.servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
  }

  private http(url: string, res: ServerResponse): void {
    const [, kind, id, reason] = /^\/(page|fail)\/(\d+)(?:\?(.*))?$/.exec(url) ?? [];
    const round = this.rounds.get(Number(id));
    if (round && kind === 'page') return void res.writeHead(200, { 'content-type': 'text/html' }).end(round.page);
    if (round && kind === 'fail') round.fail(new Error(`the page failed: ${decodeURIComponent(reason ?? '')}`));
    res.writeHead(404).end();
  }

  private socket(url: string, ws: WebSocket): void {
    const params = new URL(url, 'http://x').searchParams;
    const round = this.rounds.get(Number(params.get('id')));
    const entry = this.streams.get(params.get('stream') ?? '');
    ws.on('error', () => undefined);
    if (!round || !entry) return void ws.close();
    const { stream, phases } = entry;
    let sent = 0;
    let phase = 0;
    round.go = () => {
      for (const last = sent + phases[phase++]; sent < last; sent++) ws.send(stream.data.subarray(stream.ends[sent - 1] ?? 0, stream.ends[sent]));
    };
    ws.on('message', (data, isBinary) => {
      if (isBinary) return; // the transport head
      const message = JSON.parse(data.toString()) as PageMessage;
      if (round.waiter) round.waiter(message);
      else round.inbox.push(message);
    });
  }

  /** A round's page on `origin`, reading `stream` phase by phase. */
  round(origin: string, name: string): { url: string; next(): Promise<PageMessage>; go(): void; forget(): void } {
    const id = this.nextId++;
    const { stream, phases } = this.streams.get(name)!;
    const config = { id, path: `/flood?id=${id}&stream=${encodeURIComponent(name)}`, head: [...stream.head], phases, bytes: stream.data.length };
    const round: PendingRound = { page: roundPage(config), inbox: [], fail: () => undefined };
    const failed = new Promise<never>((_, reject) => {
      round.fail = reject;
      setTimeout(() => reject(new Error(`round ${id} (${name}) timed out`)), ROUND_TIMEOUT_MS).unref();
    });
    failed.catch(() => undefined); // a round that failed earlier leaves no unhandled rejection
    this.rounds.set(id, round);
    const next = (): Promise<PageMessage> => {
      const queued = round.inbox.shift();
      if (queued) return Promise.resolve(queued);
      return Promise.race([new Promise<PageMessage>((resolve) => (round.waiter = (m) => ((round.waiter = undefined), resolve(m)))), failed]);
    };
    return { url: `${origin}/page/${id}`, next, go: () => round.go?.(), forget: () => this.rounds.delete(id) };
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    for (const server of this.servers) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }
}

/** Waits for its origin's keys (the content script's hand-over), opens the socket, says it is ready, then reads the stream with onmessage. */
function roundPage(cfg: { id: number; path: string; head: number[]; phases: number[]; bytes: number }): string {
  return `<!doctype html><title>hook cpu bench</title><script>(() => {
  const cfg = ${JSON.stringify(cfg)};
  const hooked = !Function.prototype.toString.call(WebSocket).includes('WebSocket');
  const fail = (error) => fetch('/fail/' + cfg.id + '?' + encodeURIComponent(String(error)));
  let keyChars = -1;
  document.addEventListener(${JSON.stringify(HOOK_KEYS_EVENT)}, (event) => { keyChars = String(event.detail).length; });
  (async () => {
    for (let i = 0; keyChars < 0 && i < 250; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const socket = new WebSocket('ws://' + location.host + cfg.path);
    socket.binaryType = 'arraybuffer';
    let received = 0, bytes = 0, phase = 0, phaseEnd = cfg.phases[0];
    socket.onopen = () => {
      socket.send(new Uint8Array(cfg.head));
      socket.send(JSON.stringify({ keyChars, hooked }));
    };
    socket.onerror = () => fail('websocket error');
    socket.onmessage = (event) => {
      bytes += event.data.byteLength;
      if (++received === phaseEnd) {
        socket.send(JSON.stringify({ phase, ok: phase < cfg.phases.length - 1 || bytes === cfg.bytes }));
        phaseEnd += cfg.phases[++phase];
      }
    };
  })().catch(fail);
})();</script>`;
}

// ---------- browser ----------

/** The extension's id (from its service worker), after storing the bench key for `origin` as the panel's "Add key" does. */
async function giveKey(browser: PipeBrowser, origin: string | null): Promise<string> {
  const deadline = Date.now() + 15_000;
  let worker;
  while (!(worker = (await browser.targets()).find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://')))) {
    if (Date.now() > deadline) throw new Error("the extension's service worker did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  if (origin === null) return new URL(worker.url).host;
  const session = await browser.attach(worker.targetId);
  const entry = { [`keys:${origin}`]: [{ hex: BENCH_AUTH_KEY.toString('hex'), dc: 2, source: 'hex' }] };
  // The worker's globals come a moment after its target: until then chrome is undefined.
  const expression = `typeof chrome === 'object' && chrome.storage ? chrome.storage.session.set(${JSON.stringify(entry)}).then(() => true) : false`;
  while (
    !(await browser.send<{ result: { value?: boolean } }>('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true }, session)).result.value
  ) {
    if (Date.now() > deadline) throw new Error('could not store the key in the service worker');
    await new Promise((r) => setTimeout(r, 100));
  }
  await browser.send('Target.detachFromTarget', { sessionId: session });
  return new URL(worker.url).host;
}

/** One page reading a stream: its warm-up phase unprofiled, then the measured phase under the profiler. */
async function profiledRound(
  browser: PipeBrowser,
  server: BenchServer,
  origin: string,
  keys: boolean,
  stream: string,
  intervalUs: number,
): Promise<CpuProfile> {
  const round = server.round(origin, stream);
  const targetId = await browser.open(round.url);
  try {
    const session = await browser.attach(targetId);
    await browser.send('Profiler.enable', {}, session);
    await browser.send('Profiler.setSamplingInterval', { interval: intervalUs }, session);
    const { keyChars, hooked } = await round.next();
    if (keyChars !== (keys ? 512 : 0)) throw new Error(`the page got ${keyChars} key characters, expected ${keys ? 512 : 0}`);
    if (!hooked) throw new Error('the page was not hooked');
    round.go();
    await round.next();
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    await browser.send('Profiler.start', {}, session);
    round.go();
    const { ok } = await round.next();
    const { profile } = await browser.send<{ profile: CpuProfile }>('Profiler.stop', {}, session);
    if (!ok) throw new Error('the page got a wrong byte count');
    return profile;
  } finally {
    round.forget();
    await browser.closeTarget(targetId);
  }
}

/** A copy of the build whose page hook only wraps WebSocket in a Proxy (as bench-hook.ts's noop-hook). */
function noopHookCopy(hookPath: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'bench-cpu-noop-hook-'));
  cpSync(DIST, copy, { recursive: true });
  writeFileSync(join(copy, hookPath), '(() => { window.WebSocket = new Proxy(WebSocket, {}); })();\n');
  return copy;
}

// ---------- report ----------

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const pct = (v: number) => `${v.toFixed(1)} %`;
const spread = (v: number[], f: (x: number) => string) => `${f(median(v))} [${f(Math.min(...v))} to ${f(Math.max(...v))}]`;
const ours = (a: Attribution) => a.samples.hook + a.samples.content;
const oursMicros = (a: Attribution) => a.micros.hook + a.micros.content;
function verdict(values: number[], target: number): string {
  return Math.max(...values) <= target ? 'met in every round' : median(values) <= target ? 'met by the median' : 'NOT met';
}

/** `pageBaseline`: the page script's µs per message under the no-op hook (same stream). */
function caseLines(c: Case, runs: Attribution[], pageBaseline: number): string {
  const share = (pick: (a: Attribution) => number) => runs.map((a) => (pick(a) / a.total) * 100);
  const raw = share(ours);
  // What moved from the page's handler to ours, as a share of the round's main-thread time.
  const moved = runs.map((a) => Math.max(0, pageBaseline - a.micros.page / MESSAGES));
  const net = runs.map((a, i) => raw[i] - ((moved[i] * MESSAGES) / a.totalMicros) * 100);
  const target = c.keys ? 10 : 5;
  const perMessage = (pick: (a: Attribution) => number) =>
    spread(
      runs.map((a) => pick(a) / MESSAGES),
      (x) => x.toFixed(2),
    );
  return [
    `  ${c.label}: our scripts ${spread(raw, pct)} of the main thread's non-idle samples [target <= ${target} %: ${verdict(raw, target)}]; ` +
      `net of the page's own first event.data read ${spread(net, pct)} [${verdict(net, target)}]`,
    `      hook ${spread(
      share((a) => a.samples.hook),
      pct,
    )}, content script ${spread(
      share((a) => a.samples.content),
      pct,
    )}, ` +
      `a hook frame anywhere in the stack ${spread(
        share((a) => a.hookAnywhere),
        pct,
      )}; page script ${pct(median(share((a) => a.samples.page)))}, ` +
      `(program) ${pct(median(share((a) => a.samples.program)))}, GC ${pct(median(share((a) => a.samples.gc)))}, other ${pct(median(share((a) => a.samples.other)))}`,
    `      µs per message: main thread ${perMessage((a) => a.totalMicros)}, our scripts ${perMessage(oursMicros)}, of which moved from the page ${median(moved).toFixed(2)} ` +
      `(the page's handler: ${pageBaseline.toFixed(2)} under a no-op hook); ${median(runs.map((a) => a.total))} non-idle samples per round`,
  ].join('\n');
}

async function main(): Promise<void> {
  assertBuilt(DIST);
  if (SAVE) mkdirSync(SAVE, { recursive: true });
  const manifest = JSON.parse(readFileSync(`${DIST}/manifest.json`, 'utf8')) as { content_scripts: Array<{ js: string[]; world?: string }> };
  const hookPath = manifest.content_scripts.find((s) => s.world === 'MAIN')!.js[0];
  const server = new BenchServer();
  const pool = messagePool();
  const warm = Array.from({ length: WARM_MESSAGES }, (_, i) => pool[i % pool.length]);
  const bigPart = encryptIncoming(rpcResult(1n, uploadFile(Buffer.alloc(1024 * 1024, 0x5a))));
  for (const s of SPECS) {
    server.streams.set(s.name, {
      stream: serverStream(s, [...warm, ...Array.from({ length: MESSAGES }, (_, i) => pool[i % pool.length])]),
      phases: [WARM_MESSAGES, MESSAGES],
    });
    server.streams.set(`${s.name} 1MB`, { stream: serverStream(s, [...warm, ...Array(FRAMES_1MB).fill(bigPart)]), phases: [WARM_MESSAGES, FRAMES_1MB] });
  }
  await server.listen();
  const [keyedOrigin, plainOrigin] = server.origins;
  const noopDir = noopHookCopy(hookPath);
  const browser = await PipeBrowser.launch(extensionArgs(DIST, false));
  const noopBrowser = await PipeBrowser.launch(extensionArgs(noopDir, false)).catch(async (error) => (await browser.close(), Promise.reject(error)));
  try {
    const extensionId = await giveKey(browser, keyedOrigin);
    const noopId = await giveKey(noopBrowser, null);
    let saved = 0;
    /** A profiled round of case `c` (with the no-op hook when `noop`), its samples attributed. */
    const run = async (c: Case, stream: string, interval: number, noop = false): Promise<Attribution> => {
      const origin = `chrome-extension://${noop ? noopId : extensionId}`;
      for (let attempt = 1; ; attempt++) {
        try {
          const profile = await profiledRound(noop ? noopBrowser : browser, server, c.keys ? keyedOrigin : plainOrigin, c.keys, stream, interval);
          if (SAVE)
            writeFileSync(
              `${SAVE}/${String(++saved).padStart(2, '0')} ${stream}, ${noop ? 'no-op hook' : c.keys ? 'keys' : 'no keys'}.cpuprofile`,
              JSON.stringify(profile),
            );
          return attribute(profile, `${origin}/${hookPath}`, origin);
        } catch (error) {
          if (attempt === 2) throw error;
          console.log(`  (${c.label}${noop ? ', no-op hook' : ''}: ${(error as Error).message}; again)`);
        }
      }
    };
    const baselineCases = CASES.filter((c) => !c.keys);
    const results = new Map<Case, Attribution[]>(CASES.map((c) => [c, []]));
    const baselines = new Map<string, Attribution[]>(SPECS.map((s) => [s.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const c of round % 2 === 0 ? CASES : [...CASES].reverse()) results.get(c)!.push(await run(c, c.spec.name, INTERVAL_US));
      for (const c of baselineCases) baselines.get(c.spec.name)!.push(await run(c, c.spec.name, INTERVAL_US, true));
    }
    const pageMicros = (runs: Attribution[], count: number) => median(runs.map((a) => a.micros.page / count));
    console.log(
      `${MESSAGES} encrypted MTProto messages of 1020 B per page (rpc_results and updates${ERROR_EVERY ? `, 1 in ${ERROR_EVERY} an rpc_error` : ''}) from 127.0.0.1, ` +
        `read by onmessage after ${WARM_MESSAGES} unprofiled ones; V8 CPU profiler on the page's main thread every ${INTERVAL_US} µs; ${ROUNDS} interleaved rounds per case, median [range].\n` +
        `  A sample counts for the script of its innermost frame with a URL (natives count for their caller): "our scripts" = the hook (${hookPath}) ` +
        `and the content script; the total is every non-idle sample, (program) and (garbage collector) included.`,
    );
    for (const c of CASES) console.log(caseLines(c, results.get(c)!, pageMicros(baselines.get(c.spec.name)!, MESSAGES)));

    console.log(
      `One 1 MB upload.getFile part (rpc_result, ${bigPart.length} B encrypted): ${FRAMES_1MB} per page after ${WARM_MESSAGES} ordinary messages, profiled every ${INTERVAL_1MB_US} µs, ` +
        `${ROUNDS_1MB} rounds; our scripts' time per message = the time of their samples / ${FRAMES_1MB} [target < 1 ms]`,
    );
    for (const c of CASES) {
      const runs: Attribution[] = [];
      for (let round = 0; round < ROUNDS_1MB; round++) runs.push(await run(c, `${c.spec.name} 1MB`, INTERVAL_1MB_US));
      const baseline: Attribution[] = [];
      if (!c.keys) for (let round = 0; round < ROUNDS_1MB; round++) baseline.push(await run(c, `${c.spec.name} 1MB`, INTERVAL_1MB_US, true));
      const perFrame = runs.map((a) => oursMicros(a) / FRAMES_1MB);
      console.log(
        `  ${c.label}: our scripts ${spread(perFrame, (x) => `${x.toFixed(0)} µs`)} per message (${median(runs.map(ours))} samples per round) [${Math.max(...perFrame) < 1000 ? 'met' : 'NOT met'}]; ` +
          `the main thread's whole cost ${spread(
            runs.map((a) => a.totalMicros / FRAMES_1MB / 1000),
            (x) => `${x.toFixed(2)} ms`,
          )} per message` +
          (c.keys
            ? ''
            : `; the page's handler ${pageMicros(runs, FRAMES_1MB).toFixed(0)} µs, under a no-op hook ${pageMicros(baseline, FRAMES_1MB).toFixed(0)} µs`),
      );
    }
  } finally {
    for (const b of [browser, noopBrowser]) await b.close().catch(() => undefined);
    await server.close();
    rmSync(noopDir, { recursive: true, force: true });
  }
}

await main();
