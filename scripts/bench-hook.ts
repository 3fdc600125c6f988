// Cost of the page-world hook on error-free traffic: a page receives 100,000 binary
// WebSocket messages of 1 KB, once without and once with the built hook injected
// (addInitScript), several rounds each; prints median times and the overhead.
// End-to-end times include the local server and the network stack and are noisy on a
// busy machine, so the same messages are also dispatched synthetically on an open
// socket: that isolates the in-page cost (our listener runs for synthetic events too).
// Run: npx vite build && npx tsx scripts/bench-hook.ts [messages] [rounds]

import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type CDPSession } from 'playwright-core';
import { WebSocketServer } from 'ws';

const HOOK_BUNDLE = fileURLToPath(new URL('../dist/src/hook/main.js', import.meta.url));
const MESSAGES = Number(process.argv[2] ?? 100_000);
const ROUNDS = Number(process.argv[3] ?? 5);
const MESSAGE_BYTES = 1024;

// Pseudo-random payloads (so the 0x19 scan has realistic candidates) without rpc_error's bytes.
function makePayloads(count: number): Buffer[] {
  let seed = 0x12345678;
  const payloads: Buffer[] = [];
  for (let n = 0; n < count; n++) {
    const bytes = Buffer.alloc(MESSAGE_BYTES);
    for (let i = 0; i < MESSAGE_BYTES; i++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      bytes[i] = seed >>> 24;
      if (i >= 3 && bytes[i - 3] === 0x19 && bytes[i - 2] === 0xca && bytes[i - 1] === 0x44 && bytes[i] === 0x21) bytes[i] = 0;
    }
    payloads.push(bytes);
  }
  return payloads;
}

interface RoundTimes {
  /** Wall time from 'go' to the last message. */
  wallMs: number;
  /** Main-thread JavaScript time of the page over the round (CDP ScriptDuration): robust to machine load. */
  scriptMs: number;
}

async function scriptSeconds(cdp: CDPSession): Promise<number> {
  const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> };
  return metrics.find((m) => m.name === 'ScriptDuration')?.value ?? 0;
}

async function timeRound(context: BrowserContext, base: string): Promise<RoundTimes> {
  const page = await context.newPage();
  await page.goto(`${base}/`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const scriptBefore = await scriptSeconds(cdp);
  const wallMs = await page.evaluate(
    ({ url, expected }) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url);
        socket.binaryType = 'arraybuffer';
        let received = 0;
        let bytes = 0;
        let start = 0;
        socket.onopen = () => {
          start = performance.now();
          socket.send('go');
        };
        socket.onmessage = (event) => {
          bytes += (event.data as ArrayBuffer).byteLength;
          if (++received === expected) {
            const elapsed = performance.now() - start;
            socket.close();
            resolve(bytes > 0 ? elapsed : -1);
          }
        };
      }),
    { url: base.replace('http', 'ws') + '/flood', expected: MESSAGES },
  );
  const scriptMs = ((await scriptSeconds(cdp)) - scriptBefore) * 1000;
  await page.close();
  return { wallMs, scriptMs };
}

async function timeSyntheticRound(context: BrowserContext, base: string): Promise<number> {
  const page = await context.newPage();
  await page.goto(`${base}/`);
  const ms = await page.evaluate(
    ({ url, count, size }) =>
      new Promise<number>((resolve) => {
        const socket = new WebSocket(url);
        socket.binaryType = 'arraybuffer';
        socket.onopen = () => {
          const payloads: ArrayBuffer[] = [];
          let seed = 7;
          for (let n = 0; n < 64; n++) {
            const bytes = new Uint8Array(size);
            for (let i = 0; i < size; i++) {
              seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
              bytes[i] = (seed >>> 24) === 0x19 ? 0x18 : seed >>> 24;
            }
            payloads.push(bytes.buffer);
          }
          let bytes = 0;
          socket.onmessage = (event) => {
            bytes += (event.data as ArrayBuffer).byteLength;
          };
          const start = performance.now();
          for (let i = 0; i < count; i++) socket.dispatchEvent(new MessageEvent('message', { data: payloads[i & 63] }));
          const elapsed = performance.now() - start;
          socket.close();
          resolve(bytes === count * size ? elapsed : -1);
        };
      }),
    { url: base.replace('http', 'ws') + '/idle', count: MESSAGES, size: MESSAGE_BYTES },
  );
  await page.close();
  return ms;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function print(title: string, plainTimes: number[], hookedTimes: number[]): void {
  const withoutHook = median(plainTimes);
  const withHook = median(hookedTimes);
  const fmt = (values: number[]) => values.map((v) => v.toFixed(0)).join(', ');
  console.log(`${title}, ${plainTimes.length} rounds`);
  console.log(`  without hook: median ${withoutHook.toFixed(0)} ms  [${fmt(plainTimes)}]`);
  console.log(`  with hook:    median ${withHook.toFixed(0)} ms  [${fmt(hookedTimes)}]`);
  console.log(`  overhead: ${(withHook - withoutHook).toFixed(0)} ms, ${(((withHook - withoutHook) / withoutHook) * 100).toFixed(1)} %`);
  console.log(`  per message: ${(((withHook - withoutHook) / MESSAGES) * 1000).toFixed(2)} µs`);
}

async function main(): Promise<void> {
  if (!existsSync(HOOK_BUNDLE)) throw new Error(`${HOOK_BUNDLE} is missing: run \`npx vite build\` first`);
  const payloads = makePayloads(256);
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>bench</title>');
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket, req) => {
    if (req.url === '/idle') return;
    socket.on('message', () => {
      for (let i = 0; i < MESSAGES; i++) socket.send(payloads[i % payloads.length]);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const plain = await browser.newContext();
    const hooked = await browser.newContext();
    await hooked.addInitScript({ path: HOOK_BUNDLE });
    await timeRound(plain, base); // warm-up
    await timeRound(hooked, base);
    const plainRounds: RoundTimes[] = [];
    const hookedRounds: RoundTimes[] = [];
    // Interleaved, so drift in machine load hits both sides alike.
    for (let round = 0; round < ROUNDS; round++) {
      plainRounds.push(await timeRound(plain, base));
      hookedRounds.push(await timeRound(hooked, base));
    }
    const title = `${MESSAGES} binary WebSocket messages of ${MESSAGE_BYTES} B from a local server`;
    print(`${title}: wall time`, plainRounds.map((r) => r.wallMs), hookedRounds.map((r) => r.wallMs));
    print(`${title}: page main-thread script time`, plainRounds.map((r) => r.scriptMs), hookedRounds.map((r) => r.scriptMs));
    const plainSynthetic: number[] = [];
    const hookedSynthetic: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      plainSynthetic.push(await timeSyntheticRound(plain, base));
      hookedSynthetic.push(await timeSyntheticRound(hooked, base));
    }
    print(`${MESSAGES} synthetic message events of ${MESSAGE_BYTES} B on an open socket (in-page cost only)`, plainSynthetic, hookedSynthetic);
  } finally {
    await browser.close();
    for (const client of sockets.clients) client.terminate();
    sockets.close();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }
}

await main();
