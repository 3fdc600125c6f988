import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeTlObject, type TlJson } from '../../src/core/params/decode-params.ts';
import { maskParams } from '../../src/core/params/mask-params.ts';
import { tl } from '../mtproto/tl-helpers.ts';

const decoded = (obj: { _: string; [k: string]: unknown }) => decodeTlObject(tl(obj)).value;
const text = (v: TlJson) => JSON.stringify(v);
const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1';

describe('maskParams: login, password and token fields', () => {
  it('auth.sendCode: phone number and api_hash', () => {
    const m = maskParams(
      decoded({ _: 'auth.sendCode', phoneNumber: '+15551234567', apiId: 2496, apiHash: '0123456789abcdef0123456789abcdef', settings: { _: 'codeSettings' } }),
    );
    expect(m).toEqual({ _: 'auth.sendCode', phone_number: '***', api_id: 2496, api_hash: '***', settings: { _: 'codeSettings' } });
  });

  it('auth.signIn: phone, code hash and code', () => {
    const m = text(maskParams(decoded({ _: 'auth.signIn', phoneNumber: '+15551234567', phoneCodeHash: 'a1b2c3d4e5', phoneCode: '12345' })));
    for (const secret of ['15551234567', 'a1b2c3d4e5', '12345']) expect(m).not.toContain(secret);
  });

  it('auth.checkPassword: SRP A and M1 never shown, not even their size', () => {
    const m = maskParams(
      decoded({
        _: 'auth.checkPassword',
        password: { _: 'inputCheckPasswordSRP', srpId: 99n, A: new Uint8Array(256).fill(1), M1: new Uint8Array(32).fill(2) },
      }),
    );
    expect(m).toEqual({ _: 'auth.checkPassword', password: { _: 'inputCheckPasswordSRP', srp_id: '***', A: '<256 bytes>', M1: '<32 bytes>' } });
  });

  it('auth.importBotAuthorization: bot token and api_hash', () => {
    const m = text(maskParams(decoded({ _: 'auth.importBotAuthorization', flags: 0, apiId: 1, apiHash: 'deadbeefdeadbeef', botAuthToken: BOT_TOKEN })));
    expect(m).not.toContain('AAHdqTcv');
    expect(m).not.toContain('deadbeef');
  });

  it('string hashes (invite links) go, numeric cache hashes stay; access_hash goes', () => {
    expect(maskParams(decoded({ _: 'messages.importChatInvite', hash: 'AbCdEfGhIjK' }))).toEqual({ _: 'messages.importChatInvite', hash: '***' });
    expect(maskParams(decoded({ _: 'messages.getStickers', emoticon: '👍', hash: 12345n }))).toEqual({
      _: 'messages.getStickers',
      emoticon: '👍',
      hash: '12345',
    });
    const m = maskParams(decoded({ _: 'users.getFullUser', id: { _: 'inputUser', userId: 42n, accessHash: 987654321n } }));
    expect(m).toEqual({ _: 'users.getFullUser', id: { _: 'inputUser', user_id: '42', access_hash: '***' } });
  });

  it('account.registerDevice token and secret, payment credentials, e-mail', () => {
    const dev = text(
      maskParams(decoded({ _: 'account.registerDevice', tokenType: 2, token: 'push-token-xyz', appSandbox: false, secret: new Uint8Array(16), otherUids: [] })),
    );
    expect(dev).not.toContain('push-token-xyz');
    const pay = maskParams(
      decoded({
        _: 'payments.sendPaymentForm',
        formId: 1n,
        invoice: { _: 'inputInvoiceSlug', slug: 'x' },
        credentials: { _: 'inputPaymentCredentials', data: { _: 'dataJSON', data: '{"card":"4242424242424242"}' } },
      }),
    );
    expect(text(pay)).not.toContain('4242');
    const mail = text(maskParams(decoded({ _: 'account.sendVerifyEmailCode', purpose: { _: 'emailVerifyPurposePassport' }, email: 'me@example.com' })));
    expect(mail).not.toContain('example.com');
  });

  it('every bytes value becomes its size; a key pasted as hex or a bot token inside text is masked', () => {
    expect(maskParams(decoded({ _: 'upload.saveFilePart', fileId: 1n, filePart: 0, bytes: new Uint8Array(1000) }))).toEqual({
      _: 'upload.saveFilePart',
      file_id: '1',
      file_part: 0,
      bytes: '<1000 bytes>',
    });
    const withKey = maskParams(decoded({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'key ' + 'ab'.repeat(256), randomId: 1n }));
    expect(text(withKey)).not.toContain('abab');
    const withToken = maskParams(decoded({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: `use ${BOT_TOKEN}`, randomId: 1n }));
    expect(text(withToken)).toContain('123456789:***');
  });

  it('JSON values under secret-looking keys (initConnection params, app logs)', () => {
    const v = maskParams({
      _: 'jsonObject',
      value: [
        { _: 'jsonObjectValue', key: 'auth_token', value: { _: 'jsonString', value: 'S3CR3T' } },
        { _: 'jsonObjectValue', key: 'tz', value: { _: 'jsonString', value: 'UTC' } },
      ],
    });
    expect(text(v)).not.toContain('S3CR3T');
    expect(text(v)).toContain('UTC');
  });
});

