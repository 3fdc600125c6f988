// GramJS (the real library) against the project's fake Telegram, its traffic fed through the
// page hook's MTProto inspector and the background's decoder exactly as the extension wires
// them. With the keys given, every error the server sent is read with its method, including
// those GramJS handled itself; without keys, each connection is reported once by its
// auth_key_id and nothing else leaves the page.

import { describe, expect, it } from 'vitest';
import { MtprotoInspector } from '../../src/hook/websocket/mtproto-inspector.ts';
import { EncryptedTriage } from '../../src/core/mtproto/decrypt/encrypted-triage.ts';
import { CaptureSession, decodeCapture } from '../../src/core/capture/decode-capture.ts';
import { toBase64, toHex } from '../../src/core/mtproto/bytes.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';
import type { ErrorRecord } from '../../src/core/record.ts';
import type { FakeTelegramLog } from '../../e2e/fake-telegram/index.ts';
import { ClientHead, presharedKeys, runTappedGramjs } from './gramjs-tap.ts';

interface WireRun {
  captures: HookCapture[];
  records: Omit<ErrorRecord, 'id'>[];
  log: FakeTelegramLog;
}

/** One scenario run; `withKeys` arms the hook's triage and the background's key ring. */
async function runWire(withKeys: boolean): Promise<WireRun> {
  const keys = presharedKeys();
  const triage = new EncryptedTriage();
  if (withKeys) triage.setKeys(keys.bytes);
  const session = new CaptureSession();
  const captures: HookCapture[] = [];
  const records: Omit<ErrorRecord, 'id'>[] = [];
  const log = await runTappedGramjs((conn, url) => {
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
          captures.push(capture);
          records.push(...decodeCapture(capture, session, withKeys ? keys.ring : null).records);
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
  return { captures, records, log };
}

describe('GramJS on the wire, through the hook and the decoder', () => {
  it('with keys: every rpc_error and bad_server_salt the server sent, with its method', async () => {
    const { records, log } = await runWire(true);
    const seen = records.map((r) => `${r.code} ${r.message} ${r.method}`);
    expect(log.errors.length).toBeGreaterThanOrEqual(9);
    for (const error of log.errors) {
      const text = error.kind === 'bad_server_salt' ? `48 bad_server_salt 48 ${error.method}` : `${error.code} ${error.message} ${error.method}`;
      expect(seen).toContain(text);
    }
    expect(records).toHaveLength(log.errors.length);
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
