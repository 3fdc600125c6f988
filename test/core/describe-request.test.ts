import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRequestDescriber } from '../../src/core/params/describe-request.ts';
import { tl } from '../mtproto/tl-helpers.ts';

const salt = new Uint8Array(16).fill(7);
const describeAll = (bytes: Uint8Array, withSalt = salt) => createRequestDescriber(withSalt)(bytes, 0, bytes.length)!;

const send = (message: string, randomId: bigint) => tl({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message, randomId });
const checkPassword = (m1: number) =>
  tl({ _: 'auth.checkPassword', password: { _: 'inputCheckPasswordSRP', srpId: 1n, A: new Uint8Array(256).fill(1), M1: new Uint8Array(32).fill(m1) } });

describe('request description: masked parameters and a fingerprint', () => {
  it('an identical repeat has the same fingerprint whatever its random_id; changed input does not', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }), fc.bigInt({ min: 1n, max: (1n << 63n) - 1n }), fc.string({ maxLength: 40 }), (a, b, text) => {
        expect(describeAll(send(text, a)).fingerprint).toBe(describeAll(send(text, b)).fingerprint);
        expect(describeAll(send(`${text}!`, a)).fingerprint).not.toBe(describeAll(send(text, a)).fingerprint);
      }),
      { numRuns: 50 },
    );
  });

  it('bytes values count by their contents (a new password attempt is not a repeat), but are shown by size only', () => {
    const first = describeAll(checkPassword(1));
    const again = describeAll(checkPassword(1));
    const other = describeAll(checkPassword(2));
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(other.fingerprint).not.toBe(first.fingerprint);
    expect(first.params).not.toContain('digest');
    expect(JSON.parse(first.params)).toMatchObject({ _: 'auth.checkPassword' });
  });

  it('secrets are masked in the parameters, and the fingerprint depends on the salt', () => {
    const bytes = tl({ _: 'auth.signIn', phoneNumber: '+15551234567', phoneCodeHash: 'abcdef0123', phoneCode: '12345' });
    const described = describeAll(bytes);
    expect(described.params).not.toContain('15551234567');
    expect(described.params).not.toContain('12345');
    expect(described.params).not.toContain('abcdef0123');
    expect(describeAll(bytes, new Uint8Array(16).fill(8)).fingerprint).not.toBe(described.fingerprint);
  });
});
