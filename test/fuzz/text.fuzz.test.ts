// Fuzzing pass over the text decoders (issue 14): JSON dialects (whole bodies, NDJSON, SSE),
// worker envelopes (Web K tasks, Web A payloads, mtcute results), GramJS error texts, key
// parsing (hex, base64, Web K accounts, string sessions, dumps), decodeCapture on text and
// structured captures, and the import of our JSON export and of HAR files. Valid inputs are
// mutated (characters cut, inserted, repeated; markup, controls, lone surrogates), and nesting
// bombs and huge counts are thrown at each. Every case: no throw, done within CASE_MS, output
// bounded.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { findErrors, findErrorsInText } from '../../src/core/dialects/dialects.ts';
import { readGramjsText, methodFromClassName } from '../../src/core/dialects/gramjs-text.ts';
import { matchWorkerProtocol } from '../../src/core/dialects/worker-dialects.ts';
import { parseAuthKeys } from '../../src/core/keys/parse-keys.ts';
import { splitErrorMessage } from '../../src/core/errors/parse-message.ts';
import { CaptureSession, decodeCapture, type DecodedCapture } from '../../src/core/capture/decode-capture.ts';
import { parseImportFile } from '../../src/panel/files/import-file.ts';
import { buildExportFile } from '../../src/core/export-format.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';
import { makeRecord } from '../helpers/make-record.ts';
import { mutatedText, nestingBomb, params, timed } from './fuzz-kit.ts';

const rpc = (code: number, message: string) => ({ _: 'rpc_error', error_code: code, error_message: message });
const apiError = (code: number, message: string) => ({ type: message, message: `CODE#${code} ${message}`, originalError: rpc(code, message), code });
const task = (type: string, payload: unknown, id: number) => ({ type, payload, id });

const documents: unknown[] = [
  rpc(420, 'FLOOD_WAIT_17'),
  { _: 'rpc_result', req_msg_id: '1', result: rpc(303, 'PHONE_MIGRATE_4') },
  { '@type': 'error', code: 429, message: 'Too Many Requests: retry after 5', '@extra': 7 },
  { ok: false, error_code: 429, description: 'Too Many Requests: retry after 9', parameters: { retry_after: 9 } },
  { errorMessage: 'FLOOD_WAIT_3', code: 420 },
  [{ id: 1, result: [rpc(400, 'PEER_ID_INVALID')] }],
  task(
    'batch',
    [
      task('result', { taskId: 1.5, error: apiError(420, 'FLOOD_WAIT_120') }, 2.5),
      task('ack', { taskId: 3.5, cached: true, error: apiError(400, 'PEER_ID_INVALID') }, 4.5),
    ],
    5.5,
  ),
  task('invoke', { type: 'apiManager.invokeApi', args: ['messages.sendMessage', {}] }, 9.5),
  { payloads: [{ type: 'methodResponse', messageId: '17', error: { message: 'RPCError 400: INVITE_HASH_EXPIRED (caused by messages.ImportChatInvite)' } }] },
  { payloads: [{ type: 'unhandledError', error: { message: 'A wait of 7 seconds is required (caused by upload.GetFile)' } }] },
  { type: 'update', update: { '@type': 'error', error: { message: 'FLOOD', isSlowMode: true, seconds: 5 } } },
  {
    type: 'result',
    id: 4,
    error: {
      name: 'RpcError',
      message: 'A wait of 30 seconds is required',
      stack: 'RpcError (420 FLOOD_WAIT_%d): x\n    at messages.sendMessage',
      custom: { code: 420, text: 'FLOOD_WAIT_%d', seconds: 30 },
    },
  },
  { type: 'error', error: { name: 'Error', message: 'Unknown RPC error: [400:BOOSTS_REQUIRED]' } },
];
const texts = [
  ...documents.map((d) => JSON.stringify(d)),
  documents.map((d) => JSON.stringify(d)).join('\n'),
  documents.map((d) => `event: x\ndata: ${JSON.stringify(d)}\n\n`).join(''),
];
const gramjsTexts = [
  'RPCError 400: INVITE_HASH_EXPIRED (caused by messages.ImportChatInvite)',
  'RPCError 420: FROZEN_METHOD_INVALID',
  'A wait of 9 seconds is required before sending another message in this chat (caused by messages.SendMessage)',
  'The file to be accessed is currently stored in DC 4',
  'Message failed to be sent.',
  'Request was unsuccessful 5 time(s)',
];

