// Firefox has no --host-resolver-rules: an HTTP CONNECT proxy of a few lines, named by a PAC
// only for *.web.telegram.org, sends GramJS's DC hosts to the fake Telegram instead. The TLS
// session is end to end (the fake's certificate, accepted by the BiDi session), so the Host
// header still names the DC.

import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface ConnectProxy {
  port: number;
  /** Firefox prefs that send the Telegram web hosts through this proxy (everything else direct). */
  prefs: Record<string, string | number>;
  close(): Promise<void>;
}

export async function startConnectProxy(targetPort: number): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((_req, res) => {
    res.writeHead(405).end();
  });
  server.on('connect', (_req, client: Socket, head: Buffer) => {
    const upstream = connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const pac = `function FindProxyForURL(url, host) { return dnsDomainIs(host, '.web.telegram.org') ? 'PROXY 127.0.0.1:${port}' : 'DIRECT'; }`;
  return {
    port,
    prefs: { 'network.proxy.type': 2, 'network.proxy.autoconfig_url': `data:text/javascript,${encodeURIComponent(pac)}` },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
