// GramJS in Node against the fake server, with the browser's transport: in Node GramJS defaults
// to TCPFull over raw TCP, so the browser's choices (obfuscated abridged over WebSocket) are set
// explicitly, and a socket class sends every DC host to the fake's port (Node has no
// --host-resolver-rules; GramJS builds ws://<host>:80 or wss://<host>:443 itself).

import { TelegramClient } from 'telegram';
import { PromisedWebSockets } from 'telegram/extensions/index.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { ConnectionTCPObfuscated } from 'telegram/network/index.js';
import { StringSession } from 'telegram/sessions/index.js';
import { DC_HOSTS, PRESHARED_KEYS } from './dcs.ts';
import { presharedStringSession, usePresharedKeys } from './preshared-session.ts';

export async function createNodeClient(fakePort: number): Promise<TelegramClient> {
  class ToFakeServer extends PromisedWebSockets {
    // Plain ws on the fake's port; the server then tells the DC by the auth key.
    override getWebSocketLink(): string {
      return `ws://127.0.0.1:${fakePort}/apiws`;
    }
  }
  const keysHex = Object.fromEntries([...PRESHARED_KEYS].map(([dc, key]) => [dc, key.toString('hex')]));
  const session = new StringSession(await presharedStringSession(1, DC_HOSTS[1], 443, keysHex[1]));
  await usePresharedKeys(session, keysHex);
  return new TelegramClient(session, 1, 'fake-api-hash', {
    connection: ConnectionTCPObfuscated,
    networkSocket: ToFakeServer,
    connectionRetries: 1,
    baseLogger: new Logger(LogLevel.NONE),
  });
}
