import { describe, expect, it } from 'vitest';
import { mtprotoRequestHead } from '../../../src/hook/http/mtproto-request.ts';

describe('HTTP transport request heads', () => {
  it('keeps the head of an unencrypted MTProto body, as a copy', () => {
    const body = new Uint8Array(300).map((_, i) => (i < 8 ? 0 : i & 0xff));
    const head = mtprotoRequestHead(body)!;
    expect(head.length).toBe(256);
    body[20] = 0;
    expect(head[20]).toBe(20);
    expect(mtprotoRequestHead(body.buffer)?.length).toBe(256);
  });

  it('ignores encrypted bodies, short ones and anything that is not bytes', () => {
    expect(mtprotoRequestHead(new Uint8Array(64).fill(7))).toBeUndefined();
    expect(mtprotoRequestHead(new Uint8Array(8))).toBeUndefined();
    expect(mtprotoRequestHead('{"_":"help.getConfig"}')).toBeUndefined();
    expect(mtprotoRequestHead(null)).toBeUndefined();
  });
});
