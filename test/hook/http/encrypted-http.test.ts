// The HTTP transport with keys given: an encrypted /apiw1 request's head travels with its
// response, the response is triaged in the page, and the background decrypts both, so the
// error names its method and parameters; without keys, nothing but one auth_key_id leaves.

import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mtprotoRequestHead } from '../../../src/hook/http/mtproto-request.ts';
import { inspectBodyBytes } from '../../../src/hook/http/body-inspect.ts';
import { pageTriage } from '../../../src/hook/common/page-session-keys.ts';
import { createReporter, type CaptureSource } from '../../../src/hook/common/report.ts';
import { validateCapture } from '../../../src/shared/validate-capture.ts';
import { CaptureSession, decodeCapture } from '../../../src/core/capture/decode-capture.ts';
import { AuthKey, KeyRing } from '../../../src/core/keys/index.ts';
import type { HookCapture } from '../../../src/core/capture/capture.ts';
import { refEncryptMessage } from '../../mtproto/mtproto2-reference.ts';
import { rpcError, rpcResult, tl } from '../../mtproto/tl-helpers.ts';

const KEY = new Uint8Array(randomBytes(256));
const SESSION = Buffer.alloc(8, 3);
const request = new Uint8Array(
  refEncryptMessage(KEY, tl({ _: 'contacts.resolveUsername', username: 'durov' }), { direction: 'out', msgId: 0x6600000000000004n, sessionId: SESSION }),
);
const answer = new Uint8Array(
  refEncryptMessage(KEY, rpcResult(0x6600000000000004n, rpcError(400, 'USERNAME_NOT_OCCUPIED')), {
    direction: 'in',
    msgId: 0x6600000000000101n,
    sessionId: SESSION,
  }),
);

function captured(body: Uint8Array): HookCapture[] {
  const out: HookCapture[] = [];
  const report = createReporter({ deliver: (detail) => out.push((validateCapture(detail) as { capture: HookCapture }).capture) });
  const source: CaptureSource = { channel: 'fetch', direction: 'in', url: 'https://venus.web.telegram.org/apiw1', status: 200 };
  const head = mtprotoRequestHead(request);
  if (head) source.requestHead = head;
  inspectBodyBytes(report, source, 'binary', body);
  return out;
}

afterEach(() => pageTriage.setKeys([]));

describe('HTTP transport, encrypted', () => {
  it('with keys: the error is read with its method and parameters', () => {
    pageTriage.setKeys([KEY]);
    const captures = captured(answer);
    expect(captures.map((c) => c.encrypted)).toEqual(['whole']);
    const ring = new KeyRing();
    ring.add(new AuthKey(KEY, 'hex', 2));
    const records = decodeCapture(captures[0], new CaptureSession(), ring).records;
    expect(records.map((r) => [r.code, r.message, r.method, r.dc])).toEqual([[400, 'USERNAME_NOT_OCCUPIED', 'contacts.resolveUsername', 2]]);
    expect(records[0].request?.params).toMatchObject({ _: 'contacts.resolveUsername', username: 'durov' });
  });

  it('an ordinary binary body elsewhere (not an MTProto endpoint) is never taken for MTProto', () => {
    const out: HookCapture[] = [];
    const report = createReporter({ deliver: (detail) => out.push((validateCapture(detail) as { capture: HookCapture }).capture) });
    for (const url of ['http://127.0.0.1:8080/binary', 'https://example.test/download?name=apiw1']) {
      inspectBodyBytes(report, { channel: 'fetch', direction: 'in', url, status: 200 }, 'binary', answer);
    }
    expect(out).toEqual([]);
  });

  it('without keys: the request head is not kept, and the response only names its key', () => {
    expect(mtprotoRequestHead(request)).toBeUndefined();
    const captures = captured(answer);
    expect(captures.length).toBeLessThanOrEqual(1);
    for (const c of captures) {
      expect(c.encrypted).toBe('unknown-key');
      expect(Buffer.from(c.data, 'base64')).toHaveLength(8);
    }
  });
});