function boundedFind(r: { errors: unknown[] }, chars: number): void {
  expect(r.errors.length).toBeLessThanOrEqual(64 + chars / 8);
  // The message is the parsed string itself (classification cuts it); the excerpt is bounded.
  for (const e of r.errors as { excerpt?: string }[]) expect((e.excerpt ?? '').length).toBeLessThanOrEqual(400);
}

function boundedCapture(d: DecodedCapture, chars: number): void {
  expect(d.records.length).toBeLessThanOrEqual(64 + chars / 8);
  expect(d.diagnostics.length).toBeLessThanOrEqual(64 + chars / 8);
  expect(d.diagnostics.filter((x) => x.startsWith('decoder failure'))).toEqual([]);
  for (const r of d.records) expect(JSON.stringify(r).length).toBeLessThan(64 * 1024);
}

/** Huge structures made of a few characters: deep nesting, long arrays, wide objects, long strings. */
const bombs = fc.oneof(
  fc.integer({ min: 100, max: 200_000 }).map((n) => nestingBomb(n, JSON.stringify(rpc(420, 'FLOOD_WAIT_1')))),
  fc.integer({ min: 100, max: 100_000 }).map((n) => nestingBomb(n, '1', true)),
  fc.integer({ min: 1000, max: 60_000 }).map(
    (n) =>
      `[${Array(n)
        .fill(JSON.stringify(rpc(400, 'X')))
        .join(',')}]`,
  ),
  fc.integer({ min: 1000, max: 100_000 }).map((n) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')},"error_code":400,"error_message":"A"}`),
  fc.integer({ min: 1000, max: 900_000 }).map((n) => JSON.stringify(rpc(400, 'A'.repeat(n)))),
  fc.integer({ min: 100, max: 50_000 }).map((n) => 'data: {"error_code":\n'.repeat(n)),
  fc.integer({ min: 100, max: 50_000 }).map((n) => '{"error_code":400,"error_message":"X"}\n'.repeat(n)),
);

describe('fuzz: JSON dialects and worker envelopes', () => {
  it('findErrorsInText on mutated bodies, NDJSON and SSE streams', () => {
    fc.assert(
      fc.property(fc.oneof(mutatedText(texts), fc.string({ maxLength: 300 })), (text) => timed(() => boundedFind(findErrorsInText(text), text.length))),
      params(3),
    );
  });

  it('findErrorsInText and decodeCapture on nesting bombs, huge arrays and long strings', () => {
    fc.assert(
      fc.property(bombs, (text) =>
        timed(() => {
          boundedFind(findErrorsInText(text), text.length);
          boundedCapture(
            decodeCapture({ v: 1, channel: 'worker', direction: 'in', url: 'http://127.0.0.1/w.js', at: 1, kind: 'structured', data: text }),
            text.length,
          );
        }, 5000),
      ),
      params(0.1),
    );
  });

  it('findErrors and matchWorkerProtocol on mutated envelopes, parsed', () => {
    fc.assert(
      fc.property(mutatedText(documents.map((d) => JSON.stringify(d))), (text) => {
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          return;
        }
        timed(() => {
          boundedFind(findErrors(value), text.length);
          if (typeof value === 'object' && value !== null && !Array.isArray(value)) matchWorkerProtocol(value as Record<string, unknown>);
        });
      }),
      params(3),
    );
  });

  it('findErrors on arbitrary JSON values with hostile keys', () => {
    const key = fc.oneof(
      fc.constantFrom(
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        '_',
        '@type',
        'error',
        'payloads',
        'payload',
        'custom',
        'originalError',
        'error_code',
        'error_message',
        'type',
        'id',
        'taskId',
        'messageId',
      ),
      fc.string({ maxLength: 6 }),
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.dictionary(key, tie('node'), { maxKeys: 6 }),
        fc.array(tie('node'), { maxLength: 5 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (v) =>
        timed(() => {
          boundedFind(findErrors(v), JSON.stringify(v).length);
          boundedFind(findErrorsInText(JSON.stringify(v)), JSON.stringify(v).length);
        }),
      ),
      params(2),
    );
  });

  it('decodeCapture on mutated text and structured captures, with hostile methods and URLs', () => {
    const session = new CaptureSession();
    fc.assert(
      fc.property(
        mutatedText(texts),
        fc.constantFrom<HookCapture['kind']>('text', 'structured'),
        fc.constantFrom<HookCapture['channel']>('fetch', 'xhr', 'websocket', 'eventsource', 'worker'),
        fc.option(
          fc.oneof(fc.string({ maxLength: 256 }), fc.constantFrom('<img src=x onerror=alert(1)>', '\u202eevil', 'apiManager.invokeApi', 'constructor')),
          { nil: undefined },
        ),
        fc.oneof(
          fc.constantFrom('https://api.telegram.org/bot1:x/sendMessage', 'wss://kws4.web.telegram.org/apiws', 'javascript:alert(1)', '', 'http://[::1'),
          fc.string({ maxLength: 100 }),
        ),
        (data, kind, channel, method, url) =>
          timed(() => {
            const c: HookCapture = { v: 1, channel, direction: 'in', url, at: 1, kind, data, status: 400 };
            if (method !== undefined) c.method = method;
            boundedCapture(decodeCapture(c, session), data.length);
          }),
      ),
      params(2),
    );
  });
});

describe('fuzz: GramJS texts and error names', () => {
  it('readGramjsText, methodFromClassName and splitErrorMessage on mutated and random texts', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedText(gramjsTexts),
          fc.string({ maxLength: 200 }),
          fc.integer({ min: 1000, max: 200_000 }).map((n) => 'RPCError 400: ' + 'A'.repeat(n) + ' (caused by ' + 'b.'.repeat(n / 2) + ')'),
        ),
        (text) =>
          timed(() => {
            const r = readGramjsText(text);
            if (r) expect(r.name.length).toBeLessThanOrEqual(text.length);
            methodFromClassName(text);
            splitErrorMessage(text);
          }),
      ),
      params(3),
    );
  });
});

