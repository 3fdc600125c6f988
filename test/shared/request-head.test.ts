import { describe, expect, it } from 'vitest';
import { validateCapture } from '../../src/shared/validate-capture.ts';

const base = { v: 1, channel: 'fetch', direction: 'in', url: 'https://venus.web.telegram.org/apiw1', at: 1, kind: 'binary', data: 'AAAA' };

describe('requestHead on captures', () => {
  it('passes hex of at most 256 bytes and drops anything else', () => {
    const ok = validateCapture(JSON.stringify({ ...base, requestHead: '00'.repeat(24) }));
    expect(ok).toMatchObject({ ok: true, capture: { requestHead: '00'.repeat(24) } });
    expect(validateCapture(JSON.stringify({ ...base, requestHead: '00'.repeat(257) }))).toMatchObject({ ok: false });
    expect(validateCapture(JSON.stringify({ ...base, requestHead: 'zz' }))).toMatchObject({ ok: false });
  });
});
