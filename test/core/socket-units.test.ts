// The pure reader of a worker socket's whole messages (as chrome.debugger reports them): the
// same captures as the page hook's inspector, for every transport, however the stream is cut;
// a socket whose start was missed is said to be unreadable; big frames are passed over.

import { describe, expect, it } from 'vitest';
import { SocketUnitReader, mayHoldErrorText } from '../../src/core/mtproto/transport/socket-units.ts';
import { decodeBase64 } from '../../src/core/mtproto/base64-fast.ts';
import { CaptureSession, decodeCapture } from '../../src/core/capture/decode-capture.ts';
import type { HookCapture } from '../../src/core/capture/capture.ts';
import type { TransportKind } from '../../src/core/mtproto/types.ts';
import { conversation, obfuscatedConnection, plainConnection, recut, type Chunk } from '../mtproto/stream-helpers.ts';
import { abridgedFrame, concat, encrypted } from '../mtproto/tl-helpers.ts';
import { createCipheriv } from 'node:crypto';

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

function read(chunks: Chunk[], fromStart = true): { reader: SocketUnitReader; captures: HookCapture[] } {
  const reader = new SocketUnitReader({ url: 'wss://venus.web.telegram.org/apiws', conn: 'w:1', fromStart });
  const captures: HookCapture[] = [];
  for (const [dir, bytes] of chunks) captures.push(...reader.message(dir, 2, b64(bytes), 1000));
  return { reader, captures };
}

function messagesOf(captures: HookCapture[]): string[] {
  const session = new CaptureSession();
  return captures.flatMap((c) => decodeCapture(c, session).records.map((r) => `${r.code} ${r.message} dc${r.dc}`));
}

const WANT = ['420 FLOOD_WAIT_30 dc2', '17 bad_msg_notification 17 dc2', '500 INTERNAL dc2', '-404 -404 dc2'];