describe('fuzz: key parsing', () => {
  const key = randomBytes(256);
  const hex = key.toString('hex');
  const tlBytes = (b: Buffer) => Buffer.concat([Buffer.from([254, b.length & 255, b.length >> 8, 0]), b]);
  const seeds = [
    hex,
    key.toString('base64'),
    JSON.stringify({ dcId: 2, dc2_auth_key: hex, dc2_server_salt: '01' }),
    JSON.stringify({
      account1: JSON.stringify({ dcId: 2, dc2_auth_key: hex }),
      dc4_auth_key: JSON.stringify(hex),
      'x:authKey': JSON.stringify({ type: 'Buffer', data: [...key] }),
      'x:dcId': '5',
    }),
    '1' + Buffer.concat([Buffer.from([4, 127, 0, 0, 1, 1, 187]), key]).toString('base64'),
    Buffer.concat([Buffer.from([3, 0, 0, 0, 0]), tlBytes(Buffer.from([1, 2, 0, 9, 0, 0, 0])), tlBytes(key)]).toString('base64url'),
    JSON.stringify({ mainDcId: 2, keys: { 2: hex, 4: hex }, hashes: {} }),
  ];
  it('parseAuthKeys on mutated keys, dumps and string sessions: never throws, bounded problems', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          mutatedText(seeds),
          fc.string({ maxLength: 600 }),
          fc.integer({ min: 10, max: 5000 }).map((n) => nestingBomb(n, JSON.stringify(hex))),
          fc.integer({ min: 10, max: 20000 }).map((n) => 'x'.repeat(45) + ' ' + 'ab '.repeat(n)),
        ),
        (text) =>
          timed(() => {
            const r = parseAuthKeys(text);
            expect(r.problems.length).toBeLessThanOrEqual(20);
            expect(r.keys.length).toBeLessThanOrEqual(1 + text.length / 340);
            // Problems never quote the input.
            for (const p of r.problems) expect(p.includes(hex.slice(0, 32))).toBe(false);
          }),
      ),
      params(2),
    );
  });
});

