import { describe, expect, it } from 'vitest';
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
