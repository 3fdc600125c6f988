// Kind 'request' captures (the hook's request sightings): validated strictly, decoded into
// DecodedCapture.requests; error captures with a fingerprint hand it to their records.
import { describe, expect, it } from 'vitest';
import { decodeCapture } from '../../src/core/capture/decode-capture.ts';
import { validateCapture, isContextCapture } from '../../src/shared/validate-capture.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';

const FP = 'p0a1b2c:0123456789abcdef';
const sighting = (over: Partial<HookCapture> = {}): HookCapture => ({
  v: 1,
  channel: 'fetch',
  direction: 'out',
  url: 'https://venus.web.telegram.org/apiw1',
  at: 1000,
  kind: 'request',
  data: '',
  method: 'messages.getHistory',
  fingerprint: FP,
  ...over,
});

describe('request sightings', () => {
  it('decode into one request: the method named, the DC from the URL, the fingerprint, the time', () => {
    expect(decodeCapture(sighting())).toEqual({
      records: [],
      diagnostics: [],
      requests: [{ msgId: null, method: 'messages.getHistory', dc: 2, fingerprint: FP, authKeyId: null, at: 1000 }],
    });
    // The Bot API names its method in the URL; a worker URL names no DC.
    const bot = decodeCapture(sighting({ url: 'https://api.telegram.org/bot1:abc/sendMessage', method: undefined }));
    expect(bot.requests![0]).toMatchObject({ method: 'sendMessage', dc: null });
    expect(decodeCapture(sighting({ channel: 'worker', url: 'http://x/w.js', fingerprint: undefined })).requests![0]).toMatchObject({
      dc: null,
      fingerprint: null,
    });
  });

  it('are validated: no data, outgoing, a fingerprint of the page format only; context budget', () => {
    const ok = validateCapture(JSON.stringify(sighting()));
    expect(ok).toEqual({ ok: true, capture: sighting() });
    expect(isContextCapture(sighting())).toBe(true);
    for (const bad of [
      sighting({ data: 'x' }),
      sighting({ direction: 'in' }),
      sighting({ fingerprint: 'deadbeef' }),
      sighting({ fingerprint: `${FP}0` }),
      sighting({ encrypted: 'prefix' }),
    ]) {
      expect(validateCapture(JSON.stringify(bad))).toEqual({ ok: false, reason: 'bad-schema' });
    }
  });

  it("an error capture's fingerprint is its records' request fingerprint", () => {
    const error: HookCapture = {
      v: 1,
      channel: 'fetch',
      direction: 'in',
      url: 'http://127.0.0.1/dc2/api',
      at: 1000,
      kind: 'text',
      method: 'messages.editMessage',
      fingerprint: FP,
      data: '{"_":"rpc_result","req_msg_id":"1","result":{"_":"rpc_error","error_code":400,"error_message":"MESSAGE_NOT_MODIFIED"}}',
    };
    const [record] = decodeCapture(error).records;
    expect(record.request).toEqual({ params: undefined, fingerprint: FP });
    expect(record.method).toBe('messages.editMessage');
    expect(validateCapture(JSON.stringify(error)).ok).toBe(true);
  });
});
