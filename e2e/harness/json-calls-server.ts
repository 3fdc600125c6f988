// A small JSON API server for the call log's e2e (issue 21), on 127.0.0.1: the Bot API over
// HTTP (`POST /bot<token>/<method>`, JSON body) and TL-JSON over a WebSocket (`/ws`, one text
// frame per call `{_: method, msg_id}`, answered `{_: 'rpc_result', req_msg_id, result}`), with
// scripted failures, and the log of every call it received and how it answered it: the truth
// the call log is compared with. It also serves the test pages of e2e/apps/calls/.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';

const PAGES = fileURLToPath(new URL('../apps/calls/', import.meta.url));
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** A failure the server answers the nth call (1-based) of a method with. */
export interface JsonFailure {
  method: string;
  /** Which calls of the method fail: their 1-based numbers. */
  calls: number[];
  code: number;
  /** Bot API `description` or TL-JSON `error_message`. */
  message: string;
  /** Bot API `parameters.retry_after`, for a 429. */
  retryAfter?: number;
}

export interface ServedJsonCall {
  /** Epoch ms the request arrived. */
  at: number;
  channel: 'xhr' | 'websocket';
  method: string;
  /** 'ok', or the error answered: `<code> <message>`. */
  answer: string;
}

export interface JsonCallsServer {
  url: string;
  wsUrl: string;
  log(): ServedJsonCall[];
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(value));
}

export function startJsonCallsServer(failures: JsonFailure[]): Promise<JsonCallsServer> {
  const log: ServedJsonCall[] = [];
  const seen = new Map<string, number>();
  /** The failure for this call of `method`, counting it. */
  const failureFor = (method: string): JsonFailure | undefined => {
    const n = (seen.get(method) ?? 0) + 1;
    seen.set(method, n);
    return failures.find((f) => f.method === method && f.calls.includes(n));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const bot = /^\/bot\d+:[^/]+\/([A-Za-z]+)$/.exec(path);
    if (bot && req.method === 'POST') {
      const at = Date.now();
      await body(req);
      const method = bot[1];
      const failure = failureFor(method);
      log.push({ at, channel: 'xhr', method, answer: failure ? `${failure.code} ${failure.message}` : 'ok' });
      if (!failure) return json(res, 200, { ok: true, result: { message_id: log.length, date: Math.floor(at / 1000), chat: { id: 42, type: 'private' } } });
      const answer: Record<string, unknown> = { ok: false, error_code: failure.code, description: failure.message };
      if (failure.retryAfter !== undefined) answer.parameters = { retry_after: failure.retryAfter };
      return json(res, failure.code, answer);
    }
    if (req.method === 'GET' && path.startsWith('/calls/')) {
      const relative = normalize(path.slice('/calls/'.length));
      if (relative.startsWith('..')) return void res.writeHead(403).end();
      try {
        const data = await readFile(join(PAGES, relative));
        res.writeHead(200, { 'content-type': TYPES[extname(relative)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
        return void res.end(data);
      } catch {
        return void res.writeHead(404).end();
      }
    }
    res.writeHead(404).end();
  }

  function attachTlJson(socket: WebSocket): void {
    socket.on('message', (data: Buffer) => {
      const at = Date.now();
      let request: { _?: unknown; msg_id?: unknown };
      try {
        request = JSON.parse(data.toString('utf8')) as typeof request;
      } catch {
        return;
      }
      if (typeof request._ !== 'string' || typeof request.msg_id !== 'string') return;
      const method = request._;
      const failure = failureFor(method);
      log.push({ at, channel: 'websocket', method, answer: failure ? `${failure.code} ${failure.message}` : 'ok' });
      const result = failure ? { _: 'rpc_error', error_code: failure.code, error_message: failure.message } : { _: 'boolTrue' };
      socket.send(JSON.stringify({ _: 'rpc_result', req_msg_id: request.msg_id, result }));
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(e));
    });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://127.0.0.1').pathname !== '/ws') return void socket.destroy();
    wss.handleUpgrade(req, socket, head, attachTlJson);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (!address || typeof address === 'string') return reject(new Error('no TCP address'));
      resolve({
        url: `http://127.0.0.1:${address.port}/`,
        wsUrl: `ws://127.0.0.1:${address.port}/ws`,
        log: () => log.slice(),
        close: () =>
          new Promise<void>((done) => {
            for (const client of wss.clients) client.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
