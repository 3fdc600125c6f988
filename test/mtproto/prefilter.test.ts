import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mayContainRpcError } from '../../src/core/mtproto/transport/prefilter.ts';
import { abridgedFrame, concat, fullFrame, intermediateFrame, rpcError, rpcResult, u32 } from './tl-helpers.ts';

describe('mayContainRpcError', () => {
  it('finds rpc_error at every position and alignment', () => {
    const err = rpcResult(1n, rpcError(420, 'FLOOD_WAIT_1'));
    for (let pad = 0; pad < 40; pad++) {
      expect(mayContainRpcError(concat(new Uint8Array(pad).fill(0x19), err))).toBe(true);
    }
    expect(mayContainRpcError(Uint8Array.of(0x19, 0xca, 0x44, 0x21))).toBe(true);
  });

  it('finds lone negative transport errors bare and framed', () => {
    for (const code of [-404, -429, -444]) {
      expect(mayContainRpcError(u32(code))).toBe(true);
      expect(mayContainRpcError(abridgedFrame(u32(code)))).toBe(true);
      expect(mayContainRpcError(intermediateFrame(u32(code)))).toBe(true);
      expect(mayContainRpcError(fullFrame(u32(code), 1, () => 0x12345678))).toBe(true);
    }
  });

  it('is false for bytes without either', () => {
    expect(mayContainRpcError(new Uint8Array(0))).toBe(false);
    expect(mayContainRpcError(Uint8Array.of(0x19, 0xca, 0x44))).toBe(false);
    expect(mayContainRpcError(u32(404))).toBe(false);
    const noisy = new Uint8Array(1 << 16).fill(0x19);
    expect(mayContainRpcError(noisy)).toBe(false);
    let falsePositives = 0;
    for (let i = 0; i < 200; i++) {
      const b = randomBytes(4096);
      if (mayContainRpcError(b)) falsePositives++;
    }
    expect(falsePositives).toBeLessThan(3);
  });
});
