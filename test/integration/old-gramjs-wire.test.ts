// A REAL old client on the wire (issue 19.1): GramJS telegram@2.17.10 from npm (the pinned alias
// telegram-layer-158), which speaks layer 158, against the project's fake Telegram, with the
// browser's transport (obfuscated abridged over a WebSocket). Its traffic goes through the page
// hook's MTProto inspector and the background's decoder as in gramjs-wire.test.ts; every error
// the server sent must come back with its method named and the request decoded by layer 158's
// schema (messages.sendMessage#1cc20387 with reply_to_msg_id, not the newest layout).

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MtprotoInspector } from '../../src/hook/websocket/mtproto-inspector.ts';
import { EncryptedTriage } from '../../src/core/mtproto/decrypt/encrypted-triage.ts';
import { CaptureSession, decodeCapture } from '../../src/core/capture/decode-capture.ts';
import { toBase64, toHex } from '../../src/core/mtproto/bytes.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';
import type { ErrorRecord } from '../../src/core/record.ts';
import { DC_HOSTS, PRESHARED_KEYS, startFakeTelegram, type FakeTelegramLog } from '../../e2e/fake-telegram/index.ts';
import type { Rule } from '../../e2e/fake-telegram/script.ts';
import type { TLObject } from '../../e2e/fake-telegram/tl.ts';
import { ClientHead, presharedKeys } from './gramjs-tap.ts';

const require = createRequire(import.meta.url);
const OLD = 'telegram-layer-158';
const old = {
  ...(require(OLD) as { TelegramClient: any; Api: any }),
  PromisedWebSockets: (require(`${OLD}/extensions/index.js`) as { PromisedWebSockets: any }).PromisedWebSockets,
  Logger: require(`${OLD}/extensions/Logger.js`) as { Logger: any; LogLevel: any },
  ConnectionTCPObfuscated: (require(`${OLD}/network/index.js`) as { ConnectionTCPObfuscated: any }).ConnectionTCPObfuscated,
  StringSession: (require(`${OLD}/sessions/index.js`) as { StringSession: any }).StringSession,
  AuthKey: (require(`${OLD}/crypto/AuthKey.js`) as { AuthKey: any }).AuthKey,
  BinaryReader: (require(`${OLD}/extensions/index.js`) as { BinaryReader: any }).BinaryReader,
  LAYER: (require(`${OLD}/tl/AllTLObjects.js`) as { LAYER: number }).LAYER,
  big: require(require.resolve('big-integer', { paths: [require.resolve(OLD)] })) as (n: number) => unknown,
};

// Errors above GramJS's floodSleepThreshold (60 s) and permission errors reach the app at once.
const SCRIPT: readonly Rule[] = [
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_300' } },
  { method: 'messages.sendMedia', answer: { kind: 'error', code: 403, message: 'CHAT_SEND_MEDIA_FORBIDDEN' } },
  { method: 'messages.sendMultiMedia', answer: { kind: 'error', code: 400, message: 'MEDIA_INVALID' } },
  { method: 'messages.saveDraft', answer: { kind: 'error', code: 400, message: 'PEER_ID_INVALID' } },
  { method: 'updates.getDifference', answer: { kind: 'error', code: 400, message: 'PERSISTENT_TIMESTAMP_INVALID' } },
  { method: 'contacts.block', answer: { kind: 'error', code: 400, message: 'CONTACT_ID_INVALID' } },
];

/** The old GramJS's session with the fake's pre-shared keys (see e2e/fake-telegram/preshared-session.ts). */
async function oldSession(): Promise<unknown> {
  const key1 = new old.AuthKey();
  await key1.setKey(PRESHARED_KEYS.get(1)!);
  const session = new old.StringSession('');
  session.setDC(1, DC_HOSTS[1], 443);
  session.setAuthKey(key1);
  return session;
}

