// Crashes and unbounded outputs the fuzzing pass (test/fuzz/*.fuzz.test.ts) found, one test each.

import { describe, expect, it } from 'vitest';
import { decodeCapture } from '../../src/core/capture/decode-capture.ts';
import { MAX_MESSAGE_CHARS } from '../../src/core/errors/classify.ts';
import { parseImportFile } from '../../src/panel/files/import-file.ts';

describe('found by fuzzing', () => {
  it('an error text of a megabyte gives a record of a few KB, not three copies of it', () => {
    const text = 'A'.repeat(900_000);
    for (const data of [
      JSON.stringify({ _: 'rpc_error', error_code: 400, error_message: text }),
      JSON.stringify({ '@type': 'error', code: 400, message: text }),
    ]) {
      const { records } = decodeCapture({ v: 1, channel: 'worker', direction: 'in', url: 'http://127.0.0.1/w.js', at: 1, kind: 'structured', data });
      expect(records).toHaveLength(1);
      expect(records[0].message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
      expect(records[0].message.endsWith('\u2026')).toBe(true);
      expect(JSON.stringify(records[0]).length).toBeLessThan(8 * 1024);
    }
  });

  it('the cut never leaves half a surrogate pair', () => {
    const text = 'B'.repeat(MAX_MESSAGE_CHARS - 2) + '\u{1F600}'.repeat(10);
    const { records } = decodeCapture({
      v: 1,
      channel: 'fetch',
      direction: 'in',
      url: 'https://x.test/',
      at: 1,
      kind: 'text',
      data: JSON.stringify({ _: 'rpc_error', error_code: 400, error_message: text }),
    });
    expect(records[0].message).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it('a HAR whose entries or WebSocket messages are null, or whose mimeType is not text, is read, not thrown on', () => {
    const files = [
      '{"log":{"entries":[null,1,"x",[]]}}',
      '{"log":{"entries":[{"request":{"url":"wss://x.test/"},"_webSocketMessages":[null,1,"x",{"type":"receive","opcode":1,"data":"{\\"error_code\\":400,\\"error_message\\":\\"X\\",\\"_\\":\\"rpc_error\\"}"}]}]}}',
      '{"log":{"entries":[{"request":{"url":"https://x.test/"},"response":{"status":400,"content":{"mimeType":5,"text":"{\\"ok\\":false,\\"error_code\\":400,\\"description\\":\\"Bad Request: x\\"}"}}}]}}',
      '{"log":{"entries":[{"request":{"url":"https://x.test/"},"response":{"content":{"mimeType":{},"encoding":"base64","text":"e30="}}}]}}',
    ];
    const counts = files.map((text) => {
      const r = parseImportFile('x.har', text);
      expect(r.kind).toBe('log');
      return r.kind === 'log' ? r.records.length : -1;
    });
    expect(counts).toEqual([0, 1, 1, 0]);
  });
});
