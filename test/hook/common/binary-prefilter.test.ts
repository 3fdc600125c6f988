import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mayContainRpcError } from '../../../src/hook/common/binary-prefilter.ts';

const RPC_ERROR = [0x19, 0xca, 0x44, 0x21];

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.replace(/\s+/g, '').match(/../g) ?? [], (pair) => parseInt(pair, 16));
}

function withoutRpcError(bytes: Uint8Array): boolean {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 0x19 && bytes[i + 1] === 0xca && bytes[i + 2] === 0x44 && bytes[i + 3] === 0x21) return false;
  }
  return true;
}

describe('binary prefilter (as the hook uses it)', () => {
  it('finds rpc_result -> rpc_error 420 FLOOD_WAIT_30', () => {
    const body = hex('016d5cf3 0102030405060708 19ca4421 a4010000 0d');
    const text = new TextEncoder().encode('FLOOD_WAIT_30');
    const bytes = new Uint8Array(body.length + text.length + 2);
    bytes.set(body);
    bytes.set(text, body.length);
    expect(mayContainRpcError(bytes)).toBe(true);
  });

  it.each([
    ['bare -404', '6cfeffff'],
    ['abridged -429', '01 53feffff'],
    ['intermediate -444', '04000000 44feffff'],
  ])('finds a lone transport error: %s', (_name, bytes) => {
    expect(mayContainRpcError(hex(bytes))).toBe(true);
  });

  it('rejects a near miss of the constructor and ordinary small payloads', () => {
    expect(mayContainRpcError(hex('19ca4420 19ca44'))).toBe(false);
    expect(mayContainRpcError(hex('01000000'))).toBe(false);
    expect(mayContainRpcError(new Uint8Array(0))).toBe(false);
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), (bytes) => {
        expect(typeof mayContainRpcError(bytes)).toBe('boolean');
      }),
    );
  });

  it('finds 19 ca 44 21 planted at any position, also inside a view with an offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), fc.nat(), fc.nat({ max: 16 }), (noise, at, lead) => {
        const position = noise.length === 0 ? 0 : at % (noise.length + 1);
        const buffer = new Uint8Array(lead + noise.length + 4);
        buffer.set(noise.subarray(0, position), lead);
        buffer.set(RPC_ERROR, lead + position);
        buffer.set(noise.subarray(position), lead + position + 4);
        expect(mayContainRpcError(buffer.subarray(lead))).toBe(true);
      }),
    );
  });

  it('rejects longer payloads without the constructor bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 17, maxLength: 4096 }), (bytes) => {
        fc.pre(withoutRpcError(bytes));
        expect(mayContainRpcError(bytes)).toBe(false);
      }),
    );
  });
});
