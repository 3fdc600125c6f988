import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeDecryptedMessage, decodeMessageBody, decodeMtprotoPayload } from '../../src/core/mtproto/tl/decode.ts';
import { createStreamDecoder, restoreStreamDecoder } from '../../src/core/mtproto/transport/stream-decoder.ts';
import type { DecodeFindings, StreamDirection, TransportKind } from '../../src/core/mtproto/types.ts';
import { concat, container, gzipPacked, methodNameFromSchema, rpcError, rpcResult, tl, unencrypted } from './tl-helpers.ts';
import { byDirection, conversation, obfuscatedConnection, plainConnection, recut, runChunks, type Chunk } from './stream-helpers.ts';

const noInternalError = (f: DecodeFindings) => expect(f.diagnostics.filter((d) => d.includes('internal'))).toEqual([]);

const seeds = [
  rpcResult(1n, rpcError(420, 'FLOOD_WAIT_30')),
  container([
    { msgId: 5n, body: rpcResult(2n, gzipPacked(rpcError(400, 'X'))) },
    { msgId: 6n, body: tl({ _: 'mt_msgs_ack', msgIds: [1n] }) },
  ]),
  tl({
    _: 'invokeWithLayer',
    layer: 214,
    query: {
      _: 'initConnection',
      apiId: 1,
      deviceModel: 'a',
      systemVersion: 'b',
      appVersion: 'c',
      systemLangCode: 'd',
      langPack: 'e',
      langCode: 'f',
      params: { _: 'jsonObject', value: [] },
      query: { _: 'help.getConfig' },
    },
  }),
  tl({ _: 'mt_bad_server_salt', badMsgId: 1n, badMsgSeqno: 2, errorCode: 48, newServerSalt: 3n }),
];

/** A seed with bytes overwritten, removed or inserted. */
const mutated = fc
  .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'insert')), { maxLength: 6 }))
  .map(([seed, edits]) => {
    let b = Array.from(seed);
    for (const [at, v, op] of edits) {
      const i = b.length === 0 ? 0 : at % b.length;
      if (op === 'set') b[i] = v;
      else if (op === 'cut') b = b.slice(0, i);
      else b.splice(i, 0, v);
    }
    return Uint8Array.from(b);
  });

describe('never throws, never hangs', () => {
  it('random bytes through every entry point', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.constantFrom<StreamDirection>('in', 'out'), (bytes, direction) => {
        const opts = { direction, methodName: methodNameFromSchema };
        noInternalError(decodeMtprotoPayload(bytes, opts));
        noInternalError(decodeDecryptedMessage(bytes, opts));
        noInternalError(decodeMessageBody(bytes, opts));
        noInternalError(decodeMtprotoPayload(concat(new Uint8Array(8), bytes), opts));
      }),
      { numRuns: 2000 },
    );
  });

  it('mutated valid messages', () => {
    fc.assert(
      fc.property(mutated, fc.constantFrom<StreamDirection>('in', 'out'), (bytes, direction) => {
        const t0 = performance.now();
        noInternalError(decodeMessageBody(bytes, { direction, methodName: methodNameFromSchema }));
        noInternalError(decodeMtprotoPayload(unencrypted(4n, bytes), { direction }));
        expect(performance.now() - t0).toBeLessThan(500);
      }),
      { numRuns: 3000 },
    );
  });

  it('random and mutated byte streams through the stream decoder', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<StreamDirection>('out', 'in'), fc.oneof(fc.uint8Array({ maxLength: 300 }), mutated)), { maxLength: 12 }),
        fc.option(fc.constantFrom<TransportKind>('abridged', 'intermediate', 'padded-intermediate', 'full'), { nil: undefined }),
        (chunks, transport) => {
          const d = createStreamDecoder({ transport, maxBuffered: 4096 });
          for (const [dir, bytes] of chunks) {
            const r = d.push(dir, bytes);
            expect(r.diagnostics.filter((x) => x.includes('internal'))).toEqual([]);
            for (const f of r.frames) noInternalError(f);
          }
          const again = restoreStreamDecoder(JSON.parse(JSON.stringify(d.save())));
          expect(again.diagnostics).toEqual([]);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

const connections = [
  ...(['abridged', 'intermediate', 'padded-intermediate', 'full'] as const).map((t) => () => plainConnection(t)),
  ...(['abridged', 'intermediate', 'padded-intermediate'] as const).map((t) => () => obfuscatedConnection(t)),
];

describe('cutting and merging the stream never changes the result', () => {
  it('random cut points per direction, with a save/restore through JSON at a random chunk', () => {
    const built = connections.map((make) => {
      const conn = make();
      return { conn, reference: byDirection(runChunks(createStreamDecoder({ methodName: methodNameFromSchema }), conn.chunks).frames) };
    });
    fc.assert(
      fc.property(
        fc.nat({ max: built.length - 1 }),
        fc.array(fc.nat({ max: 20_000 }), { maxLength: 40 }),
        fc.array(fc.nat({ max: 20_000 }), { maxLength: 40 }),
        fc.nat(),
        (which, outCuts, inCuts, restoreAt) => {
          const { conn, reference } = built[which];
          const chunks: Chunk[] = recut(conn.chunks, (dir, n) => (dir === 'out' ? outCuts : inCuts).map((c) => c % n));
          const stop = restoreAt % (chunks.length + 1);
          const first = createStreamDecoder({ methodName: methodNameFromSchema });
          const a = runChunks(first, chunks.slice(0, stop));
          const { decoder } = restoreStreamDecoder(JSON.parse(JSON.stringify(first.save())), { methodName: methodNameFromSchema });
          const b = runChunks(decoder, chunks.slice(stop));
          expect(byDirection([...a.frames, ...b.frames])).toEqual(reference);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('the reference itself is non-trivial', () => {
    const frames = runChunks(createStreamDecoder({ methodName: methodNameFromSchema }), obfuscatedConnection('intermediate').chunks).frames;
    expect(frames).toHaveLength(conversation().out.length + conversation().in.length);
    expect(frames.flatMap((f) => f.rpcErrors).map((e) => e.message)).toEqual(['FLOOD_WAIT_30', 'INTERNAL']);
  });
});
