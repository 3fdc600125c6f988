// A small server for the hostile-page suite (e2e/specs/robustness/hostile.spec.ts): a blank page, error
// answers whose texts carry markup, script, controls and very long strings, an ordinary
// answer, a WebSocket that answers with those errors, and workers that post 100 MB and
// cyclic messages. Listens on 127.0.0.1; http://localhost:<port>/ is the same server under
// another origin (cross-origin frames).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export const MARKUP = '<img src=x onerror="(window.top||window).__pwned=1"><script>(window.top||window).__pwned=2</script>';
/** Error names and texts a hostile or broken server (or page) may put in an error. */
export const HOSTILE_TEXTS = [MARKUP, '\u202eDIAW_DOOLF\u202c FLOOD_WAIT_5\u0000\u0007\u001b[31m', 'FLOOD_WAIT_\u200b5\ufeff\ud800', 'X'.repeat(300_000)];

const rpc = (message: string) => JSON.stringify({ _: 'rpc_error', error_code: 400, error_message: message });

const WORKERS: Record<string, string> = {
  // 100 MB in one structured message (copied, not transferred), an error beside it.
  '/big-worker.js': `onmessage = () => {
    const big = new Uint8Array(100 * 1024 * 1024); big[big.length - 1] = 7;
    postMessage({ _: 'rpc_result', result: { _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_9' }, payload: big });
    postMessage({ text: 'x'.repeat(10 * 1024 * 1024), error: { '@type': 'error', code: 400, message: 'BIG_TEXT' } });
    postMessage('done');
  };`,
  // Cyclic objects: structured clone keeps the cycles; an error inside one of them.
  '/cyclic-worker.js': `onmessage = () => {
    const a = { '@type': 'error', code: 420, message: 'FLOOD_WAIT_3' };
    a.self = a;
    const list = [a]; list.push(list);
    const deep = {}; let at = deep; for (let i = 0; i < 1000; i++) { at.next = {}; at = at.next; } at.back = deep;
    postMessage({ a, list, deep });
    postMessage('done');
  };`,
};

export interface HostileServer {
  /** http://127.0.0.1:<port> */
  base: string;
  /** http://localhost:<port>: another origin, the same server */
  otherOrigin: string;
  close(): Promise<void>;
}

export async function startHostileServer(): Promise<HostileServer> {
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const json = (status: number, body: string) =>
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store', 'access-control-allow-origin': '*' }).end(body);
    if (path === '/' || path === '/frame') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><meta charset="utf-8"><title>hostile</title><p>hostile</p>');
    } else if (path.startsWith('/err/')) {
      const i = Number(path.slice(5));
      json(400, rpc(HOSTILE_TEXTS[i] ?? 'FLOOD_WAIT_5'));
    } else if (path === '/ok') {
      json(200, '{"ok":true,"result":{"n":1}}');
    } else if (WORKERS[path]) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(WORKERS[path]);
    } else {
      res.writeHead(404).end();
    }
  });
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket) => {
    socket.on('message', (data) => {
      if (data.toString() === 'errors') for (const text of HOSTILE_TEXTS) socket.send(JSON.stringify({ '@type': 'error', code: 400, message: text }));
      else socket.send(data.toString());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    async close() {
      for (const c of sockets.clients) c.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
