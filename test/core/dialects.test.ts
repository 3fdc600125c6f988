import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EXCERPT_MAX_CHARS, findErrors, findErrorsInText, jsonExcerpt, MAX_TEXT_CHARS, type FoundDialect } from '../../src/core/dialects/dialects.ts';

describe('findErrors: shapes', () => {
  it('finds a TL-JSON rpc_error', () => {
    const { errors } = findErrors({ _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_3' });
    expect(errors).toEqual([
      { dialect: 'tl-json', code: 420, message: 'FLOOD_WAIT_3', excerpt: '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_3"}' },
    ]);
  });

  it('reports the req_msg_id of an enclosing rpc_result once', () => {
    const { errors } = findErrors({
      _: 'rpc_result',
      req_msg_id: '7321456789012345678',
      result: { _: 'rpc_error', error_code: 400, error_message: 'PEER_ID_INVALID' },
    });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ dialect: 'tl-json', code: 400, message: 'PEER_ID_INVALID', reqMsgId: '7321456789012345678' });
  });

  it('finds a TDLib error', () => {
    const { errors } = findErrors({ '@type': 'error', code: 429, message: 'Too Many Requests: retry after 8', '@extra': 5 });
    expect(errors).toMatchObject([{ dialect: 'tdlib', code: 429, message: 'Too Many Requests: retry after 8' }]);
  });

  it('finds a Bot API error with its parameters', () => {
    const { errors } = findErrors({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 35',
      parameters: { retry_after: 35 },
    });
    expect(errors).toMatchObject([{ dialect: 'bot-api', code: 429, message: 'Too Many Requests: retry after 35', retryAfter: 35 }]);
    const upgraded = findErrors({
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1001234567890 },
    });
    expect(upgraded.errors[0]).toMatchObject({ code: 400, migrateToChatId: -1001234567890 });
  });

  it('finds a serialised GramJS RPCError', () => {
    const { errors } = findErrors({
      code: 420,
      errorMessage: 'FLOOD_WAIT_17',
      message: 'RPCError 420: FLOOD_WAIT_17 (caused by messages.SendMessage)',
      seconds: 17,
    });
    expect(errors).toMatchObject([{ dialect: 'gramjs', code: 420, message: 'FLOOD_WAIT_17' }]);
  });

  it('finds errors anywhere, in document order, with the enclosing method', () => {
    const webK = {
      type: 'batch',
      payload: [
        { type: 'result', payload: { taskId: 1, result: { _: 'messages.messages', messages: [] } } },
        {
          type: 'result',
          payload: {
            taskId: 2,
            error: { type: 'FLOOD_WAIT_17', code: 420, originalError: { _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_17' } },
          },
        },
        { method: 'messages.getHistory', error: { '@type': 'error', code: 400, message: 'CHANNEL_PRIVATE' } },
      ],
    };
    const { errors } = findErrors(webK);
    expect(errors.map((e) => [e.dialect, e.message, e.method])).toEqual([
      ['webk', 'FLOOD_WAIT_17', undefined],
      ['tdlib', 'CHANNEL_PRIVATE', 'messages.getHistory'],
    ]);
  });

  it('does not search inside a matched error (one structure, one error)', () => {
    const { errors } = findErrors({ code: 420, errorMessage: 'FLOOD_WAIT_3', original: { _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_3' } });
    expect(errors).toHaveLength(1);
  });
});

describe('findErrors: no false positives', () => {
  it('ignores error-like words in ordinary data', () => {
    const documents: unknown[] = [
      { _: 'message', id: 1, message: 'FLOOD_WAIT_5' },
      { _: 'message', message: 'rpc_error', entities: [{ _: 'messageEntityCode', offset: 0, length: 9 }] },
      { '@type': 'message', content: { '@type': 'messageText', text: { '@type': 'formattedText', text: 'error: 400 PEER_ID_INVALID' } } },
      { ok: true, result: [{ message: { text: '{"ok":false,"error_code":429,"description":"x"}' } }] },
      { _: 'rpc_error', error_code: '420', error_message: 'FLOOD_WAIT_3' },
      { _: 'rpc_error', error_code: 420.5, error_message: 'FLOOD_WAIT_3' },
      { ok: 'false', error_code: 400, description: 'x' },
      { '@type': 'error', code: 400 },
      { errorMessage: 'FLOOD_WAIT_3' },
      ['FLOOD_WAIT_5', 420, 'rpc_error', { error_message: 'FLOOD_WAIT_5' }],
    ];
    for (const doc of documents) expect(findErrors(doc).errors, JSON.stringify(doc)).toEqual([]);
  });
});

describe('findErrors: limits', () => {
  it('walks a 100,000-deep array without recursion', () => {
    let deep: unknown = [{ _: 'rpc_error', error_code: 400, error_message: 'TOO_DEEP' }];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const result = findErrors(deep);
    expect(result.errors).toEqual([]);
    expect(result.depthLimited).toBe(true);
  });

  it('searches up to depth 32', () => {
    const wrap = (depth: number): unknown => {
      let v: unknown = { _: 'rpc_error', error_code: 400, error_message: 'X_INVALID' };
      for (let i = 0; i < depth; i++) v = { next: v };
      return v;
    };
    expect(findErrors(wrap(32)).errors).toHaveLength(1);
    expect(findErrors(wrap(33)).errors).toHaveLength(0);
  });

  it('stops after the node budget and says so', () => {
    const big = Array.from({ length: 100_000 }, (_, i) => ({ i }));
    big.push({ _: 'rpc_error', error_code: 400, error_message: 'LATE' } as never);
    const result = findErrors(big);
    expect(result.truncated).toBe(true);
    expect(result.nodesVisited).toBeLessThanOrEqual(50_001);
    const flat: Record<string, number> = {};
    for (let i = 0; i < 80_000; i++) flat[`k${i}`] = i;
    expect(findErrors(flat).truncated).toBe(true);
  });

  it('keeps excerpts short', () => {
    const { errors } = findErrors({ _: 'rpc_error', error_code: 400, error_message: `BIG: ${'x'.repeat(10_000)}`, extra: { a: [1, 2, 3] } });
    expect(errors[0].excerpt.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS);
    expect(errors[0].excerpt.endsWith('…')).toBe(true);
    expect(errors[0].message.length).toBe(10_005);
  });
});

describe('jsonExcerpt', () => {
  it('is JSON.stringify for small values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), (v) => {
        const text = JSON.stringify(v);
        if (text.length <= EXCERPT_MAX_CHARS && !text.includes('"__proto__"')) expect(jsonExcerpt(v)).toBe(text);
      }),
    );
  });

  it('is bounded for any value', () => {
    fc.assert(
      fc.property(fc.anything(), (v) => {
        expect(jsonExcerpt(v).length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS);
      }),
    );
  });
});