describe('fuzz: JSON export and HAR import', () => {
  const exportText = JSON.stringify(
    buildExportFile(
      [
        { ...makeRecord(), id: 1 },
        { ...makeRecord({ code: 303, message: 'PHONE_MIGRATE_4' }), id: 2 },
      ] as never,
      'https://web.telegram.org/k/',
      new Date(0),
    ),
  );
  const har = JSON.stringify({
    log: {
      pages: [{ title: 'https://web.telegram.org/a/' }],
      entries: [
        {
          startedDateTime: '2024-01-01T00:00:00.000Z',
          request: { url: 'https://api.telegram.org/bot1:x/getMe', method: 'POST' },
          response: { status: 429, content: { text: JSON.stringify(documents[3]), mimeType: 'application/json' } },
        },
        {
          startedDateTime: '2024-01-01T00:00:01.000Z',
          request: { url: 'https://x.test/b' },
          response: { status: 200, content: { text: Buffer.from(JSON.stringify(documents[0])).toString('base64'), encoding: 'base64' } },
        },
        {
          startedDateTime: '2024-01-01T00:00:02.000Z',
          _resourceType: 'websocket',
          request: { url: 'wss://kws2.web.telegram.org/apiws' },
          _webSocketMessages: [
            { type: 'send', time: 1, opcode: 2, data: '7+/v7w==' },
            { type: 'receive', time: 2, opcode: 1, data: JSON.stringify(documents[1]) },
          ],
        },
      ],
    },
  });
  it('parseImportFile on mutated exports and HARs: never throws, records bounded', () => {
    fc.assert(
      fc.property(mutatedText([exportText, har]), (text) =>
        timed(() => {
          const r = parseImportFile('x.json', text);
          if (r.kind === 'log') expect(r.records.length).toBeLessThanOrEqual(64 + text.length / 8);
          else expect(r.message.length).toBeLessThan(1000);
        }),
      ),
      params(1),
    );
  });

  it('parseImportFile on structurally hostile files', () => {
    const hostile = [
      '{"format":"telegram-api-errors","version":1,"errors":' + nestingBomb(50_000) + '}',
      '{"format":"telegram-api-errors","version":1,"errors":[' + Array(50_000).fill('{"id":"x"}').join(',') + ']}',
      '{"log":{"entries":[' +
        Array(2000)
          .fill('{"response":{"content":{"text":"' + '['.repeat(500) + '"}}}')
          .join(',') +
        ']}}',
      '{"log":{"entries":[{"_webSocketMessages":' + JSON.stringify(Array(20_000).fill({ type: 'receive', opcode: 2, data: '////' })) + '}]}}',
      '{"log":{"entries":[{"request":null,"response":{"content":{"text":7,"encoding":"base64"}},"_webSocketMessages":[null,1,"x"]}]}}',
      '{"log":{"entries":[1,null,"x",[]],"pages":7}}',
      '{"format":"telegram-api-errors","version":1,"errors":[{"__proto__":{"polluted":1},"id":1,"capturedAt":"x","code":400,"message":"X"}]}',
    ];
    for (const text of hostile) {
      const r = timed(() => parseImportFile('h.json', text), 5000);
      expect(r.kind === 'log' || r.kind === 'error').toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
