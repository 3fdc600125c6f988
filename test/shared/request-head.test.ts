import { describe, expect, it } from 'vitest';
import { validateCapture } from '../../src/shared/validate-capture.ts';
import { LIMITS } from '../../src/shared/messages.ts';

const base = { v: 1, channel: 'fetch', direction: 'in', url: 'https://venus.web.telegram.org/apiw1', at: 1, kind: 'binary', data: 'AAAA' };

describe('requestHead on captures', () => {
  it("passes hex of at most LIMITS.requestHeadBytes (an encrypted request's first 4 KB) and drops anything else", () => {
    const ok = validateCapture(JSON.stringify({ ...base, requestHead: '00'.repeat(24) }));
    expect(ok).toMatchObject({ ok: true, capture: { requestHead: '00'.repeat(24) } });
    expect(validateCapture(JSON.stringify({ ...base, requestHead: '00'.repeat(LIMITS.requestHeadBytes) }))).toMatchObject({ ok: true });
    expect(validateCapture(JSON.stringify({ ...base, requestHead: '00'.repeat(LIMITS.requestHeadBytes + 1) }))).toMatchObject({ ok: false });
    expect(validateCapture(JSON.stringify({ ...base, requestHead: 'zz' }))).toMatchObject({ ok: false });
  });
});
