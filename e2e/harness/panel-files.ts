// Files the panel e2e imports: our export (from generated records), a HAR as DevTools'
// Network panel saves it (response bodies and `_webSocketMessages`), and garbage.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frame, rpcError, rpcResult, TRANSPORT_TAG, unencryptedMessage } from '../demo/tl-frames.ts';
import { exportText } from './panel-records.ts';
import type { ErrorRecord } from '../../src/core/record.ts';

const dir = mkdtempSync(join(tmpdir(), 'panel-e2e-'));

export function writeTemp(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

export function exportFile(name: string, records: ErrorRecord[]): string {
  return writeTemp(name, exportText(records));
}

/** A HAR with a TL-JSON error body, a Bot API error, and a WebSocket carrying an MTProto FLOOD_WAIT_30. */
export function harText(at: number): string {
  const iso = (ms: number) => new Date(ms).toISOString();
  const clientFirst = Buffer.concat([TRANSPORT_TAG.intermediate, frame('intermediate', unencryptedMessage(0x6500000000000004n, Buffer.from([1, 2, 3, 4])))]);
  const serverFrame = frame('intermediate', unencryptedMessage(0x6500000000000005n, rpcResult(0x6500000000000004n, rpcError(420, 'FLOOD_WAIT_30'))));
  return JSON.stringify({
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      pages: [{ startedDateTime: iso(at), id: 'page_1', title: 'https://web.telegram.org/k/', pageTimings: {} }],
      entries: [
        {
          startedDateTime: iso(at),
          _resourceType: 'fetch',
          request: { method: 'POST', url: 'https://venus.web.telegram.org/apiw1', headers: [] },
          response: {
            status: 200,
            content: {
              mimeType: 'application/json',
              text: JSON.stringify({ _: 'rpc_result', result: { _: 'rpc_error', error_code: 400, error_message: 'PEER_ID_INVALID' } }),
            },
          },
        },
        {
          startedDateTime: iso(at + 100),
          _resourceType: 'xhr',
          request: { method: 'POST', url: 'https://api.telegram.org/bot123:secret/sendMessage', headers: [] },
          response: {
            status: 429,
            content: {
              mimeType: 'application/json',
              text: JSON.stringify({ ok: false, error_code: 429, description: 'Too Many Requests: retry after 35', parameters: { retry_after: 35 } }),
            },
          },
        },
        {
          startedDateTime: iso(at + 200),
          _resourceType: 'websocket',
          request: { method: 'GET', url: 'wss://kws2.web.telegram.org/apiws', headers: [] },
          response: { status: 101, content: { mimeType: 'x-unknown', text: '' } },
          _webSocketMessages: [
            { type: 'send', time: (at + 300) / 1000, opcode: 2, data: clientFirst.toString('base64') },
            { type: 'receive', time: (at + 400) / 1000, opcode: 2, data: serverFrame.toString('base64') },
            { type: 'receive', time: (at + 500) / 1000, opcode: 1, data: 'not an error' },
          ],
        },
        {
          startedDateTime: iso(at + 600),
          _resourceType: 'document',
          request: { method: 'GET', url: 'https://web.telegram.org/k/' },
          response: { status: 200, content: { mimeType: 'text/html', text: '<html>rpc_error</html>' } },
        },
      ],
    },
  });
}