async function runOldClient(
  tap: (conn: string, url: string) => (direction: 'in' | 'out', bytes: Uint8Array) => void,
): Promise<{ log: FakeTelegramLog; outcomes: string[] }> {
  const readCall = (body: Buffer) => new old.BinaryReader(body).tgReadObject() as TLObject;
  const fake = await startFakeTelegram({ script: SCRIPT, readCall });
  let connections = 0;
  class TappedSocket extends old.PromisedWebSockets {
    getWebSocketLink(): string {
      return `ws://127.0.0.1:${fake.port}/apiws`;
    }
    async connect(port: number, ip: string) {
      const feed = tap(`ws:${++connections}`, `wss://${ip}/apiws`);
      const opened = await super.connect(port, ip);
      const client = this.client as { send(d: Uint8Array): void; onmessage(m: { data: ArrayBuffer }): unknown };
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
  const client = new old.TelegramClient(await oldSession(), 1, 'fake-api-hash', {
    connection: old.ConnectionTCPObfuscated,
    networkSocket: TappedSocket,
    connectionRetries: 1,
    baseLogger: new old.Logger.Logger(old.Logger.LogLevel.NONE),
  });
  const { Api, big } = old;
  const peer = new Api.InputPeerSelf();
  const media = new Api.InputMediaGeoPoint({ geoPoint: new Api.InputGeoPoint({ lat: 1.5, long: 2.5 }) });
  const calls: Array<[string, () => unknown]> = [
    ['sendMessage', () => new Api.messages.SendMessage({ peer, message: 'old hello', randomId: big(11), replyToMsgId: 5 })],
    ['sendMedia', () => new Api.messages.SendMedia({ peer, media, message: 'map', randomId: big(12) })],
    ['sendMultiMedia', () => new Api.messages.SendMultiMedia({ peer, multiMedia: [new Api.InputSingleMedia({ media, randomId: big(13), message: 'a' })] })],
    ['saveDraft', () => new Api.messages.SaveDraft({ peer, message: 'draft' })],
    ['getDifference', () => new Api.updates.GetDifference({ pts: 10, date: 1700000000, qts: 0 })],
    ['block', () => new Api.contacts.Block({ id: peer })],
  ];
  const outcomes: string[] = [];
  try {
    await client.connect();
    for (const [name, make] of calls) {
      try {
        await client.invoke(make());
        outcomes.push(`${name} ok`);
      } catch (e) {
        // GramJS's FloodWaitError says 'FLOOD' and keeps the number in `seconds`.
        const err = e as { errorMessage?: string; seconds?: number; message: string };
        outcomes.push(`${name} ${err.errorMessage ?? err.message}${err.seconds ? ` ${err.seconds}` : ''}`);
      }
    }
  } finally {
    await client.destroy().catch(() => undefined);
    await fake.close();
  }
  return { log: fake.log(), outcomes };
}

describe('an old GramJS (layer 158) on the wire, through the hook and the decoder', () => {
  it('every error is named and its request decoded by layer 158', async () => {
    expect(old.LAYER).toBe(158);
    const keys = presharedKeys();
    const triage = new EncryptedTriage();
    triage.setKeys(keys.bytes);
    const session = new CaptureSession();
    const records: Omit<ErrorRecord, 'id'>[] = [];
    const { log, outcomes } = await runOldClient((conn, url) => {
      const head = new ClientHead();
      const offsets = { in: 0, out: 0 };
      const inspector = new MtprotoInspector(
        {
          url,
          clientHead: () => head.current,
          emitFrame: () => undefined,
          emitEncrypted: (direction, payload, offset, framing, encrypted, payloadLength) => {
            const capture: HookCapture = {
              v: 1,
              channel: 'websocket',
              direction,
              url,
              at: Date.now(),
              kind: 'binary',
              data: toBase64(payload),
              conn,
              offset,
              clientHead: toHex(head.current),
              framing,
              encrypted,
              payloadLength,
            };
            records.push(...decodeCapture(capture, session, keys.ring).records);
          },
        },
        triage,
      );
      return (direction, bytes) => {
        head.see(direction, bytes);
        inspector.inspect(direction, bytes, offsets[direction]);
        offsets[direction] += bytes.length;
      };
    });

    // The fake read every call with layer 158's own GramJS, and the client saw every error.
    expect(log.problems).toEqual([]);
    expect(log.calls[0].wrappers).toEqual(['InvokeWithLayer', 'InitConnection']);
    expect(outcomes).toEqual([
      'sendMessage FLOOD 300',
      'sendMedia CHAT_SEND_MEDIA_FORBIDDEN',
      'sendMultiMedia MEDIA_INVALID',
      'saveDraft PEER_ID_INVALID',
      'getDifference PERSISTENT_TIMESTAMP_INVALID',
      'block CONTACT_ID_INVALID',
    ]);

    // Our side: each error with its method, none unnamed, requests decoded by the layer-158 layout.
    expect(records.map((r) => `${r.message} ${r.method}`)).toEqual([
      'FLOOD_WAIT_300 messages.sendMessage',
      'CHAT_SEND_MEDIA_FORBIDDEN messages.sendMedia',
      'MEDIA_INVALID messages.sendMultiMedia',
      'PEER_ID_INVALID messages.saveDraft',
      'PERSISTENT_TIMESTAMP_INVALID updates.getDifference',
      'CONTACT_ID_INVALID contacts.block',
    ]);
    const params = records.map((r) => r.request?.params as Record<string, unknown> | undefined);
    expect(params.every((p) => p !== undefined && p._ !== 'unknown')).toBe(true);
    expect(params[0]).toMatchObject({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'old hello', reply_to_msg_id: 5 });
    expect(params[1]).toMatchObject({ _: 'messages.sendMedia', media: { _: 'inputMediaGeoPoint' }, message: 'map' });
    expect(params[2]).toMatchObject({ _: 'messages.sendMultiMedia', multi_media: [{ _: 'inputSingleMedia', message: 'a' }] });
    expect(params[3]).toMatchObject({ _: 'messages.saveDraft', message: 'draft' });
    expect(params[4]).toEqual({ _: 'updates.getDifference', pts: 10, date: 1700000000, qts: 0 });
    expect(params[5]).toMatchObject({ _: 'contacts.block', id: { _: 'inputPeerSelf' } });
  }, 30_000);
});
