import { describe, expect, it } from 'vitest';
import { createStreamDecoder, restoreStreamDecoder } from '../../src/core/mtproto/transport/stream-decoder.ts';
import type { TransportKind } from '../../src/core/mtproto/types.ts';
import { concat, encrypted, rpcError, rpcResult, u32, unencrypted } from './tl-helpers.ts';
import { byDirection, conversation, frameFor, obfuscatedConnection, plainConnection, recut, runChunks, type Chunk } from './stream-helpers.ts';
import { methodNameFromSchema } from './tl-helpers.ts';

const TRANSPORTS: TransportKind[] = ['abridged', 'intermediate', 'padded-intermediate', 'full'];

function summary(frames: ReturnType<typeof runChunks>['frames']) {
  return frames.map((f) => ({
    dir: f.direction,
    env: f.envelope?.kind ?? null,
    errors: f.rpcErrors.map((e) => `${e.code} ${e.message} ${e.method}`),
    protocol: f.protocolErrors.map((p) => `${p.errorCode} ${p.method}`),
    transport: f.transportErrors.map((t) => t.code),
    requests: f.requests.map((r) => r.method),
  }));
}

const EXPECTED = [
  { dir: 'out', env: 'unencrypted', errors: [], protocol: [], transport: [], requests: ['help.getConfig'] },
  { dir: 'in', env: 'unencrypted', errors: ['420 FLOOD_WAIT_30 help.getConfig'], protocol: [], transport: [], requests: [] },
  { dir: 'out', env: 'encrypted', errors: [], protocol: [], transport: [], requests: [] },
  { dir: 'in', env: 'encrypted', errors: [], protocol: [], transport: [], requests: [] },
  { dir: 'out', env: 'unencrypted', errors: [], protocol: [], transport: [], requests: ['ping'] },
  { dir: 'in', env: 'unencrypted', errors: ['500 INTERNAL ping'], protocol: ['17 ping'], transport: [], requests: [] },
  { dir: 'out', env: 'encrypted', errors: [], protocol: [], transport: [], requests: [] },
  { dir: 'in', env: null, errors: [], protocol: [], transport: [-404], requests: [] },
  { dir: 'in', env: 'encrypted', errors: [], protocol: [], transport: [], requests: [] },
];

