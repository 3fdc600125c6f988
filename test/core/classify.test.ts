import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { classifyRpcError, type CaptureContext, type RpcErrorInput } from '../../src/core/errors/classify.ts';
import { SEED_TEMPLATES } from '../../src/core/errors/catalog.ts';
import type { Dialect, ErrorRecord } from '../../src/core/record.ts';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const ctx: CaptureContext = { capturedAt: T0, channel: 'fetch', direction: 'in', url: null, method: null, dc: null, evidence: null };

function classify(
  code: number | null,
  message: string,
  dialect: Dialect = 'tl-json',
  extra: Partial<RpcErrorInput> = {},
  context: Partial<CaptureContext> = {},
): ErrorRecord {
  return classifyRpcError({ code, message, dialect, ...extra }, { ...ctx, ...context }, 1);
}

const plus = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString();

describe('classifyRpcError: classes by code', () => {
  it.each([
    [303, 'ERROR_SEE_OTHER'],
    [400, 'BAD_REQUEST'],
    [401, 'UNAUTHORIZED'],
    [403, 'FORBIDDEN'],
    [404, 'NOT_FOUND'],
    [406, 'NOT_ACCEPTABLE'],
    [420, 'FLOOD'],
    [500, 'INTERNAL'],
  ] as const)('%i is %s', (code, errorClass) => {
    const r = classify(code, 'SOMETHING_HAPPENED');
    expect(r.class).toBe(errorClass);
    expect(r.treatedAs500).toBe(false);
    expect(r.code).toBe(code);
  });

  it.each([-503, -500, 0, 1, 200, 429, 502, 999, -404])('undocumented code %i is INTERNAL, treated as 500, kept as received', (code) => {
    const r = classify(code, 'Timeout');
    expect(r).toMatchObject({ code, class: 'INTERNAL', treatedAs500: true, codeInferred: false, action: { kind: 'report' } });
  });
});

describe('classifyRpcError: actions', () => {
  it('redirects every *_MIGRATE_X to its DC, whatever the code', () => {
    expect(classify(303, 'USER_MIGRATE_4').action).toEqual({ kind: 'redirect', dc: 4 });
    expect(classify(400, 'FILE_MIGRATE_2')).toMatchObject({ class: 'BAD_REQUEST', action: { kind: 'redirect', dc: 2 }, params: { dc: 2 } });
    expect(classify(303, 'STATS_MIGRATE_1').action).toEqual({ kind: 'redirect', dc: 1 });
    expect(classify(303, 'CDN_MIGRATE_5').action).toEqual({ kind: 'redirect', dc: 5 });
  });

  it('redirects a 303 without a DC without one', () => {
    expect(classify(303, 'SEE_OTHER').action).toEqual({ kind: 'redirect' });
    expect(classify(303, 'FILE_MIGRATE_X').action).toEqual({ kind: 'redirect' });
  });

  it('waits for every seconds-type number with a retry time', () => {
    expect(classify(420, 'FLOOD_WAIT_30').action).toEqual({ kind: 'wait', retryAt: plus(30) });
    expect(classify(420, 'SLOWMODE_WAIT_10').action).toEqual({ kind: 'wait', retryAt: plus(10) });
    expect(classify(420, '2FA_CONFIRM_WAIT_604800').action).toEqual({ kind: 'wait', retryAt: plus(604800) });
    expect(classify(400, 'PASSWORD_TOO_FRESH_3600')).toMatchObject({ class: 'BAD_REQUEST', action: { kind: 'wait', retryAt: plus(3600) } });
    expect(classify(400, 'SESSION_TOO_FRESH_60').action).toEqual({ kind: 'wait', retryAt: plus(60) });
    expect(classify(400, 'STARGIFT_RESELL_TOO_EARLY_5').action).toEqual({ kind: 'wait', retryAt: plus(5) });
  });

  it('waits minutes and until a unix time', () => {
    expect(classify(406, 'PREVIOUS_CHAT_IMPORT_ACTIVE_WAIT_5MIN')).toMatchObject({
      class: 'NOT_ACCEPTABLE',
      params: { minutes: 5 },
      action: { kind: 'wait', retryAt: plus(300) },
    });
    expect(classify(420, 'PREMIUM_SUB_ACTIVE_UNTIL_1700000000')).toMatchObject({
      params: { until: 1700000000 },
      action: { kind: 'wait', retryAt: '2023-11-14T22:13:20.000Z' },
    });
  });

  it('waits without a retry time for a 420 without a number', () => {
    expect(classify(420, 'FLOOD_WAIT_X').action).toEqual({ kind: 'wait' });
    expect(classify(420, 'PHONE_NUMBER_FLOOD').action).toEqual({ kind: 'wait' });
  });

  it('acts by class otherwise', () => {
    expect(classify(400, 'PEER_ID_INVALID').action).toEqual({ kind: 'fix-input' });
    expect(classify(400, 'FILE_PART_3_MISSING')).toMatchObject({ params: { part: 3 }, action: { kind: 'fix-input' } });
    expect(classify(401, 'AUTH_KEY_UNREGISTERED').action).toEqual({ kind: 'reauthorize' });
    expect(classify(406, 'AUTH_KEY_DUPLICATED').action).toEqual({ kind: 'reauthorize' });
    expect(classify(406, 'FRESH_CHANGE_ADMINS_FORBIDDEN').action).toEqual({ kind: 'silent' });
    expect(classify(403, 'CHAT_WRITE_FORBIDDEN').action).toEqual({ kind: 'forbidden' });
    expect(classify(403, 'ALLOW_PAYMENT_REQUIRED_10')).toMatchObject({ params: { stars: 10 }, action: { kind: 'forbidden' } });
    expect(classify(404, 'METHOD_NOT_FOUND').action).toEqual({ kind: 'not-found' });
    expect(classify(500, 'RPC_CALL_FAIL').action).toEqual({ kind: 'report' });
    expect(classify(500, 'INTERDC_2_CALL_ERROR')).toMatchObject({ params: { dc: 2 }, action: { kind: 'report' } });
  });

  it('leaves out a retry time that no date can hold', () => {
    const r = classify(420, 'FLOOD_WAIT_9007199254740991');
    expect(r.action).toEqual({ kind: 'wait' });
    expect(r.params).toEqual({ seconds: 9007199254740991 });
  });
});

