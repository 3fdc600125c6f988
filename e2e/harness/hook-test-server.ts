// A local HTTP + WebSocket server for the hook transparency tests: ordinary
// traffic, error-bearing traffic in each shape the hook should notice, and edge
// cases (streamed bodies, event streams, echoing sockets).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** rpc_result(req_msg_id) -> rpc_error 420 FLOOD_WAIT_30, as it appears on the wire. */
export const RPC_ERROR_BYTES = Uint8Array.from([
  0x01,
  0x6d,
  0x5c,
  0xf3,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  0x19,
  0xca,
  0x44,
  0x21,
  0xa4,
  0x01,
  0x00,
  0x00,
  0x0d,
  ...Buffer.from('FLOOD_WAIT_30'),
  0x00,
  0x00,
]);

/** Bytes with no rpc_error constructor and no short negative int32. */
export const ORDINARY_BYTES = Uint8Array.from({ length: 300 }, (_, i) => (i * 7 + 3) & 0x7f);

export const BOT_API_ERROR = '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}';
export const TDLIB_ERROR = '{"@type":"error","code":400,"message":"PEER_ID_INVALID"}';
export const CHAT_JSON = '{"messages":[{"id":1,"text":"got FLOOD_WAIT_5 error again"}],"ok":true}';
export const ORDINARY_JSON = '{"ok":true,"result":{"message_id":7,"text":"hello"}}';

export interface TestServer {
  base: string;
  wsBase: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string | null, body: string | Uint8Array): void {
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (type) headers['content-type'] = type;
  res.writeHead(status, headers);
  res.end(body);
}

function handleHttp(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/':
      return send(res, 200, 'text/html', '<!doctype html><title>hook test</title><p>hook test</p>');
    case '/favicon.ico':
      return send(res, 204, null, '');
    case '/text':
      return send(res, 200, 'text/plain; charset=utf-8', 'hello text');
    case '/json':
      return send(res, 200, 'application/json', ORDINARY_JSON);
    case '/chat':
      return send(res, 200, 'application/json', CHAT_JSON);
    case '/untyped':
      return send(res, 200, null, ORDINARY_JSON);
    case '/doc':
      return send(res, 200, 'text/html', '<!doctype html><html><body><b>doc</b></body></html>');
    case '/binary':
      return send(res, 200, 'application/octet-stream', ORDINARY_BYTES);
    case '/image-with-error-text':
      return send(res, 200, 'image/png', BOT_API_ERROR);
    case '/bot-error':
      return send(res, 429, 'application/json', BOT_API_ERROR);
    case '/tdlib-error':
      return send(res, 200, 'application/json', TDLIB_ERROR);
    case '/apiw1':
      req.resume();
      req.on('end', () => send(res, 200, 'application/octet-stream', RPC_ERROR_BYTES));
      return;
    case '/stream': {
      // Three chunks with pauses: the page must see them arrive as it would without the hook.
      res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' });
      const parts = ['first,', 'second,', 'third'];
      let i = 0;
      const next = (): void => {
        if (i === parts.length) {
          res.end();
          return;
        }
        res.write(parts[i++]);
        setTimeout(next, 120);
      };
      next();
      return;
    }
    case '/sse': {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      res.write('retry: 600000\n\n');
      setTimeout(() => {
        res.write('data: hello\n\n');
        res.write(`event: update\ndata: ${TDLIB_ERROR}\n\n`);
        res.write('event: custom\ndata: plain custom\n\n');
        res.write(`data: ${CHAT_JSON}\n\n`);
        res.write(`event: update\ndata: ${ORDINARY_JSON}\n\n`);
        res.write('data: done\n\n');
      }, 100);
      return; // left open; closeAllConnections ends it
    }
    default:
      return send(res, 404, 'text/plain', 'not found');
  }
}

function handleSocket(socket: WebSocket, path: string): void {
  if (path === '/echo') {
    socket.on('message', (data, isBinary) => {
      const text = isBinary ? null : data.toString();
      if (text === 'close-me') socket.close(1000, 'bye');
      else socket.send(data, { binary: isBinary });
    });
    return;
  }
  if (path === '/error-flood') {
    // 300 error messages at once, then one more after the hook's one-second window.
    for (let i = 0; i < 300; i++) socket.send(TDLIB_ERROR);
    setTimeout(() => socket.send(TDLIB_ERROR), 1100);
    return;
  }
  if (path === '/mtproto') {
    // After the client's third binary message: two ordinary messages, then an rpc_error,
    // then a lone transport error, then text in both shapes.
    let binaryMessages = 0;
    socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        if (data.toString() === 'close-me') socket.close(1000, 'bye');
        return;
      }
      if (++binaryMessages !== 3) return;
      socket.send(ORDINARY_BYTES.subarray(0, 8));
      socket.send(ORDINARY_BYTES.subarray(0, 16));
      socket.send(RPC_ERROR_BYTES);
      socket.send(Uint8Array.from([0x01, 0x6c, 0xfe, 0xff, 0xff]));
      socket.send(CHAT_JSON);
      socket.send(TDLIB_ERROR);
      socket.send('end');
    });
  }
}

export async function startTestServer(): Promise<TestServer> {
  const server: Server = createServer(handleHttp);
  const sockets = new WebSocketServer({ server });
  sockets.on('connection', (socket, req) => handleSocket(socket, (req.url ?? '/').split('?')[0]));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    wsBase: `ws://127.0.0.1:${port}`,
    async close() {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
