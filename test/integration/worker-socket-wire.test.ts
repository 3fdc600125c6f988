// GramJS (the real library, in Node with the browser's transport) against the fake Telegram, its
// socket's whole messages handed to the worker-socket reader as chrome.debugger hands them
// (base64 per WebSocket message), next to the page hook's inspector on the same bytes: both
// make the same captures, and with the keys given the background's decoder reads every error
// the server sent, with its method and DC.

import { describe, expect, it } from 'vitest';
import { MtprotoInspector } from '../../src/hook/websocket/mtproto-inspector.ts';
import { EncryptedTriage } from '../../src/core/mtproto/decrypt/encrypted-triage.ts';
import { SocketUnitReader } from '../../src/core/mtproto/transport/socket-units.ts';
import { CaptureSession, decodeCapture } from '../../src/core/capture/decode-capture.ts';
import { toBase64, toHex } from '../../src/core/mtproto/bytes.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';
import { ClientHead, presharedKeys, runTappedGramjs } from './gramjs-tap.ts';

describe('a worker socket read from its messages', () => {
  it("makes the hook inspector's captures, and with keys every error the server sent", async () => {
    const keys = presharedKeys();
    const triage = new EncryptedTriage();
    triage.setKeys(keys.bytes);
    const hookCaptures: HookCapture[] = [];
    const readerCaptures: HookCapture[] = [];
    const log = await runTappedGramjs((conn, url) => {
      const head = new ClientHead();
      const offsets = { in: 0, out: 0 };
      const capture = (direction: 'in' | 'out', data: Uint8Array, offset: number, framing: HookCapture['framing']): HookCapture => ({
        v: 1,
        channel: 'websocket',
        direction,
        url,
        at: 0,
        kind: 'binary',
        data: toBase64(data),
        conn,
        offset,
        clientHead: toHex(head.current),
        framing,
      });
      const inspector = new MtprotoInspector(
        {
          url,
          clientHead: () => head.current,
          emitFrame: (direction, frame, offset, framing) => hookCaptures.push(capture(direction, frame, offset, framing)),
          emitEncrypted: (direction, payload, offset, framing, encrypted, payloadLength) =>
            hookCaptures.push({ ...capture(direction, payload, offset, framing), encrypted, payloadLength }),
        },
        triage,
      );
      const reader = new SocketUnitReader({ url, conn, fromStart: true, triage: () => triage });
      return (direction, bytes) => {
        head.see(direction, bytes);
        inspector.inspect(direction, bytes, offsets[direction]);
        offsets[direction] += bytes.length;
        readerCaptures.push(...reader.message(direction, 2, Buffer.from(bytes).toString('base64'), 0));
      };
    });

    // The same units, in the same order, with the same fields (the hook's clientHead is
    // what it had seen when it reported; the reader's is the whole init: both 64 bytes here).
    // The reader also notes the answers that held no error (the hook's AnswerNotes, not wired here).
    const answerNotes = readerCaptures.filter((c) => c.answers !== undefined);
    const units = readerCaptures.filter((c) => c.answers === undefined);
    expect(units.length).toBeGreaterThan(20);
    expect(units).toEqual(hookCaptures);

    const session = new CaptureSession();
    const records = readerCaptures.flatMap((c) => decodeCapture(c, session, keys.ring).records);
    const seen = records.map((r) => `${r.code} ${r.message} ${r.method} dc${r.dc}`);
    for (const error of log.errors) {
      const text =
        error.kind === 'bad_server_salt'
          ? `48 bad_server_salt 48 ${error.method} dc${error.dc}`
          : `${error.code} ${error.message} ${error.method} dc${error.dc}`;
      expect(seen).toContain(text);
    }
    expect(records).toHaveLength(log.errors.length);

    // Every call the server answered without an error is answered in the notes or in a capture
    // the decoder read (a container, an answer kept for its first bytes): the call log's `ok`.
    const okSeen = new Set(answerNotes.flatMap((c) => decodeCapture(c, session, keys.ring).answers ?? []).map((a) => a.reqMsgId));
    const decodedAnswers = new CaptureSession();
    for (const c of units) for (const a of decodeCapture(c, decodedAnswers, keys.ring).answers ?? []) okSeen.add(a.reqMsgId);
    const failed = new Set(log.errors.map((e) => e.reqMsgId));
    const answeredOk = log.calls.filter((c) => !failed.has(c.msgId));
    expect(answerNotes.length).toBeGreaterThan(0);
    for (const call of answeredOk) expect(okSeen.has(call.msgId), `${call.method} ${call.msgId}`).toBe(true);
    for (const c of answerNotes) expect(c).toMatchObject({ kind: 'request', direction: 'in', data: '', conn: expect.any(String) });
  }, 40_000);
});
