// The load test's page and server (issue 14): a page that produces API errors as fast as it
// can over fetch, WebSocket JSON, WebSocket MTProto (abridged, unencrypted rpc_error frames)
// and a worker, while its own ordinary traffic runs beside them; and the count that must hold
// afterwards: kept + dropped = sent, to the last error. Used by e2e/specs/robustness/load.spec.ts (a short
// run in npm test) and scripts/bench-load.ts (60 s, with figures).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { frame, rpcError, rpcResult, unencryptedMessage } from '../../demo/tl-frames.ts';
import type { TabStats } from '../../../src/shared/messages.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';

/** Errors per request of the page on the socket and worker channels. */
const BATCH = 100;

const PAGE = `<!doctype html><meta charset="utf-8"><title>flood</title><p>flood</p>
<script>
// Every error message the page receives carries exactly one API error and a sequence number,
// so the page can tell its traffic arrived whole and in order, as without the extension.
window.runFlood = async function runFlood(ms) {
  const until = performance.now() + ms;
  const sent = { fetch: 0, wsJson: 0, wsMtproto: 0, worker: 0 };
  const own = { ok: 0, bad: 0, outOfOrder: 0 };
  const live = () => performance.now() < until;
  const fetchLoop = async () => {
    while (live()) {
      const r = await fetch('/err');
      const body = await r.json();
      if (r.status !== 400 || body.error_code !== 420) own.bad++;
      sent.fetch++;
    }
  };
  const ownLoop = async () => {
    let n = 0;
    while (live()) {
      const r = await fetch('/ok?n=' + n);
      const body = await r.json();
      if (body.ok === true && body.n === n) own.ok++; else own.bad++;
      n++;
      await new Promise((res) => setTimeout(res, 5));
    }
  };
  const socketLoop = (path, binary, field) => new Promise((resolve) => {
    const ws = new WebSocket('ws://' + location.host + path);
    ws.binaryType = 'arraybuffer';
    let expect = 0, inBatch = 0;
    const ask = () => { if (!live()) { ws.close(); resolve(); return; } inBatch = 0; ws.send(String(${BATCH})); };
    ws.onopen = () => { if (binary) ws.send(new Uint8Array([0xef])); ask(); };
    ws.onmessage = (e) => {
      const seq = binary ? new DataView(e.data).getUint32(25, true) : JSON.parse(e.data)['@extra'];
      if (seq !== expect) own.outOfOrder++;
      expect = seq + 1;
      sent[field]++;
      if (++inBatch === ${BATCH}) ask();
    };
    ws.onerror = () => { own.bad++; resolve(); };
  });
  const workerLoop = () => new Promise((resolve) => {
    const w = new Worker('/flood-worker.js');
    let expect = 0, inBatch = 0;
    const ask = () => { if (!live()) { w.terminate(); resolve(); return; } inBatch = 0; w.postMessage({ more: ${BATCH} }); };
    w.onmessage = (e) => {
      if (e.data.error.seq !== expect) own.outOfOrder++;
      expect = e.data.error.seq + 1;
      sent.worker++;
      if (++inBatch === ${BATCH}) ask();
    };
    ask();
  });
  await Promise.all([fetchLoop(), fetchLoop(), fetchLoop(), fetchLoop(), ownLoop(), socketLoop('/flood/json', false, 'wsJson'), socketLoop('/flood/mtproto', true, 'wsMtproto'), workerLoop()]);
  return { sent, own };
};
</script>`;

// Web A's worker answer shape: {payloads: [{type: 'methodResponse', messageId, error}]} with a GramJS text.
const WORKER = `let seq = 0;
onmessage = (e) => {
  for (let i = 0; i < e.data.more; i++) {
    postMessage({ type: 'result', id: seq, error: { name: 'RpcError', message: 'x', stack: 'RpcError (420 FLOOD_WAIT_%d): x', custom: { code: 420, text: 'FLOOD_WAIT_%d', seconds: 7 } , seq: seq++ } });
  }
};`;

export interface FloodServer {
  url: string;
  close(): Promise<void>;
}

export async function startFloodServer(): Promise<FloodServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    } else if (url.pathname === '/err') {
      res
        .writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end('{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_5"}');
    } else if (url.pathname === '/ok') {
      res
        .writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(JSON.stringify({ ok: true, n: Number(url.searchParams.get('n')) }));
    } else if (url.pathname === '/flood-worker.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(WORKER);
    } else {
      res.writeHead(404).end();
    }
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket, req) => {
    let seq = 0;
    let msgId = 0x6500000000000001n;
    const mtproto = req.url === '/flood/mtproto';
    socket.on('message', (data, isBinary) => {
      if (isBinary) return;
      const n = Number(data.toString());
      for (let i = 0; i < n; i++, seq++) {
        if (mtproto) {
          // rpc_result -> rpc_error, one abridged frame per message; the sequence number is the
          // req_msg_id (frame byte 25: length byte, auth_key_id, msg_id, length, rpc_result).
          msgId += 4n;
          socket.send(frame('abridged', unencryptedMessage(msgId, rpcResult(BigInt(seq), rpcError(420, 'FLOOD_WAIT_5')))));
        } else {
          socket.send(JSON.stringify({ '@type': 'error', code: 420, message: 'FLOOD_WAIT_5', '@extra': seq }));
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async close() {
      for (const c of sockets.clients) c.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface FloodResult {
  sent: { fetch: number; wsJson: number; wsMtproto: number; worker: number };
  own: { ok: number; bad: number; outOfOrder: number };
}

export function runFlood(page: Page, ms: number): Promise<FloodResult> {
  return page.evaluate((t) => (window as unknown as { runFlood(ms: number): Promise<FloodResult> }).runFlood(t), ms);
}

export interface Tally {
  sent: number;
  kept: number;
  dropped: number;
  droppedByReason: TabStats['dropped'];
  droppedOldest: number;
  records: number;
}

export function tally(flood: FloodResult, log: { records: ErrorRecord[]; stats: TabStats }): Tally {
  const s = flood.sent;
  const dropped = Object.values(log.stats.dropped).reduce((a, b) => a + (b ?? 0), 0);
  return {
    sent: s.fetch + s.wsJson + s.wsMtproto + s.worker,
    kept: log.records.length + log.stats.droppedOldest,
    dropped,
    droppedByReason: log.stats.dropped,
    droppedOldest: log.stats.droppedOldest,
    records: log.records.length,
  };
}

/** Frame intervals of a page (requestAnimationFrame) while `during` runs: p50, p95, max in ms. */
export async function frameTimes<T>(page: Page, during: () => Promise<T>): Promise<{ result: T; frames: number; p50: number; p95: number; max: number }> {
  // A string, not a function: tsx (the bench script) would wrap named inner functions in __name().
  await page.evaluate(`(() => {
    window.__frames = [];
    window.__stopFrames = false;
    let last = performance.now();
    const tick = (now) => {
      window.__frames.push(now - last);
      last = now;
      if (!window.__stopFrames) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const result = await during();
  const frames = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __stopFrames: boolean };
    w.__stopFrames = true;
    return w.__frames.slice(1);
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
  return { result, frames: frames.length, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? NaN };
}