describe('plain transports', () => {
  for (const transport of TRANSPORTS) {
    it(`${transport}: detects the transport and decodes frames in both directions`, () => {
      const conn = plainConnection(transport);
      const decoder = createStreamDecoder({ methodName: methodNameFromSchema });
      const { frames, diagnostics } = runChunks(decoder, conn.chunks);
      expect(diagnostics).toEqual([]);
      expect(frames.flatMap((f) => f.diagnostics)).toEqual([]);
      expect(summary(frames)).toEqual(EXPECTED);
      expect(decoder.status()).toMatchObject({ phase: 'frames', transport, obfuscated: false });
      for (const f of frames) expect(f.transport).toBe(transport);
      if (transport === 'full') for (const f of frames) expect(f.crcOk).toBe(true);
      // Offsets are frame-relative and point at the rpc_error constructor.
      const withError = frames.find((f) => f.rpcErrors.length > 0 && !f.rpcErrors[0].compressed)!;
      const e = withError.rpcErrors[0];
      expect(Array.from(withError.bytes!.subarray(e.byteOffset, e.byteOffset + 4))).toEqual([0x19, 0xca, 0x44, 0x21]);
    });

    it(`${transport}: one byte per push, everything in one push, and random cuts all decode the same`, () => {
      const conn = plainConnection(transport);
      const reference = byDirection(runChunks(createStreamDecoder({ methodName: methodNameFromSchema }), conn.chunks).frames);
      const variants: Chunk[][] = [
        recut(conn.chunks, (_d, n) => Array.from({ length: n }, (_, i) => i)),
        recut(conn.chunks, () => []),
        recut(conn.chunks, (_d, n) => Array.from({ length: 7 }, (_, i) => Math.floor(((i + 1) * n) / 8) + (i % 3))),
      ];
      for (const chunks of variants) {
        const got = byDirection(runChunks(createStreamDecoder({ methodName: methodNameFromSchema }), chunks).frames);
        expect(got).toEqual(reference);
      }
    });
  }

  it('full transport: reports a crc32 mismatch', () => {
    const conn = plainConnection('full');
    const [dir, first] = conn.chunks[1];
    const broken = first.slice();
    broken[broken.length - 1] ^= 0x55;
    conn.chunks[1] = [dir, broken];
    const { frames } = runChunks(createStreamDecoder(), conn.chunks);
    expect(frames[1].crcOk).toBe(false);
    expect(frames[1].diagnostics.join()).toMatch(/crc32 mismatch/);
    expect(frames[1].rpcErrors).toHaveLength(1); // still decoded: the mismatch is reported, not fatal
  });

  it('transport errors -404, -429, -444 in each transport', () => {
    for (const transport of TRANSPORTS) {
      const decoder = createStreamDecoder();
      const start =
        transport === 'full'
          ? frameFor('full', unencrypted(4n, u32(0)), 0)
          : transport === 'abridged'
            ? Uint8Array.of(0xef)
            : u32(transport === 'intermediate' ? 0xeeeeeeee : 0xdddddddd);
      decoder.push('out', start);
      const got = [-404, -429, -444].flatMap((code, i) => decoder.push('in', frameFor(transport, u32(code), i, 3)).frames.flatMap((f) => f.transportErrors));
      expect(got.map((t) => t.code)).toEqual([-404, -429, -444]);
      expect(got[1].meaning).toMatch(/flood/);
      expect(got[2].meaning).toMatch(/invalid DC/);
    }
  });

  it('server quick acks are recognised in abridged and intermediate', () => {
    const a = createStreamDecoder({ transport: 'abridged' });
    expect(a.push('in', Uint8Array.of(0x80 | 0x12, 0x34, 0x56, 0x78)).frames[0]).toMatchObject({ quickAck: true, frameLength: 4 });
    const i = createStreamDecoder({ transport: 'intermediate' });
    expect(i.push('in', u32(0x80000000 | 0x1234)).frames[0]).toMatchObject({ quickAck: true });
    // A client asking for a quick ack sets the same bit on its length; the frame still decodes.
    const f = i.push('out', concat(u32(0x80000000 | 4), u32(-404))).frames[0];
    expect(f.transportErrors[0].code).toBe(-404);
  });

  it('abandons a stream whose frame declares more than the cap, and says so', () => {
    const d = createStreamDecoder({ transport: 'intermediate', maxFrameLength: 1024 });
    const r = d.push('in', u32(4096));
    expect(r.diagnostics.join()).toMatch(/above the 1024-byte cap/);
    expect(d.status().phase).toBe('failed');
    expect(d.push('in', new Uint8Array(100)).frames).toEqual([]);
  });

  it('decodes the head of a frame too large to buffer and stays in sync after it', () => {
    const big = encrypted(5, 10_000);
    const after = unencrypted(8n, rpcResult(1n, rpcError(400, 'AFTER_BIG')));
    const stream = concat(frameFor('abridged', big, 0), frameFor('abridged', after, 1));
    for (const cut of [1, 100, 5000, 10_020, 10_030]) {
      const d = createStreamDecoder({ maxBuffered: 8192 });
      d.push('out', Uint8Array.of(0xef));
      const frames = [...d.push('in', stream.subarray(0, cut)).frames, ...d.push('in', stream.subarray(cut)).frames];
      expect(frames.map((f) => [f.truncated, f.envelope?.kind, f.rpcErrors.map((e) => e.message)])).toEqual([
        [true, 'encrypted', []],
        [false, 'unencrypted', ['AFTER_BIG']],
      ]);
      expect(frames[0].envelope?.authKeyId).toBe(Buffer.from(big.subarray(0, 8)).toString('hex'));
    }
  });

  it('unrecognised first bytes fail detection with a diagnostic', () => {
    const d = createStreamDecoder();
    const r = d.push('out', new Uint8Array(64).fill(7));
    expect(r.diagnostics.join()).toMatch(/match no transport/);
    expect(d.status().phase).toBe('failed');
  });
});

