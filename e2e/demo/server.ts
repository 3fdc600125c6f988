// The demo "Telegram-facing" server: serves the demo web client and answers its calls
// over fetch, XHR, EventSource and WebSockets the way Telegram's services do, errors
// included. Deterministic (no random delays), so the page's results can be compared
// between runs with and without the extension.
//
// CLI: npx tsx e2e/demo/server.ts [--port N]

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebSocketServer, type WebSocket } from 'ws';
import { attachMtprotoSocket } from './mtproto-socket.ts';
import { attachTdlibSocket, attachTlJsonSocket, serveEventStream } from './json-sockets.ts';
import { answerBotApi, answerGramJsProxy, answerTlJson, parseTlJsonCall, type HttpAnswer } from './tl-json-api.ts';

export interface DemoServer {
  /** http://127.0.0.1:<port>/ */
  url: string;
  /** ws://127.0.0.1:<port> */
  wsUrl: string;
  close(): Promise<void>;
}

const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

const SOCKET_ROUTES: Record<string, (socket: WebSocket) => void> = {
  '/apiws': attachMtprotoSocket,
  '/ws/json': attachTlJsonSocket,
  '/ws/tdlib': attachTdlibSocket,
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function sendJson(res: ServerResponse, answer: HttpAnswer): void {
  res.writeHead(answer.status, { 'content-type': 'application/json', 'cache-control': 'no-store', ...answer.headers });
  res.end(JSON.stringify(answer.body));
}

async function serveStatic(pathname: string, res: ServerResponse): Promise<void> {
  const relative = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^[/\\]+/, '');
  const file = join(PUBLIC_DIR, relative);
  if (!file.startsWith(PUBLIC_DIR) || relative.split(sep).includes('..')) {
    res.writeHead(403).end();
    return;
  }
  try {
    const data = await readFile(file);
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(data);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
}

async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const path = url.pathname;

  if (path === '/favicon.ico') {
    res.writeHead(204).end();
    return;
  }
  if (path === '/events') {
    serveEventStream(res);
    return;
  }

  const dcRoute = /^\/dc(\d)\/(api|upload)$/.exec(path);
  if (dcRoute && req.method === 'POST') {
    const call = parseTlJsonCall(Number(dcRoute[1]), parseJsonOrNull(await readBody(req)));
    if (!call) {
      sendJson(res, { status: 400, body: { _: 'rpc_error', error_code: 400, error_message: 'INPUT_REQUEST_INVALID' } });
      return;
    }
    sendJson(res, { status: 200, body: { _: 'rpc_result', req_msg_id: call.reqMsgId, result: answerTlJson(call) } });
    return;
  }

  if (path === '/gramjs/invoke' && req.method === 'POST') {
    sendJson(res, answerGramJsProxy(parseJsonOrNull(await readBody(req))));
    return;
  }

  const botRoute = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(path);
  if (botRoute) {
    // The Bot API takes parameters as a JSON body or in the query string.
    const params: Record<string, unknown> = Object.fromEntries(url.searchParams);
    if (req.method === 'POST') Object.assign(params, parseJsonOrNull(await readBody(req)) ?? {});
    sendJson(res, answerBotApi(decodeURIComponent(botRoute[1]), botRoute[2], params));
    return;
  }

  if (req.method === 'GET' || req.method === 'HEAD') {
    await serveStatic(path, res);
    return;
  }
  res.writeHead(405).end();
}

export function startDemoServer(opts: { port?: number; host?: string } = {}): Promise<DemoServer> {
  // Always loopback: the demo must never listen on a public interface.
  const host = '127.0.0.1';
  const server = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(err));
    });
  });
  const wss = new WebSocketServer({ noServer: true });

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const attach = SOCKET_ROUTES[path];
    if (!attach) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      const address = server.address();
      if (!address || typeof address === 'string') {
        reject(new Error('demo server has no TCP address'));
        return;
      }
      const origin = `${host}:${address.port}`;
      resolve({
        url: `http://${origin}/`,
        wsUrl: `ws://${origin}`,
        close: () =>
          new Promise<void>((done) => {
            // Open sockets and event streams would keep server.close() waiting forever.
            for (const client of wss.clients) client.terminate();
            wss.close();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function portFromArgs(argv: string[]): number {
  const i = argv.indexOf('--port');
  if (i < 0) return 0;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad --port ${argv[i + 1]}`);
  return port;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const demo = await startDemoServer({ port: portFromArgs(process.argv.slice(2)) });
  console.log(`demo web client: ${demo.url}  (auto run: ${demo.url}?auto=1)`);
  const stop = () => {
    void demo.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