// ---- properties ----

const SECRET_NAMES = [
  'phone_number',
  'phone_code',
  'phone_code_hash',
  'api_hash',
  'bot_auth_token',
  'password',
  'email',
  'token',
  'secret',
  'A',
  'M1',
  'access_hash',
  'payment_token',
];
const SAFE_NAMES = ['peer', 'limit', 'offset_id', 'message', 'title', 'q', 'id'];

/** A TL-like tree with secret values (recognisable strings) planted under secret field names. */
const secretValue = fc.string({ minLength: 1, maxLength: 10 }).map((s) => `SECRET${s.replace(/[^A-Za-z0-9]/g, '')}Z`);
const plainLeaf = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.stringMatching(/^[a-z ]{0,12}$/),
  fc.nat(5000).map((n) => ({ _: 'bytes', length: n }) as TlJson),
);
const tree: fc.Arbitrary<TlJson> = fc.letrec<{ node: TlJson }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    plainLeaf,
    fc.array(tie('node'), { maxLength: 3 }),
    fc
      .tuple(
        fc.constantFrom('inputPeerUser', 'messages.sendMessage', 'auth.signIn', 'someConstructor'),
        fc.array(fc.tuple(fc.constantFrom(...SAFE_NAMES), tie('node')), { maxLength: 3 }),
        fc.array(fc.tuple(fc.constantFrom(...SECRET_NAMES), fc.oneof(secretValue, tie('node'))), { maxLength: 2 }),
      )
      .map(([name, safe, secret]) => Object.fromEntries([['_', name], ...safe, ...secret]) as TlJson),
  ),
})).node;

describe('maskParams properties', () => {
  it('no planted secret survives, no bytes marker survives, the result is JSON, masking twice changes nothing', () => {
    fc.assert(
      fc.property(tree, (v) => {
        const m = maskParams(v);
        const s = JSON.stringify(m);
        expect(s).not.toMatch(/SECRET[A-Za-z0-9]*Z/);
        expect(s).not.toContain('"_":"bytes"');
        expect(JSON.parse(s)).toEqual(m);
        expect(maskParams(m)).toEqual(m);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves a tree without secrets as it was, apart from bytes markers', () => {
    const safeTree = tree.filter((v) => !/SECRET|"(phone|api|bot|password|email|token|secret|A|M1|access|payment)[a-z_]*":/.test(JSON.stringify(v)));
    fc.assert(
      fc.property(safeTree, (v) => {
        const withoutBytes = JSON.parse(JSON.stringify(v).replace(/\{"_":"bytes","length":(\d+)\}/g, '"<$1 bytes>"'));
        expect(maskParams(v)).toEqual(withoutBytes);
      }),
      { numRuns: 300 },
    );
  });

  it('does not change its input', () => {
    fc.assert(
      fc.property(tree, (v) => {
        const before = JSON.stringify(v);
        maskParams(v);
        expect(JSON.stringify(v)).toBe(before);
      }),
      { numRuns: 200 },
    );
  });
});