describe('classifyRpcError: 429 in the Bot API and TDLib', () => {
  it.each(['bot-api', 'tdlib'] as const)('%s 429 is a flood wait', (dialect) => {
    const r = classify(429, 'Too Many Requests: retry after 35', dialect);
    expect(r).toMatchObject({
      code: 429,
      class: 'FLOOD',
      treatedAs500: false,
      type: null,
      params: { seconds: 35 },
      action: { kind: 'wait', retryAt: plus(35) },
    });
  });

  it('prefers parameters.retry_after', () => {
    const r = classify(429, 'Too Many Requests: retry after 35', 'bot-api', { retryAfter: 40 });
    expect(r.params).toEqual({ seconds: 40 });
  });

  it('waits without a time when no number is given', () => {
    expect(classify(429, 'Too Many Requests', 'bot-api').action).toEqual({ kind: 'wait' });
  });

  it('is an undocumented code in other dialects', () => {
    expect(classify(429, 'Too Many Requests: retry after 35', 'tl-json')).toMatchObject({ class: 'INTERNAL', treatedAs500: true, params: {} });
  });
});

describe('classifyRpcError: codes not in the traffic', () => {
  it('takes the code from the catalog', () => {
    expect(classify(null, 'FLOOD_WAIT_5')).toMatchObject({ code: 420, codeInferred: true, class: 'FLOOD', treatedAs500: false });
    expect(classify(null, 'PEER_ID_INVALID')).toMatchObject({ code: 400, codeInferred: true });
    expect(classify(null, 'Timeout')).toMatchObject({ code: -503, codeInferred: true, class: 'INTERNAL', treatedAs500: true });
    expect(classify(null, 'FILE_PART_\u0425_MISSING')).toMatchObject({ code: 400, template: 'FILE_PART_X_MISSING', params: {} });
  });

  it('handles a code no catalog knows as a 500', () => {
    const r = classify(null, 'BRAND_NEW_ERROR');
    expect(r).toMatchObject({ code: 500, codeInferred: true, class: 'INTERNAL', treatedAs500: true, action: { kind: 'report' } });
    // the name still decides redirects and waits
    expect(classify(null, 'CDN_MIGRATE_3').action).toEqual({ kind: 'redirect', dc: 3 });
  });

  it('treats a non-finite code as absent', () => {
    expect(classify(Number.NaN, 'PEER_ID_INVALID')).toMatchObject({ code: 400, codeInferred: true });
  });
});