describe('findErrorsInText', () => {
  it('reads whole-body JSON', () => {
    const { errors, diagnostics } = findErrorsInText('\uFEFF {"ok":false,"error_code":401,"description":"Unauthorized"} ');
    expect(errors).toMatchObject([{ dialect: 'bot-api', code: 401, message: 'Unauthorized' }]);
    expect(diagnostics).toEqual([]);
  });

  it('reads newline-delimited JSON', () => {
    const text = [
      '{"@type":"updateOption","name":"x"}',
      '{"@type":"error","code":400,"message":"PEER_ID_INVALID"}',
      '',
      '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_3"}\r',
    ].join('\n');
    const { errors, diagnostics } = findErrorsInText(text);
    expect(errors.map((e) => e.message)).toEqual(['PEER_ID_INVALID', 'FLOOD_WAIT_3']);
    expect(diagnostics).toEqual([]);
  });

  it('reads SSE data lines, joining multi-line events', () => {
    const text = [
      ': keep-alive',
      'event: message',
      'data: {"ok":false,"error_code":429,',
      'data: "description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}',
      '',
      'id: 2',
      'data: {"_":"rpc_error","error_code":500,"error_message":"RPC_CALL_FAIL"}',
      '',
    ].join('\n');
    const { errors } = findErrorsInText(text);
    expect(errors).toMatchObject([
      { dialect: 'bot-api', code: 429, retryAfter: 5 },
      { dialect: 'tl-json', code: 500, message: 'RPC_CALL_FAIL' },
    ]);
  });

  it('diagnoses what it cannot read and never throws', () => {
    expect(findErrorsInText('<html>Bad Gateway</html>')).toEqual({ errors: [], diagnostics: ['not JSON'] });
    expect(findErrorsInText('')).toEqual({ errors: [], diagnostics: ['empty input'] });
    expect(findErrorsInText('{"a":').diagnostics).toEqual(['not JSON']);
    expect(findErrorsInText(42 as unknown as string).diagnostics).toEqual(['input is not text']);
    const tooLarge = findErrorsInText(`{"x":"${'a'.repeat(MAX_TEXT_CHARS)}"}`);
    expect(tooLarge.errors).toEqual([]);
    expect(tooLarge.diagnostics[0]).toMatch(/too large/);
    const deep = findErrorsInText('['.repeat(100_000) + ']'.repeat(100_000));
    expect(deep.diagnostics[0]).toMatch(/depth limit/);
    const mixed = findErrorsInText('{"@type":"error","code":400,"message":"A_INVALID"}\nnot json\n{"broken":');
    expect(mixed.errors).toHaveLength(1);
    expect(mixed.diagnostics).toEqual(['2 line(s) or event(s) were not JSON']);
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const result = findErrorsInText(text);
        expect(Array.isArray(result.errors)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- planted errors ----

interface Planted {
  dialect: FoundDialect;
  code: number;
  message: string;
  object: Record<string, unknown>;
}

const plantedError: fc.Arbitrary<Planted> = fc
  .tuple(
    fc.constantFrom<FoundDialect>('tl-json', 'tdlib', 'bot-api', 'gramjs'),
    fc.integer({ min: -1000, max: 1000 }),
    fc.string({ maxLength: 40 }),
    fc.boolean(),
  )
  .map(([dialect, code, message, wrapped]) => {
    let object: Record<string, unknown> = {};
    switch (dialect) {
      case 'tl-json':
        object = { _: 'rpc_error', error_code: code, error_message: message };
        if (wrapped) object = { _: 'rpc_result', req_msg_id: '123', result: object };
        break;
      case 'tdlib':
        object = { '@type': 'error', code, message };
        break;
      case 'bot-api':
        object = { ok: false, error_code: code, description: message };
        break;
      case 'gramjs':
        object = { errorMessage: message, code };
        break;
    }
    return { dialect, code, message, object };
  });

/** Nests a value in `layers` single-key objects / one-element arrays. */
function nest(value: unknown, layers: ReadonlyArray<string | null>): unknown {
  let v = value;
  for (const key of layers) v = key === null ? [v] : { [key]: v };
  return v;
}

const noise = fc.jsonValue({ maxDepth: 4 });
const layers = fc.array(fc.option(fc.string({ maxLength: 6 })), { maxLength: 8 });

const plantedDocument = fc
  .tuple(fc.array(noise, { maxLength: 8 }), fc.array(fc.tuple(plantedError, layers, fc.nat()), { maxLength: 6 }))
  .map(([background, plants]) => {
    const items: unknown[] = [...background];
    for (const [error, path, at] of plants) items.splice(at % (items.length + 1), 0, nest(error.object, path));
    return { document: { data: items }, planted: plants.map(([error]) => error) };
  });

const key = (e: { dialect: string; code: number | null; message: string }): string => JSON.stringify([e.dialect, e.code, e.message]);

describe('findErrors: properties', () => {
  it('never throws or reports errors in arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = findErrors(value);
        expect(result.errors).toEqual([]);
        expect(findErrorsInText(JSON.stringify(value) ?? '').errors).toEqual([]);
      }),
      { numRuns: 1000 },
    );
  });

  it('finds exactly the errors planted into random documents', () => {
    fc.assert(
      fc.property(plantedDocument, ({ document, planted }) => {
        const found = findErrors(document);
        expect(found.truncated).toBe(false);
        expect(found.errors.map(key).sort()).toEqual(planted.map(key).sort());
        const fromText = findErrorsInText(JSON.stringify(document));
        expect(fromText.errors.map(key).sort()).toEqual(planted.map(key).sort());
      }),
      { numRuns: 500 },
    );
  });
});
