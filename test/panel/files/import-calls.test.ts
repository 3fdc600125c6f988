// Export all writes the call log and each error's `before`; import keeps them; a HAR import
// fills the calls its MTProto bodies show.
import { describe, expect, it } from 'vitest';
import { parseImportFile } from '../../../src/panel/files/import-file.ts';
import { buildExportFile } from '../../../src/core/export-format.ts';
import { CallLog } from '../../../src/core/calls/call-log.ts';
import { toBase64 } from '../../../src/core/mtproto/bytes.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { makeRecord } from '../../helpers/make-record.ts';
import { concat, intermediateFrame, rpcError, rpcResult, tl, u32, unencrypted } from '../../mtproto/tl-helpers.ts';

const AT = Date.parse('2026-11-21T12:00:00.000Z');

describe('export and import of the call log', () => {
  it('writes calls in time order and before on errors, version 1, and reads both back', () => {
    const log = new CallLog();
    for (let i = 0; i < 5; i++) log.add({ at: AT + i * 1000, method: 'messages.getHistory', dc: 2, channel: 'websocket', msgId: String(i) });
    log.answered('0', AT + 100);
    const linked = log.linkError({ id: 1, at: AT + 4_500, method: 'messages.getHistory', channel: 'websocket', dc: 2, class: 'FLOOD', reqMsgId: '4' });
    const record = {
      ...makeRecord({ method: 'messages.getHistory', capturedAt: new Date(AT + 4_500).toISOString() }),
      id: 1,
      before: linked.before,
    } as ErrorRecord;
    const file = JSON.parse(JSON.stringify(buildExportFile([record], null, new Date(AT), log.calls())));
    expect(file.version).toBe(1);
    expect(file.calls).toHaveLength(5);
    expect(file.calls[0]).toEqual({
      id: 1,
      at: '2026-11-21T12:00:00.000Z',
      method: 'messages.getHistory',
      dc: 2,
      channel: 'websocket',
      outcome: 'ok',
      durationMs: 100,
      recordId: null,
    });
    expect(file.calls[4]).toMatchObject({ outcome: 'error', recordId: 1, durationMs: 500 });
    expect(file.calls[2]).toMatchObject({ outcome: 'pending', durationMs: null, recordId: null });
    expect(file.errors[0].before).toEqual({ windowMs: 60000, calls: 5, sameMethod: { count: 4, maxPer10s: 4 } });
    const back = parseImportFile('x.json', JSON.stringify(file));
    if (back.kind !== 'log') throw new Error(back.message);
    expect(back.records[0].before).toEqual(linked.before);
    expect(back.calls.map((c) => [c.id, c.outcome, c.recordId])).toEqual(log.calls().map((c) => [c.id, c.outcome, c.recordId]));
    // The error call's class and wait come back from its record.
    expect(back.calls[4]).toMatchObject({ errorClass: 'FLOOD', waitSeconds: 17 });
  });

  it('an export without calls (older, or a filtered view) imports with none', () => {
    const file = buildExportFile([], null, new Date(AT));
    expect('calls' in file).toBe(false);
    const back = parseImportFile('x.json', JSON.stringify({ ...file, calls: [{ id: 'bad' }] }));
    if (back.kind !== 'log') throw new Error(back.message);
    expect(back.calls).toEqual([]);
    expect(back.notes.join(' ')).toMatch(/1 entries of "calls"/);
  });

  it('a HAR import fills the calls of the WebSocket MTProto it holds, with answers and errors', () => {
    const history = () =>
      tl({ _: 'messages.getHistory', peer: { _: 'inputPeerSelf' }, offsetId: 0, offsetDate: 0, addOffset: 0, limit: 20, maxId: 0, minId: 0, hash: 0n });
    const ids = [0x6500000000000004n, 0x6500000000000008n, 0x650000000000000cn];
    const msg = (type: 'send' | 'receive', at: number, bytes: Uint8Array) => ({ type, time: (AT + at) / 1000, opcode: 2, data: toBase64(bytes) });
    const messages = [
      msg('send', 0, concat(u32(0xeeeeeeee), intermediateFrame(unencrypted(ids[0], history())))),
      msg('send', 10, intermediateFrame(unencrypted(ids[1], history()))),
      msg('send', 20, intermediateFrame(unencrypted(ids[2], history()))),
      msg('send', 25, intermediateFrame(unencrypted(ids[2] + 4n, tl({ _: 'mt_ping', pingId: 1n } as never)))),
      msg('receive', 50, intermediateFrame(unencrypted(0x6500000000000101n, rpcResult(ids[0], u32(0x997275b5))))),
      msg('receive', 70, intermediateFrame(unencrypted(0x6500000000000105n, rpcResult(ids[2], rpcError(420, 'FLOOD_WAIT_3'))))),
    ];
    const text = JSON.stringify({
      log: { entries: [{ startedDateTime: new Date(AT).toISOString(), request: { url: 'wss://venus.web.telegram.org/apiws' }, _webSocketMessages: messages }] },
    });
    const result = parseImportFile('s.har', text);
    if (result.kind !== 'log') throw new Error(result.message);
    expect(result.records).toHaveLength(1);
    expect(result.calls.map((c) => [c.method, c.dc, c.outcome, c.durationMs, c.recordId])).toEqual([
      ['messages.getHistory', 2, 'ok', 50, null],
      ['messages.getHistory', 2, 'pending', null, null],
      ['messages.getHistory', 2, 'error', 50, 1],
    ]);
    expect(result.records[0].before).toEqual({ windowMs: 60000, calls: 3, sameMethod: { count: 2, maxPer10s: 2 } });
  });
});