describe('classifyRpcError: meaning', () => {
  it('uses the seed’s wording for every seed example', () => {
    for (const template of SEED_TEMPLATES) {
      const message = template.replace(/_X(?=_|$)/, '_2');
      const r = classify(null, message);
      expect(r.template, message).toBe(template);
      expect(r.meaningSource, message).toBe('seed');
      expect(r.meaning, message).toBeTruthy();
    }
    expect(classify(420, 'FLOOD_WAIT_3').meaning).toBe('A wait of 3 seconds is required');
    expect(classify(400, 'FILE_PART_7_MISSING').meaning).toBe('Part 7 of the file is missing from storage');
    expect(classify(303, 'PHONE_MIGRATE_4').meaning).toMatch(/^The phone number/);
  });

  it('uses the catalog’s description, with the number filled in', () => {
    expect(classify(420, 'SLOWMODE_WAIT_12')).toMatchObject({
      meaningSource: 'catalog',
      meaning: 'A wait of 12 seconds is required before sending another message in this chat',
    });
    expect(classify(400, 'USERNAME_NOT_OCCUPIED')).toMatchObject({ meaningSource: 'catalog', meaning: 'The provided username is not occupied.' });
  });

  it('derives a sentence from the name when no catalog has one', () => {
    expect(classify(400, 'WIDGET_NOT_OCCUPIED')).toMatchObject({
      meaningSource: 'derived',
      meaning: 'Derived from the name: the widget is not occupied.',
      template: null,
    });
    expect(classify(400, 'FILE_REFERENCE_2_EXPIRED')).toMatchObject({ meaningSource: 'derived', template: 'FILE_REFERENCE_X_EXPIRED' });
    expect(classify(400, 'FILE_REFERENCE_2_EXPIRED').meaning).toContain('2');
  });

  it('takes the catalog text for free-text messages the catalog lists', () => {
    expect(classify(-503, 'Timeout')).toMatchObject({ type: null, meaningSource: 'catalog', message: 'Timeout', template: null });
    expect(classify(-503, 'Timeout').meaning).toBeTruthy();
  });

  it('has no meaning for other messages with no type', () => {
    for (const message of ['memory limit exit', 'Bad Request: chat not found']) {
      expect(classify(-503, message), message).toMatchObject({ type: null, meaning: null, meaningSource: 'none', message, template: null });
    }
  });

  it('splits the description and keeps the message as received', () => {
    const message = 'CHAT_ADMIN_REQUIRED: you need\nadmin rights';
    expect(classify(400, message)).toMatchObject({ message, type: 'CHAT_ADMIN_REQUIRED', description: 'you need\nadmin rights' });
  });
});

describe('classifyRpcError: record', () => {
  it('fills the context and masks the URL', () => {
    const r = classifyRpcError(
      { code: 400, message: 'PEER_ID_INVALID', dialect: 'bot-api' },
      {
        capturedAt: T0,
        channel: 'xhr',
        direction: 'in',
        url: 'https://api.telegram.org/bot123456:AAEhBP0av28hRzZ1y1FJx3eGHh_0y7wJ9aQ/sendMessage?hash=abc&chat_id=5',
        method: 'sendMessage',
        dc: 2,
        evidence: { kind: 'json', excerpt: '{"ok":false}' },
      },
      42,
    );
    expect(r).toMatchObject({
      id: 42,
      capturedAt: '2025-03-01T12:00:00.000Z',
      channel: 'xhr',
      direction: 'in',
      url: 'https://api.telegram.org/bot123456:***/sendMessage?hash=***&chat_id=5',
      dialect: 'bot-api',
      method: 'sendMessage',
      dc: 2,
      evidence: { kind: 'json', excerpt: '{"ok":false}' },
    });
  });

  it('masks bot tokens in the evidence', () => {
    const r = classify(
      401,
      'Unauthorized',
      'bot-api',
      {},
      { evidence: { kind: 'json', excerpt: 'GET /bot123456789:AAEhBP0av28hRzZ1y1FJx3eGHh_0y7wJ9aQ/getMe' } },
    );
    expect(r.evidence).toEqual({ kind: 'json', excerpt: 'GET /bot123456789:***/getMe' });
  });

  it('gives every record its own params and action objects', () => {
    const a = classify(420, 'FLOOD_WAIT_7');
    const b = classify(420, 'FLOOD_WAIT_7');
    expect(a.params).not.toBe(b.params);
    a.params.seconds = 1;
    expect(classify(420, 'FLOOD_WAIT_7').params).toEqual({ seconds: 7 });
  });

  it('produces plain JSON data', () => {
    const r = classify(420, 'FLOOD_WAIT_7');
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
  });

  it('never throws on arbitrary messages, codes and dialects', () => {
    const dialects: Dialect[] = ['mtproto', 'tl-json', 'tdlib', 'bot-api', 'gramjs', 'webk', 'weba'];
    const code = fc.oneof(fc.integer(), fc.constant(null), fc.double(), fc.constantFrom(303, 400, 401, 403, 404, 406, 420, 429, 500, -503));
    const message = fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^[A-Z_0-9]{1,40}(: .{0,20})?$/),
      fc.constantFrom('FLOOD_WAIT_', 'FILE_PART_\u0425_MISSING', 'Too Many Requests: retry after 99999999999999'),
    );
    fc.assert(
      fc.property(code, message, fc.constantFrom(...dialects), fc.option(fc.double()), fc.double(), (c, m, d, retryAfter, at) => {
        const r = classifyRpcError({ code: c, message: m, dialect: d, ...(retryAfter === null ? {} : { retryAfter }) }, { ...ctx, capturedAt: at }, 1);
        expect(r.message).toBe(m);
        expect(Number.isFinite(r.code)).toBe(true);
        expect(typeof r.capturedAt).toBe('string');
        if (r.action.retryAt !== undefined) expect(Number.isNaN(Date.parse(r.action.retryAt))).toBe(false);
        JSON.stringify(r);
      }),
      { numRuns: 3000 },
    );
  });

  it('round-trips any [A-Z_0-9]+ type into the record', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z_0-9]{1,50}$/), (type) => {
        const r = classify(400, type);
        expect(r.type).toBe(type);
        expect(r.meaning).not.toBeNull();
        expect(r.meaningSource).not.toBe('none');
      }),
      { numRuns: 2000 },
    );
  });
});
