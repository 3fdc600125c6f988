import { describe, expect, it } from 'vitest';
import { linkRedirect, type PendingRedirect } from '../../src/core/errors/redirect-chains.ts';
import type { ErrorRecord } from '../../src/core/record.ts';
import { makeRecord } from '../helpers/make-record.ts';

const at = (s: number) => new Date(Date.parse('2026-11-21T12:00:00.000Z') + s * 1000).toISOString();
const redirect = (id: number, dc: number | null, to: number, s = 0) =>
  ({
    ...makeRecord({ code: 303, class: 'ERROR_SEE_OTHER', method: 'auth.sendCode', dc, action: { kind: 'redirect', dc: to }, capturedAt: at(s) }),
    id,
  }) as ErrorRecord;
const failure = (id: number, dc: number | null, s = 1, method = 'auth.sendCode') =>
  ({ ...makeRecord({ code: 400, class: 'BAD_REQUEST', method, dc, action: { kind: 'fix-input' }, capturedAt: at(s) }), id }) as ErrorRecord;

describe('linkRedirect', () => {
  it('starts a chain at a redirect and links the repeat on the named DC', () => {
    const pending: PendingRedirect[] = [];
    const r1 = redirect(1, 2, 4);
    linkRedirect(pending, r1);
    expect(r1.chainId).toBe(1);
    const r2 = failure(2, 4);
    linkRedirect(pending, r2);
    expect(r2.chainId).toBe(1);
    expect(pending).toEqual([]);
  });

  it('follows a chain through a second redirect', () => {
    const pending: PendingRedirect[] = [];
    const records = [redirect(1, 2, 4), redirect(2, 4, 5, 1), failure(3, 5, 2)];
    for (const r of records) linkRedirect(pending, r);
    expect(records.map((r) => r.chainId)).toEqual([1, 1, 1]);
  });

  it('leaves other methods, other DCs, other channels and late repeats alone', () => {
    const pending: PendingRedirect[] = [];
    linkRedirect(pending, redirect(1, 2, 4));
    const other = failure(2, 4, 1, 'messages.sendMessage');
    const wrongDc = failure(3, 3, 1);
    const late = failure(4, 4, 600);
    const otherChannel = { ...failure(5, null, 2), channel: 'fetch' } as ErrorRecord;
    for (const r of [other, wrongDc, late, otherChannel]) linkRedirect(pending, r);
    expect([other.chainId, wrongDc.chainId, late.chainId, otherChannel.chainId]).toEqual([null, null, null, null]);
  });

  it('keeps no chain for a redirect without a known method', () => {
    const pending: PendingRedirect[] = [];
    const r = { ...redirect(1, 2, 4), method: null };
    linkRedirect(pending, r);
    expect(r.chainId).toBeNull();
    expect(pending).toEqual([]);
  });
});
