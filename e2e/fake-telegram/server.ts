// startFakeTelegram: one port on 127.0.0.1 speaking plain HTTP and TLS (sniffed from the first
// byte), serving the MTProto WebSocket at /apiws for every DC host name, the log at GET /log,
// the pre-shared session at GET /fake-telegram/session.json and, optionally, a static folder.

import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, createServer as createNetServer, type Server, type Socket } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { FakeConnection } from './connection.ts';
import { DC_HOSTS, dcOfHost, PRESHARED_KEYS } from './dcs.ts';
import { ScriptPlayer, type FakeTelegramLog, type Rule } from './script.ts';
import type { TLObject } from './tl.ts';

export interface FakeTelegramOptions {
  script?: readonly Rule[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** Served for GET requests that are not the server's own routes (the client page). */
  publicDir?: string;
  /**
   * Reads a call's TL body. Default: the GramJS of package.json (its layer); a client of another
   * layer is read by that layer's GramJS (test/integration/old-gramjs-wire.test.ts).
   */
  readCall?: (body: Buffer) => TLObject;
}

export interface FakeTelegram {
  port: number;
  /** DC id → host name the client uses for it (all mapped to this server by Chromium's rules). */
  hosts: Readonly<Record<number, string>>;
  /** Everything received and every error sent so far (a copy). */
  log(): FakeTelegramLog;
  /** Scripted rules not used up yet. */
  unusedRules(): Rule[];
  /**
   * Plays the script again from its start (or `script` from now on: a second client in the same
   * browser, the demo), and starts a new log (the host mapping stays).
   */
  rewind(script?: readonly Rule[]): void;
  /**
   * Server messages (TL bodies) for the newest connection, encrypted now; `send(from, to)` puts
   * messages [from, to) on its wire, in order (a stream pushed to the client, paced by the
   * caller: bench-gramjs-cpu.ts).
   */
  prepareStream(bodies: readonly Buffer[]): { count: number; send(from?: number, to?: number): void };
  /** Serves `dir` under the URL path `prefix` (`/webk-wire/`) too: another client page on this origin. */
  serve(prefix: string, dir: string): void;
  close(): Promise<void>;
}

// Self-signed for *.web.telegram.org, 127.0.0.1 and localhost, valid for 100 years: test-only,
// committed so no tool is needed at test time (browsers use --ignore-certificate-errors).
const TLS = {
  key: readFileSync(fileURLToPath(new URL('./tls-key.pem', import.meta.url))),
  cert: readFileSync(fileURLToPath(new URL('./tls-cert.pem', import.meta.url))),
};

const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
};

/** What a page needs to build its session: DC 1's host and every DC's key (hex). */
export function sessionConfig(): { dcId: number; serverAddress: string; port: number; keys: Record<number, string> } {
  const keys = Object.fromEntries([...PRESHARED_KEYS].map(([dc, key]) => [dc, key.toString('hex')]));
  return { dcId: 1, serverAddress: DC_HOSTS[1], port: 443, keys };
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  let script = new ScriptPlayer(opts.script ?? []);
  const mounts: [prefix: string, dir: string][] = [];
  const log: FakeTelegramLog = { connections: [], calls: [], errors: [], problems: [] };
  let seq = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  let newest: FakeConnection | null = null;

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const json = (value: unknown): void => {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' }).end(JSON.stringify(value, null, 1));
    };
    if (path === '/log') return json(log);
    if (path === '/fake-telegram/session.json') return json(sessionConfig());
    const mount = mounts.find(([prefix]) => path.startsWith(prefix));
    const root = mount ? mount[1] : opts.publicDir;
    if (root && req.method === 'GET') {
      const inner = mount ? path.slice(mount[0].length - 1) : path;
      const file = join(root, normalize(inner === '/' ? '/index.html' : inner).replace(/^(\.\.[/\\])+/, ''));
      try {
        const body = readFileSync(file);
        res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(body);
        return;
      } catch {
        // fall through to 404
      }
    }
    res.writeHead(404).end('not found');
  };

  const wss = new WebSocketServer({ noServer: true });
  const upgrade = (req: IncomingMessage, socket: Socket, head: Buffer): void => {
    if (!new URL(req.url ?? '/', 'http://x').pathname.startsWith('/apiws')) return void socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const id = ++connections;
      const host = req.headers.host ?? '';
      const secure = 'encrypted' in req.socket && !!req.socket.encrypted;
      log.connections.push({ id, time: new Date().toISOString(), host, dc: dcOfHost(host), path: req.url ?? '', secure });
      const conn = new FakeConnection({
        id,
        hostDc: dcOfHost(host),
        script,
        log,
        nextSeq: () => ++seq,
        send: (bytes) => ws.send(bytes),
        readCall: opts.readCall,
      });
      ws.on('message', (data: Buffer) => conn.receive(data));
      newest = conn;
    });
  };

  const http = createHttpServer(handle).on('upgrade', upgrade);
  const https = createHttpsServer(TLS, handle).on('upgrade', upgrade);
  const inner = await Promise.all([http, https].map((s) => listen(s, 0)));
  // One public port for both: a TLS connection starts with a handshake record (0x16), HTTP with
  // a letter. The connection is then relayed to the inner server of its kind; handing the socket
  // itself to the TLS server loses the sniffed bytes (TLS reads from the socket's handle).
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.once('data', (first) => {
      const relay = connect(inner[first[0] === 0x16 ? 1 : 0], '127.0.0.1');
      sockets.add(relay);
      relay.on('close', () => (sockets.delete(relay), socket.destroy()));
      relay.on('error', () => relay.destroy());
      socket.on('close', () => relay.destroy());
      relay.write(first);
      socket.pipe(relay).pipe(socket);
    });
  });
  const port = await listen(server, opts.port ?? 0);

  return {
    port,
    hosts: DC_HOSTS,
    log: () => structuredClone(log),
    unusedRules: () => script.unused(),
    rewind: (next) => {
      if (next) script = new ScriptPlayer(next);
      else script.rewind();
      log.connections = [];
      log.calls = [];
      log.errors = [];
      log.problems = [];
    },
    prepareStream: (bodies) => {
      const conn = newest;
      if (!conn) throw new Error('no client is connected');
      const messages = conn.prepare(bodies);
      return { count: messages.length, send: (from = 0, to = messages.length) => conn.sendPrepared(messages.slice(from, to)) };
    },
    serve: (prefix, dir) => void mounts.unshift([prefix.endsWith('/') ? prefix : `${prefix}/`, dir]),
    close: async () => {
      for (const ws of wss.clients) ws.terminate();
      for (const socket of sockets) socket.destroy();
      http.closeAllConnections();
      https.closeAllConnections();
      await Promise.all([server, http, https].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