describe('SocketUnitReader', () => {
  for (const transport of ['abridged', 'intermediate', 'padded-intermediate'] as const) {
    it(`obfuscated ${transport}: the plain frames and transport errors, decoded like the hook's`, () => {
      const { chunks } = obfuscatedConnection(transport, 2);
      const { reader, captures } = read(chunks);
      expect(reader.status()).toMatchObject({ readability: 'reading', transport, obfuscated: true, dc: 2 });
      const records = messagesOf(captures);
      for (const want of WANT) expect(records.some((r) => r.startsWith(want.split(' ')[0]) && r.includes(want.split(' ')[1]))).toBe(true);
      // Without keys: the encrypted frames are named once per connection by auth_key_id.
      expect(captures.filter((c) => c.encrypted === 'unknown-key')).toHaveLength(1);
      // Every capture carries the client's init, as the hook's do (the DC comes from it too).
      expect(captures.every((c) => c.clientHead?.length === 128 && c.framing === transport)).toBe(true);
    });

    it(`obfuscated ${transport}: the same captures however the messages are cut`, () => {
      const { chunks } = obfuscatedConnection(transport, 2);
      const whole = read(chunks).captures;
      for (const step of [1, 3, 7, 64, 100]) {
        const cut = recut(chunks, (_dir, total) => Array.from({ length: Math.ceil(total / step) }, (_, i) => i * step + (step > 1 ? 5 : 0)));
        const again = read(cut).captures;
        const key = (c: HookCapture) => `${c.direction} ${c.offset} ${c.data} ${c.encrypted ?? ''}`;
        expect(again.map(key).sort()).toEqual(whole.map(key).sort());
      }
    });
  }

  for (const transport of ['abridged', 'intermediate', 'padded-intermediate', 'full'] as TransportKind[]) {
    it(`plain ${transport}: read from its tag`, () => {
      const { chunks } = plainConnection(transport);
      const { reader, captures } = read(chunks);
      expect(reader.status()).toMatchObject({ readability: 'reading', transport, obfuscated: false });
      const records = messagesOf(captures).map((r) => r.replace(/ dc.*$/, ''));
      expect(records).toEqual(expect.arrayContaining(['420 FLOOD_WAIT_30', '500 INTERNAL', '-404 transport error -404']));
    });
  }

  it('a socket whose start was missed is unreadable, and says why', () => {
    const { chunks } = obfuscatedConnection('intermediate', 2);
    const { reader, captures } = read(chunks.slice(2), false);
    expect(captures).toEqual([]);
    expect(reader.status().readability).toBe('unreadable');
    expect(reader.status().reason).toMatch(/first bytes were missed/);
    // A server message first, on a socket that opened before capture: unreadable too.
    expect(read([chunks[1], ...chunks.slice(2)], false).reader.status().readability).toBe('unreadable');
  });

  it('a socket that opened before capture but had sent nothing yet is read from its init', () => {
    const { chunks } = obfuscatedConnection('abridged', 4);
    const { reader, captures } = read(chunks, false);
    expect(reader.status()).toMatchObject({ readability: 'reading', dc: 4 });
    expect(messagesOf(captures).some((r) => r.startsWith('420 FLOOD_WAIT_30'))).toBe(true);
  });

  it('binary that is not MTProto is left alone; text is scanned only when it can hold an error', () => {
    const reader = new SocketUnitReader({ url: 'wss://x/', conn: 'w:2', fromStart: true });
    expect(
      reader.message('out', 2, b64(new TextEncoder().encode('hello there, this is not mtproto at all, not even close to it!! no, really, it is not.')), 1),
    ).toEqual([]);
    expect(reader.status().readability).toBe('not-mtproto');
    expect(reader.message('in', 1, '{"type":"chat","text":"hi"}', 2)).toEqual([]);
    const [text] = reader.message('in', 1, '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_5"}', 3);
    expect(text).toMatchObject({ kind: 'text', channel: 'websocket', direction: 'in', conn: 'w:2' });
    expect(decodeCapture(text).records[0]).toMatchObject({ code: 420, type: 'FLOOD_WAIT_5' });
    expect(mayHoldErrorText('FLOOD_WAIT_5 said someone')).toBe(false);
  });

  it('a 1 MB encrypted frame costs its header: nothing kept, the next frame still read', () => {
    const conv = conversation();
    conv.in = [encrypted(5, 1024 * 1024), ...conv.in];
    const { chunks } = obfuscatedConnection('intermediate', 2, conv);
    const { reader, captures } = read(chunks);
    expect(reader.status().readability).toBe('reading');
    expect(captures.every((c) => c.data.length < 4096)).toBe(true);
    expect(messagesOf(captures).some((r) => r.startsWith('420 FLOOD_WAIT_30'))).toBe(true);
  });

  it('a declared length beyond 16 MB loses the framing: unreadable from there', () => {
    const init = obfuscatedConnection('abridged', 2);
    const reader = new SocketUnitReader({ url: 'wss://x/', conn: 'w:3', fromStart: true });
    reader.message('out', 2, b64(init.chunks[0][1]), 1);
    // A plaintext long-form abridged header declaring 0xffffff words, encrypted at its stream offset.
    const toClient = createCipheriv('aes-256-ctr', Buffer.from(init.init).reverse().subarray(8, 40), Buffer.from(init.init).reverse().subarray(40, 56));
    reader.message('in', 2, b64(toClient.update(concat(Uint8Array.of(0x7f, 0xff, 0xff, 0xff), new Uint8Array(8)))), 2);
    expect(reader.status().readability).toBe('unreadable');
    expect(reader.status().reason).toMatch(/lost its framing/);
    void abridgedFrame;
  });

  it('decodeBase64 takes the native path when there is one and refuses junk', () => {
    expect([...decodeBase64('AQID')!]).toEqual([1, 2, 3]);
    expect(decodeBase64('*not base64*')).toBeNull();
  });
});
