import { describe, expect, it } from 'vitest';
import { parseImportFile, asRecord } from '../../../src/panel/files/import-file.ts';
import { buildExportFile } from '../../../src/core/export-format.ts';
import { toBase64 } from '../../../src/core/mtproto/bytes.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { makeRecord } from '../../helpers/make-record.ts';

const rec = (id: number, o: Partial<ErrorRecord> = {}) => ({ ...makeRecord(o), id }) as ErrorRecord;
const AT = Date.parse('2026-11-21T12:00:00.000Z');

/** rpc_result -> rpc_error inside an unencrypted message in an intermediate frame (as on the wire). */
function mtprotoErrorFrame(code: number, message: string): Uint8Array {
  const text = new TextEncoder().encode(message);
  const strLen = Math.ceil((1 + text.length) / 4) * 4;
  const body = new Uint8Array(20 + strLen);
  const bv = new DataView(body.buffer);
  bv.setUint32(0, 0xf35c6d01, true);
  bv.setBigUint64(4, 0x6500000000000004n, true);
  bv.setUint32(12, 0x2144ca19, true);
  bv.setInt32(16, code, true);
  body[20] = text.length;
  body.set(text, 21);
  const msg = new Uint8Array(20 + body.length);
  const mv = new DataView(msg.buffer);
  mv.setBigUint64(8, 0x6500000000000005n, true);
  mv.setInt32(16, body.length, true);
  msg.set(body, 20);
  const frame = new Uint8Array(4 + msg.length);
  new DataView(frame.buffer).setInt32(0, msg.length, true);
  frame.set(msg, 4);
  return frame;
}

function har(entries: unknown[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'WebInspector' }, pages: [{ title: 'https://web.telegram.org/a/' }], entries } });
}

describe('import: our export', () => {
  it('reads its records back, sorted by id, with the page URL', () => {
    const file = buildExportFile([rec(2), rec(1, { message: 'FLOOD_WAIT_30' })], 'https://web.telegram.org/k/', new Date(AT));
    const result = parseImportFile('log.json', JSON.stringify(file));
    expect(result.kind).toBe('log');
    if (result.kind !== 'log') return;
    expect(result.source).toBe('export');
    expect(result.pageUrl).toBe('https://web.telegram.org/k/');
    expect(result.records.map((r) => r.id)).toEqual([1, 2]);
    expect(result.records[0]).toEqual(rec(1, { message: 'FLOOD_WAIT_30' }));
  });

  it('skips entries that are not records and defaults optional fields of older files', () => {
    const { chainId: _c, evidence: _e, ...old } = rec(3);
    const text = JSON.stringify({ format: 'telegram-api-errors', version: 1, page: { url: null }, errors: [old, { id: 'x' }, 42, null] });
    const result = parseImportFile('old.json', text);
    if (result.kind !== 'log') throw new Error('expected a log');
    expect(result.records).toHaveLength(1);
    expect(result.records[0]).toMatchObject({ id: 3, chainId: null, evidence: null });
    expect(result.notes.join(' ')).toMatch(/3 entries were not error records/);
    expect(asRecord({ id: 1, capturedAt: 'not a date', code: 1, message: 'x', class: 'INTERNAL' })).toBeNull();
  });

  it('keeps the fields later versions added (request parameters, client call, note) and drops malformed ones', () => {
    const withRequest = {
      ...makeRecord({ id: 1 }),
      clientCall: 'appMessagesManager.sendText',
      note: 'n',
      request: { params: { _: 'messages.sendMessage', message: 'hi' }, fingerprint: 'ab12' },
    };
    const back = asRecord(JSON.parse(JSON.stringify(withRequest)))!;
    expect(back.request).toEqual({ params: { _: 'messages.sendMessage', message: 'hi' }, fingerprint: 'ab12' });
    expect(back.clientCall).toBe('appMessagesManager.sendText');
    expect(back.note).toBe('n');
    const malformed = asRecord({ ...makeRecord({ id: 2 }), request: 'x', clientCall: 5 })!;
    expect(malformed.request).toBeUndefined();
    expect(malformed.clientCall).toBeUndefined();
  });

  it('keeps the mark of an error read on a SharedWorker several tabs share, and drops a malformed one', () => {
    expect(asRecord({ ...makeRecord({ id: 1 }), sharedWorker: { tabs: 2 } })!.sharedWorker).toEqual({ tabs: 2 });
    for (const bad of [{ tabs: 1 }, { tabs: 'two' }, { tabs: 2.5 }, 'yes'])
      expect(asRecord({ ...makeRecord({ id: 1 }), sharedWorker: bad })!.sharedWorker).toBeUndefined();
  });

  it('refuses a newer version with a message that says so', () => {
    const result = parseImportFile('new.json', JSON.stringify({ format: 'telegram-api-errors', version: 2, errors: [] }));
    expect(result).toMatchObject({ kind: 'error' });
    if (result.kind === 'error') expect(result.message).toMatch(/version 2/);
  });
});

