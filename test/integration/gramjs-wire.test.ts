// GramJS (the real library, in Node with the browser's transport: obfuscated abridged over a
// WebSocket) against the project's fake Telegram, its traffic fed through the page hook's
// MTProto inspector and the background's decoder exactly as the extension wires them. With the
// keys given, every error the server sent is read with its method, including those GramJS handled
// itself; without keys, each connection is reported once by its auth_key_id and nothing else
// leaves the page.

import { describe, expect, it } from 'vitest';
import { TelegramClient } from 'telegram';
import { PromisedWebSockets } from 'telegram/extensions/index.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { ConnectionTCPObfuscated } from 'telegram/network/index.js';
import { StringSession } from 'telegram/sessions/index.js';
import { DC_HOSTS, PRESHARED_KEYS, SCRIPT, startFakeTelegram, type FakeTelegram } from '../../e2e/fake-telegram/index.ts';
import { presharedStringSession, usePresharedKeys } from '../../e2e/fake-telegram/preshared-session.ts';
import { runScenario } from '../../e2e/fake-telegram/scenario.ts';
import { MtprotoInspector } from '../../src/hook/websocket/mtproto-inspector.ts';
import { EncryptedTriage } from '../../src/core/mtproto/encrypted-triage.ts';
import { CaptureSession, decodeCapture } from '../../src/core/decode-capture.ts';
import { AuthKey, KeyRing } from '../../src/core/keys/index.ts';
import { toBase64, toHex } from '../../src/core/mtproto/bytes.ts';
import type { HookCapture } from '../../src/core/capture.ts';
import type { ErrorRecord } from '../../src/core/record.ts';

interface WireRun {
  captures: HookCapture[];
  records: Omit<ErrorRecord, 'id'>[];
  fake: FakeTelegram;
}

/** One scenario run; `withKeys` arms the hook's triage and the background's key ring. */
async function runWire(withKeys: boolean): Promise<WireRun> {
  const fake = await startFakeTelegram({ script: SCRIPT });
  const triage = new EncryptedTriage();
  const ring = new KeyRing();
  if (withKeys) {
    triage.setKeys([...PRESHARED_KEYS.values()].map((k) => new Uint8Array(k)));
    for (const [dc, k] of PRESHARED_KEYS) ring.add(new AuthKey(new Uint8Array(k), 'hex', dc));
  }
  const session = new CaptureSession();
  const captures: HookCapture[] = [];
  const records: Omit<ErrorRecord, 'id'>[] = [];
  let connections = 0;

  // The socket GramJS uses, tapped the way the hook taps a page's WebSocket.
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
          emitFrame: () => undefined,
          emitEncrypted: (direction, payload, offset, framing, encrypted, payloadLength) => {
            const capture: HookCapture = { v: 1, channel: 'websocket', direction, url, at: Date.now(), kind: 'binary', data: toBase64(payload), conn, offset, clientHead: toHex(head.slice(0, headLength)), framing, encrypted, payloadLength };
            captures.push(capture);
            records.push(...decodeCapture(capture, session, withKeys ? ring : null).records);
          },
        },
        triage,
      );
      const feed = (direction: 'in' | 'out', bytes: Uint8Array) => {
        if (direction === 'out' && offsets.out < 64) {
          const take = Math.min(64 - offsets.out, bytes.length);
          head.set(bytes.subarray(0, take), offsets.out);
          headLength = Math.max(headLength, offsets.out + take);
        }
        inspector.inspect(direction, bytes, offsets[direction]);
        offsets[direction] += bytes.length;
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
  const client = new TelegramClient(stringSession, 1, 'fake-api-hash', {
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
  return { captures, records, fake };
}

describe('GramJS on the wire, through the hook and the decoder', () => {
  it('with keys: every rpc_error and bad_server_salt the server sent, with its method', async () => {
    const { records, fake } = await runWire(true);
    const seen = records.map((r) => `${r.code} ${r.message} ${r.method}`);
    const sent = fake.log().errors;
    expect(sent.length).toBeGreaterThanOrEqual(9);
    for (const error of sent) {
      const text = error.kind === 'bad_server_salt' ? `48 bad_server_salt 48 ${error.method}` : `${error.code} ${error.message} ${error.method}`;
      expect(seen).toContain(text);
    }
    expect(records).toHaveLength(sent.length);
    // The failing requests' parameters, decoded from the decrypted wire (secrets masked).
    const flood = records.find((r) => r.message === 'FLOOD_WAIT_2')!;
    expect(flood.request?.params).toMatchObject({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'hello' });
    const forbidden = records.find((r) => r.message === 'CHAT_WRITE_FORBIDDEN')!;
    expect(forbidden.request?.params).toMatchObject({ _: 'messages.sendMessage', message: 'again' });
    // Different input, different fingerprint; random_id never counts.
    expect(flood.request?.fingerprint).toMatch(/^[0-9a-f]{24}$/);
    expect(forbidden.request?.fingerprint).not.toBe(flood.request?.fingerprint);
    // DC from the host name of each connection: DC 1 before the migration, DC 2 after.
    expect(records[0].dc).toBe(1);
    expect(records.slice(1).every((r) => r.dc === 2)).toBe(true);
  }, 30_000);

  it('without keys: one auth_key_id per connection, nothing else leaves the page', async () => {
    const { captures, records } = await runWire(false);
    expect(records).toEqual([]);
    expect(captures.map((c) => c.encrypted)).toEqual(['unknown-key', 'unknown-key']);
    expect(captures.every((c) => c.data.length <= 12)).toBe(true);
  }, 30_000);
});
