import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DirectionStream } from '../../../src/hook/websocket/direction-stream.ts';

const flush = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('DirectionStream', () => {
  it('assigns offsets in arrival order and, when ordered, handles a later ArrayBuffer after an earlier Blob', async () => {
    const seen: Array<[number[], number]> = [];
    const stream = new DirectionStream(true, (bytes, offset) => seen.push([Array.from(bytes), offset]));
    stream.pushBlob(new Blob([Uint8Array.of(1, 2, 3)]), 3);
    const pageBuffer = Uint8Array.of(4, 5);
    stream.pushBytes(pageBuffer);
    pageBuffer.fill(0); // the page reuses its buffer: the queued copy must not change
    stream.pushBytes(Uint8Array.of(6));
    expect(seen).toEqual([]);
    await flush();
    expect(seen).toEqual([
      [[1, 2, 3], 0],
      [[4, 5], 3],
      [[6], 5],
    ]);
    // Once the queue drains, bytes are handled synchronously again.
    stream.pushBytes(Uint8Array.of(7));
    expect(seen[3]).toEqual([[7], 6]);
  });

  it('after a gap (bytes lost unseen) the next offset does not follow on, so an ordered inspector sees the break', () => {
    const offsets: number[] = [];
    const stream = new DirectionStream(true, (_bytes, offset) => offsets.push(offset));
    stream.pushBytes(Uint8Array.of(1, 2));
    stream.markGap();
    stream.pushBytes(Uint8Array.of(3));
    expect(offsets[0]).toBe(0);
    expect(offsets[1]).toBeGreaterThan(2);
  });

  it('when not ordered, handles bytes at once without copying and Blobs when read', async () => {
    const seen: Array<[Uint8Array, number]> = [];
    const stream = new DirectionStream(false, (bytes, offset) => seen.push([bytes, offset]));
    stream.pushBlob(new Blob([Uint8Array.of(1, 2, 3)]), 3);
    const pageBytes = Uint8Array.of(4, 5);
    stream.pushBytes(pageBytes);
    expect(seen).toHaveLength(1);
    expect(seen[0][0]).toBe(pageBytes);
    expect(seen[0][1]).toBe(3);
    await flush();
    expect(Array.from(seen[1][0])).toEqual([1, 2, 3]);
    expect(seen[1][1]).toBe(0);
  });

  it('survives a handler that throws and keeps the order', async () => {
    const offsets: number[] = [];
    const stream = new DirectionStream(true, (_bytes, offset) => {
      offsets.push(offset);
      if (offset === 0) throw new Error('inspector bug');
    });
    stream.pushBlob(new Blob([Uint8Array.of(1)]), 1);
    stream.pushBytes(Uint8Array.of(2, 2));
    await flush();
    expect(offsets).toEqual([0, 1]);
  });
});

describe('DirectionStream batches Blob reads', () => {
  it('reads the Blobs that arrive during a read as one joined Blob, and hands each message its own bytes', async () => {
    vi.resetModules();
    const read = vi.spyOn(Blob.prototype, 'arrayBuffer');
    try {
      const { DirectionStream: Fresh } = await import('../../../src/hook/websocket/direction-stream.ts');
      const seen: Array<[number[], number]> = [];
      const stream = new Fresh(true, (bytes, offset) => seen.push([Array.from(bytes), offset]));
      for (let i = 0; i < 10; i++) stream.pushBlob(new Blob([Uint8Array.of(i, i + 100)]), 2);
      await flush();
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => [[i, i + 100], 2 * i]));
      // The first alone (nothing was in flight), the nine that came during it together.
      expect(read).toHaveBeenCalledTimes(2);
    } finally {
      read.mockRestore();
      vi.resetModules();
    }
  });

  it('keeps order and offsets for any mix of Blobs and ArrayBuffers (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.array(fc.tuple(fc.boolean(), fc.uint8Array({ minLength: 0, maxLength: 40 })), { maxLength: 30 }),
        async (ordered, messages) => {
          const seen: Array<[number[], number]> = [];
          const stream = new DirectionStream(ordered, (bytes, offset) => seen.push([Array.from(bytes), offset]));
          const expected: Array<[number[], number]> = [];
          let offset = 0;
          for (const [asBlob, bytes] of messages) {
            expected.push([Array.from(bytes), offset]);
            if (asBlob) stream.pushBlob(new Blob([bytes]), bytes.length);
            else stream.pushBytes(bytes);
            offset += bytes.length;
          }
          await flush();
          if (ordered) expect(seen).toEqual(expected);
          else
            expect([...seen].sort((a, b) => a[1] - b[1] || a[0].length - b[0].length)).toEqual(
              [...expected].sort((a, b) => a[1] - b[1] || a[0].length - b[0].length),
            );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('splits a batch past its byte budget and still hands every message over in order', async () => {
    const seen: number[] = [];
    const stream = new DirectionStream(true, (bytes, offset) => seen.push(offset, bytes.length));
    const big = 3 * 1024 * 1024;
    stream.pushBlob(new Blob([new Uint8Array(1)]), 1);
    stream.pushBlob(new Blob([new Uint8Array(big)]), big);
    stream.pushBlob(new Blob([new Uint8Array(big)]), big);
    stream.pushBytes(Uint8Array.of(9));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toEqual([0, 1, 1, big, 1 + big, big, 1 + 2 * big, 1]);
  });
});
