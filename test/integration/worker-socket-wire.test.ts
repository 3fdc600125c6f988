// GramJS (the real library, in Node with the browser's transport) against the fake Telegram, its
// socket's whole messages handed to the worker-socket reader as chrome.debugger hands them
// (base64 per WebSocket message), next to the page hook's inspector on the same bytes: both
// make the same captures, and with the keys given the background's decoder reads every error
// the server sent, with its method and DC.

import { describe, expect, it } from 'vitest';
import { TelegramClient } from 'telegram';
import { PromisedWebSockets } from 'telegram/extensions/index.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { ConnectionTCPObfuscated } from 'telegram/network/index.js';
import { StringSession } from 'telegram/sessions/index.js';
import { DC_HOSTS, PRESHARED_KEYS, SCRIPT, startFakeTelegram } from '../../e2e/fake-telegram/index.ts';
import { presharedStringSession, usePresharedKeys } from '../../e2e/fake-telegram/preshared-session.ts';
import { runScenario } from '../../e2e/fake-telegram/scenario.ts';
import { MtprotoInspector } from '../../src/hook/websocket/mtproto-inspector.ts';
import { EncryptedTriage } from '../../src/core/mtproto/encrypted-triage.ts';
import { SocketUnitReader } from '../../src/core/mtproto/socket-units.ts';
import { CaptureSession, decodeCapture } from '../../src/core/decode-capture.ts';
import { AuthKey, KeyRing } from '../../src/core/keys/index.ts';
import { toBase64, toHex } from '../../src/core/mtproto/bytes.ts';
import type { HookCapture } from '../../src/core/capture.ts';

describe('a worker socket read from its messages', () => {
  it('makes the hook inspector\'s captures, and with keys every error the server sent', async () => {
    const fake = await startFakeTelegram({ script: SCRIPT });
    const triage = new EncryptedTriage();
    triage.setKeys([...PRESHARED_KEYS.values()].map((k) => new Uint8Array(k)));
    const ring = new KeyRing();
    for (const [dc, k] of PRESHARED_KEYS) ring.add(new AuthKey(new Uint8Array(k), 'hex', dc));
    const hookCaptures: HookCapture[] = [];
    const readerCaptures: HookCapture[] = [];
    let connections = 0;

    class TappedSocket extends PromisedWebSockets {
      override getWebSocketLink(): string {
        return `ws://127.0.0.1:${fake.port}/apiws`;
      }
      override async connect(port: number, ip: string) {
        const conn = `ws:${++connections}`;
        const url = `wss://${ip}/apiws`;
        const head = new Uint8Array(64);
        let headLength = 0;
        const offsets = { in: 0, out: 0 };
        const inspector = new MtprotoInspector(
          {
            url,
            clientHead: () => head.slice(0, headLength),
            emitFrame: (direction, frame, offset, framing) => hookCaptures.push({ v: 1, channel: 'websocket', direction, url, at: 0, kind: 'binary', data: toBase64(frame), conn, offset, clientHead: toHex(head.slice(0, headLength)), framing }),
            emitEncrypted: (direction, payload, offset, framing, encrypted, payloadLength) =>
              hookCaptures.push({ v: 1, channel: 'websocket', direction, url, at: 0, kind: 'binary', data: toBase64(payload), conn, offset, clientHead: toHex(head.slice(0, headLength)), framing, encrypted, payloadLength }),
          },
          triage,
        );
        const reader = new SocketUnitReader({ url, conn, fromStart: true, triage: () => triage });
        const feed = (direction: 'in' | 'out', bytes: Uint8Array) => {
          if (direction === 'out' && offsets.out < 64) {
            const take = Math.min(64 - offsets.out, bytes.length);
            head.set(bytes.subarray(0, take), offsets.out);
            headLength = Math.max(headLength, offsets.out + take);
          }
          inspector.inspect(direction, bytes, offsets[direction]);
          offsets[direction] += bytes.length;
          readerCaptures.push(...reader.message(direction, 2, Buffer.from(bytes).toString('base64'), 0));
        };
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
    const stringSession = new StringSession(await presharedStringSession(1, DC_HOSTS[1], 443, keysHex[1]));
    await usePresharedKeys(stringSession, keysHex);
    const client = new TelegramClient(stringSession, 1, 'fake-api-hash', { connection: ConnectionTCPObfuscated, networkSocket: TappedSocket, connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE) });
    try {
      await client.connect();
      await runScenario(client);
    } finally {
      await client.destroy().catch(() => undefined);
      await fake.close();
    }

    // The same units, in the same order, with the same fields (the hook's clientHead is
    // what it had seen when it reported; the reader's is the whole init: both 64 bytes here).
    expect(readerCaptures.length).toBeGreaterThan(20);
    expect(readerCaptures).toEqual(hookCaptures);

    const session = new CaptureSession();
    const records = readerCaptures.flatMap((c) => decodeCapture(c, session, ring).records);
    const seen = records.map((r) => `${r.code} ${r.message} ${r.method} dc${r.dc}`);
    for (const error of fake.log().errors) {
      const text = error.kind === 'bad_server_salt' ? `48 bad_server_salt 48 ${error.method} dc${error.dc}` : `${error.code} ${error.message} ${error.method} dc${error.dc}`;
      expect(seen).toContain(text);
    }
    expect(records).toHaveLength(fake.log().errors.length);
  }, 40_000);
});