describe('obfuscated transports', () => {
  for (const transport of ['abridged', 'intermediate', 'padded-intermediate'] as const) {
    it(`${transport}: recognises the init, derives both AES-CTR streams and decodes frames`, () => {
      const conn = obfuscatedConnection(transport, -3);
      const decoder = createStreamDecoder({ methodName: methodNameFromSchema });
      const { frames, diagnostics } = runChunks(decoder, conn.chunks);
      expect(diagnostics).toEqual([]);
      expect(summary(frames)).toEqual(EXPECTED);
      expect(decoder.status()).toMatchObject({ transport, obfuscated: true, dcId: -3 });
      expect(frames[0].streamOffset).toBe(64);
      expect(frames[1].streamOffset).toBe(0);

      const reference = byDirection(frames);
      const byteByByte = recut(conn.chunks, (_d, n) => Array.from({ length: n }, (_, i) => i));
      expect(byDirection(runChunks(createStreamDecoder({ methodName: methodNameFromSchema }), byteByByte).frames)).toEqual(reference);
      const merged = recut(conn.chunks, () => []);
      expect(byDirection(runChunks(createStreamDecoder({ methodName: methodNameFromSchema }), merged).frames)).toEqual(reference);
    });
  }

  it('decryptAt decrypts a message at a known stream offset without the bytes before it', () => {
    const conn = obfuscatedConnection('intermediate');
    const decoder = createStreamDecoder();
    decoder.push('out', conn.chunks[0][1]);
    const inChunks = conn.chunks.filter((c) => c[0] === 'in').map((c) => c[1]);
    const conv = conversation();
    let offset = 0;
    for (let i = 0; i < inChunks.length; i++) {
      const plain = decoder.decryptAt('in', offset, inChunks[i])!;
      expect(Array.from(plain.subarray(4))).toEqual(Array.from(conv.in[i]));
      offset += inChunks[i].length;
    }
  });

  it('skip() passes over an uncaptured message and keeps decoding the next ones', () => {
    const conn = obfuscatedConnection('abridged');
    const decoder = createStreamDecoder();
    const inChunks = conn.chunks.filter((c) => c[0] === 'in').map((c) => c[1]);
    decoder.push('out', conn.chunks[0][1]);
    decoder.skip('in', inChunks[0].length);
    const rest = inChunks.slice(1).flatMap((b) => decoder.push('in', b).frames);
    expect(rest.map((f) => f.transportErrors.map((t) => t.code)).flat()).toEqual([-404]);
    expect(rest[1].rpcErrors.map((e) => e.message)).toEqual(['INTERNAL']);
  });
});

describe('save / restore', () => {
  for (const make of [() => plainConnection('full'), () => obfuscatedConnection('padded-intermediate')]) {
    it('resumes from JSON at any cut point with the same results', () => {
      const conn = make();
      const chunks = recut(conn.chunks, (_d, n) => [3, 30, 63, 64, 65, Math.floor(n / 2), n - 3]);
      const reference = byDirection(runChunks(createStreamDecoder({ methodName: methodNameFromSchema }), chunks).frames);
      for (let stop = 0; stop <= chunks.length; stop++) {
        const first = createStreamDecoder({ methodName: methodNameFromSchema });
        const a = runChunks(first, chunks.slice(0, stop)).frames;
        const saved = JSON.parse(JSON.stringify(first.save()));
        const { decoder, diagnostics } = restoreStreamDecoder(saved, { methodName: methodNameFromSchema });
        expect(diagnostics).toEqual([]);
        const b = runChunks(decoder, chunks.slice(stop)).frames;
        expect(byDirection([...a, ...b])).toEqual(reference);
      }
    });
  }

  it('restoring junk starts fresh with a diagnostic instead of throwing', () => {
    for (const junk of [
      null,
      1,
      'x',
      { v: 1 },
      { v: 1, out: { consumed: 'a' }, in: {} },
      {
        v: 1,
        phase: 'frames',
        out: { consumed: 0, buffered: '', skipRemaining: 0 },
        in: { consumed: 0, buffered: '', skipRemaining: 0 },
        obfuscationInit: 'zz',
      },
    ]) {
      const { decoder, diagnostics } = restoreStreamDecoder(junk);
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(decoder.status().phase).toBe('detect');
    }
  });
});
