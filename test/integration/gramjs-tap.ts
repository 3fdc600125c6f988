// GramJS (the real library) in Node with the browser's transport (obfuscated abridged over a
// WebSocket) against the project's fake Telegram, playing the standard scenario, with every
// byte of each of its sockets handed to a tap as the page sees them: the base for tests that
// run the hook's inspector or the worker-socket reader on a real client's traffic.

import { TelegramClient } from 'telegram';
import { PromisedWebSockets } from 'telegram/extensions/index.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { ConnectionTCPObfuscated } from 'telegram/network/index.js';
import { StringSession } from 'telegram/sessions/index.js';
import { DC_HOSTS, PRESHARED_KEYS, SCRIPT, startFakeTelegram, type FakeTelegramLog } from '../../e2e/fake-telegram/index.ts';
import { presharedStringSession, usePresharedKeys } from '../../e2e/fake-telegram/preshared-session.ts';
import { runScenario } from '../../e2e/fake-telegram/scenario.ts';
import { AuthKey, KeyRing } from '../../src/core/keys/index.ts';

/** Called once per socket with its id and URL; returns what receives that socket's messages in order. */
export type SocketTap = (conn: string, url: string) => (direction: 'in' | 'out', bytes: Uint8Array) => void;

/** The fake's keys as the user would give them: 256-byte keys, and a ring for the background. */
export function presharedKeys(): { bytes: Uint8Array[]; ring: KeyRing } {
  const ring = new KeyRing();
  for (const [dc, k] of PRESHARED_KEYS) ring.add(new AuthKey(new Uint8Array(k), 'hex', dc));
  return { bytes: [...PRESHARED_KEYS.values()].map((k) => new Uint8Array(k)), ring };
}

/** Runs the scenario with every socket tapped; returns the fake server's log (what it sent). */
export async function runTappedGramjs(tap: SocketTap): Promise<FakeTelegramLog> {
  const fake = await startFakeTelegram({ script: SCRIPT });
  let connections = 0;
  class TappedSocket extends PromisedWebSockets {
    override getWebSocketLink(): string {
      return `ws://127.0.0.1:${fake.port}/apiws`;
    }
    override async connect(port: number, ip: string) {
      const feed = tap(`ws:${++connections}`, `wss://${ip}/apiws`);
      const opened = await super.connect(port, ip);
      const client = (this as unknown as { client: { send(d: Uint8Array): void; onmessage(m: { data: ArrayBuffer }): unknown } }).client;
      const send = client.send.bind(client);
      client.send = (data) => {
        feed('out', new Uint8Array(data));
        send(data);
      };
      const onmessage = client.onmessage;
      client.onmessage = (message) => {
        feed('in', new Uint8Array(message.data));
        return onmessage(message);
      };
      return opened;
    }
  }
  const keysHex = Object.fromEntries([...PRESHARED_KEYS].map(([dc, key]) => [dc, key.toString('hex')]));
  const session = new StringSession(await presharedStringSession(1, DC_HOSTS[1], 443, keysHex[1]));
  await usePresharedKeys(session, keysHex);
  const client = new TelegramClient(session, 1, 'fake-api-hash', {
    connection: ConnectionTCPObfuscated,
    networkSocket: TappedSocket,
    connectionRetries: 1,
    baseLogger: new Logger(LogLevel.NONE),
  });
  try {
    await client.connect();
    await runScenario(client);
  } finally {
    await client.destroy().catch(() => undefined);
    await fake.close();
  }
  return fake.log();
}

/** The first 64 bytes a client sent on a socket (its obfuscation init), kept as the hook keeps them. */
export class ClientHead {
  readonly bytes = new Uint8Array(64);
  length = 0;
  private sent = 0;
  see(direction: 'in' | 'out', bytes: Uint8Array): void {
    if (direction !== 'out') return;
    if (this.sent < 64) {
      const take = Math.min(64 - this.sent, bytes.length);
      this.bytes.set(bytes.subarray(0, take), this.sent);
      this.length = Math.max(this.length, this.sent + take);
    }
    this.sent += bytes.length;
  }
  get current(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}
