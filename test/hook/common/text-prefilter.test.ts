import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayContainApiErrorText } from '../../../src/hook/common/text-prefilter.ts';

describe('text prefilter', () => {
  it.each([
    ['TL-JSON rpc_error', '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_3"}'],
    ['Bot API failure', '{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35"}'],
    ['TDLib error', '{"@type":"error","code":400,"message":"PEER_ID_INVALID"}'],
    ['TDLib error with spaces', '{ "@type" : "error", "code": 400, "message": "PEER_ID_INVALID" }'],
    ['GramJS RPCError', '{"code":420,"errorMessage":"FLOOD_WAIT_17"}'],
    ['Web A update', '{"type":"updates","updates":[{"@type":"error","error":{"message":"CHAT_WRITE_FORBIDDEN"}}]}'],
    ['ok:false with an error field', '{"ok" : false, "error": "nope"}'],
  ])('passes %s', (_name, text) => {
    expect(mayContainApiErrorText(text)).toBe(true);
  });

  it.each([
    ['no error word', '{"ok":true,"result":{"message_id":1}}'],
    ['chat text mentioning an error', '{"messages":[{"id":1,"text":"got FLOOD_WAIT_5 error again"}]}'],
    ['a successful TDLib object', '{"@type":"ok"}'],
    ['an error type that is not @type error', '{"@type":"message","content":"error"}'],
    ['empty', ''],
  ])('rejects %s', (_name, text) => {
    expect(mayContainApiErrorText(text)).toBe(false);
  });

  it('rejects non-strings without throwing', () => {
    expect(mayContainApiErrorText(undefined as unknown as string)).toBe(false);
    expect(mayContainApiErrorText({} as unknown as string)).toBe(false);
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 2000 }), (text) => {
        expect(typeof mayContainApiErrorText(text)).toBe('boolean');
      }),
    );
  });

  it('rejects every string without the word "error"', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        fc.pre(!text.includes('error'));
        expect(mayContainApiErrorText(text)).toBe(false);
      }),
    );
  });

  it('rejects strings holding "error" but none of the structural markers', () => {
    const noMarker = fc
      .array(fc.oneof(fc.string({ maxLength: 20 }), fc.constant('error'), fc.constant(' "@type": "message" ')), { maxLength: 30 })
      .map((parts) => parts.join(''))
      .filter((text) => !/error_code|rpc_error|errorMessage|"@type"\s*:\s*"error"|"ok"\s*:\s*false/.test(text));
    fc.assert(
      fc.property(noMarker, (text) => {
        expect(mayContainApiErrorText(text)).toBe(false);
      }),
    );
  });

  it('finds a marker planted anywhere', () => {
    const marker = fc.constantFrom('"error_code":400', '{"_":"rpc_error"}', '"errorMessage":"X"', '"@type" :"error"', '"ok": false,"error":1');
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), marker, fc.string({ maxLength: 300 }), (before, planted, after) => {
        expect(mayContainApiErrorText(before + planted + after)).toBe(true);
      }),
    );
  });
});