describe('import: HAR from the Network panel', () => {
  it('scans response bodies and WebSocket messages like live traffic, and links redirect chains', () => {
    const iso = (ms: number) => new Date(AT + ms).toISOString();
    const rpc = (code: number, message: string) =>
      JSON.stringify({ _: 'rpc_result', method: 'auth.sendCode', result: { _: 'rpc_error', error_code: code, error_message: message } });
    const text = har([
      {
        startedDateTime: iso(0),
        _resourceType: 'fetch',
        request: { url: 'https://venus.web.telegram.org/apiw1' },
        response: { status: 200, content: { mimeType: 'application/json', text: rpc(303, 'PHONE_MIGRATE_4') } },
      },
      {
        startedDateTime: iso(100),
        _resourceType: 'xhr',
        request: { url: 'https://api.telegram.org/bot123:SECRET/sendMessage' },
        response: {
          status: 429,
          content: {
            mimeType: 'application/json',
            encoding: 'base64',
            text: btoa(JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 35' })),
          },
        },
      },
      {
        startedDateTime: iso(200),
        _resourceType: 'websocket',
        request: { url: 'wss://kws2.web.telegram.org/apiws' },
        response: { status: 101, content: { text: '' } },
        _webSocketMessages: [
          { type: 'send', time: (AT + 300) / 1000, opcode: 2, data: toBase64(new Uint8Array([0xee, 0xee, 0xee, 0xee, 4, 0, 0, 0, 1, 2, 3, 4])) },
          { type: 'receive', time: (AT + 400) / 1000, opcode: 2, data: toBase64(mtprotoErrorFrame(420, 'FLOOD_WAIT_30')) },
          { type: 'receive', time: (AT + 500) / 1000, opcode: 1, data: JSON.stringify({ _: 'rpc_error', error_code: 400, error_message: 'PEER_ID_INVALID' }) },
        ],
      },
      {
        startedDateTime: iso(600),
        _resourceType: 'document',
        request: { url: 'https://web.telegram.org/a/' },
        response: { status: 200, content: { mimeType: 'text/html', text: '<p>rpc_error FLOOD_WAIT_5</p>' } },
      },
    ]);
    const result = parseImportFile('session.har', text);
    if (result.kind !== 'log') throw new Error(JSON.stringify(result));
    expect(result.source).toBe('har');
    expect(result.pageUrl).toBe('https://web.telegram.org/a/');
    expect(result.records.map((r) => [r.id, r.message, r.channel, r.dialect])).toEqual([
      [1, 'PHONE_MIGRATE_4', 'fetch', 'tl-json'],
      [2, 'Too Many Requests: retry after 35', 'xhr', 'bot-api'],
      [3, 'FLOOD_WAIT_30', 'websocket', 'mtproto'],
      [4, 'PEER_ID_INVALID', 'websocket', 'tl-json'],
    ]);
    expect(result.records[0]).toMatchObject({ dc: 2, chainId: 1, method: 'auth.sendCode', action: { kind: 'redirect', dc: 4 } });
    expect(result.records[1].url).toContain('bot123:***');
    expect(result.records[2].evidence).toMatchObject({ kind: 'bytes', path: ['rpc_result', 'rpc_error'] });
    expect(result.records[2].capturedAt).toBe(new Date(AT + 400).toISOString());
  });

  it('an empty HAR is a log with no errors', () => {
    const result = parseImportFile('empty.har', har([]));
    expect(result).toMatchObject({ kind: 'log', records: [] });
  });
});

describe('import: anything else', () => {
  it.each([
    ['notes.txt', 'hello', /not JSON/],
    ['data.json', '{"a":1}', /neither a Telegram API errors export \(\.json\) nor a HAR file/],
    ['list.json', '[1,2,3]', /neither/],
    ['null.json', 'null', /neither/],
    ['har-ish.har', '{"log":{"entries":"nope"}}', /neither/],
    ['binary.bin', '\u0000\u0001\u0002', /not JSON/],
  ])('%s gets a clear message', (name, text, message) => {
    const result = parseImportFile(name, text);
    expect(result.kind).toBe('error');
    if (result.kind === 'error') {
      expect(result.message).toMatch(message);
      expect(result.message.startsWith(name)).toBe(true);
    }
  });
});
