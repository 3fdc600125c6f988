import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// The wrappers change globals: this file installs them once, on the Node globals of its own worker.
const nativeBlobRead = vi.spyOn(Blob.prototype, 'arrayBuffer');
const NativeResponse = Response;
let DirectionStream: typeof import('../../../src/hook/websocket/direction-stream.ts').DirectionStream;

beforeAll(async () => {
  // Imported after the spy: the hook captures the spied method as the native one, so every read counts.
  ({ DirectionStream } = await import('../../../src/hook/websocket/direction-stream.ts'));
  const { installPageBlobReads, pageReadsShared } = await import('../../../src/hook/websocket/page-blob-reads.ts');
  installPageBlobReads();
  expect(pageReadsShared()).toBe(true);
});
afterAll(() => nativeBlobRead.mockRestore());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const WAIT = 30;

describe('page-blob-reads: the wrappers are transparent', () => {
  it('keeps Response as the page knows it: instanceof, constructor, statics, subclasses, results and errors', async () => {
    expect(Response).not.toBe(NativeResponse);
    const response = new Response(new Blob([Uint8Array.of(1, 2, 3)]));
    expect(response).toBeInstanceOf(Response);
    expect(response).toBeInstanceOf(NativeResponse);
    expect(response.constructor).toBe(Response);
    expect(Array.from(new Uint8Array(await response.arrayBuffer()))).toEqual([1, 2, 3]);
    await expect(response.arrayBuffer()).rejects.toThrow(TypeError); // body used, as natively
    expect(await Response.json({ a: 1 }).json()).toEqual({ a: 1 });
    class Sub extends Response {}
    expect(new Sub('x')).toBeInstanceOf(Sub);
    expect(Response.name).toBe('Response');
    expect(Response.prototype.arrayBuffer.name).toBe('arrayBuffer');
    // Promise-returning operations reject on a wrong receiver, natively and through the wrapper.
    await expect(Reflect.apply(Blob.prototype.arrayBuffer, {}, []) as Promise<ArrayBuffer>).rejects.toThrow(TypeError);
  });
});

describe('DirectionStream with page reads shared', () => {
  it("takes a Blob's bytes from the page's own Response read: the hook reads nothing", async () => {
    const seen: Array<[number[], number]> = [];
    const stream = new DirectionStream(true, (bytes, offset) => seen.push([Array.from(bytes), offset]), WAIT);
    const blobs = [Uint8Array.of(1, 2), Uint8Array.of(3), Uint8Array.of(4, 5, 6)].map((b) => new Blob([b]));
    nativeBlobRead.mockClear();
    blobs.forEach((blob) => stream.pushBlob(blob, blob.size, true));
    const pageGot = await Promise.all(blobs.map(async (blob) => Array.from(new Uint8Array(await new Response(blob).arrayBuffer()))));
    expect(pageGot).toEqual([[1, 2], [3], [4, 5, 6]]);
    expect(seen).toEqual([
      [[1, 2], 0],
      [[3], 2],
      [[4, 5, 6], 3],
    ]);
    await sleep(WAIT * 3);
    expect(nativeBlobRead).not.toHaveBeenCalled();
    expect(seen).toHaveLength(3);
  });

  it('reads a Blob the page leaves unread itself, after the wait, and keeps order when the page reads a later one first', async () => {
    const seen: number[] = [];
    const stream = new DirectionStream(true, (_bytes, offset) => seen.push(offset), WAIT);
    const first = new Blob([Uint8Array.of(1)]);
    const second = new Blob([Uint8Array.of(2, 2)]);
    stream.pushBlob(first, 1, true);
    stream.pushBlob(second, 2, true);
    stream.pushBytes(Uint8Array.of(3));
    await second.arrayBuffer(); // the page reads only the second
    expect(seen).toEqual([]);
    await sleep(WAIT * 4);
    expect(seen).toEqual([0, 1, 3]);
  });

  it('reads a Blob the page sent (it will not read it) at once, without waiting', async () => {
    const seen: number[] = [];
    const stream = new DirectionStream(true, (_bytes, offset) => seen.push(offset), 10_000);
    stream.pushBlob(new Blob([Uint8Array.of(1, 2)]), 2);
    stream.pushBytes(Uint8Array.of(3));
    await sleep(20);
    expect(seen).toEqual([0, 2]);
  });

  it('copies what the page read ahead of an unread Blob only within its byte budget, and reads the rest itself', async () => {
    const seen: Array<[number, number, number]> = [];
    const stream = new DirectionStream(true, (bytes, offset) => seen.push([offset, bytes.length, bytes[0]]), WAIT);
    const big = 9 * 1024 * 1024; // two copies would pass the 16 MB budget
    const blobs = [Uint8Array.of(1), new Uint8Array(big).fill(2), new Uint8Array(big).fill(3)].map((b) => new Blob([b]));
    blobs.forEach((blob) => stream.pushBlob(blob, blob.size, true));
    nativeBlobRead.mockClear();
    await Promise.all([new Response(blobs[1]).arrayBuffer(), new Response(blobs[2]).arrayBuffer()]);
    expect(seen).toEqual([]);
    await sleep(WAIT * 6);
    expect(seen).toEqual([
      [0, 1, 1],
      [1, big, 2],
      [1 + big, big, 3],
    ]);
    // The hook read the first (never read by the page) and the third (no room to copy the page's
    // bytes); two reads, as the third alone passes a batch's 4 MB.
    expect(nativeBlobRead).toHaveBeenCalledTimes(2);
  });

  it('hands every message over once and in order, however the page reads (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('blob', 'bytes'), fc.uint8Array({ maxLength: 24 }), fc.constantFrom('response', 'blob', 'none', 'late')), {
          maxLength: 16,
        }),
        async (messages) => {
          const seen: Array<[number[], number]> = [];
          const stream = new DirectionStream(true, (bytes, offset) => seen.push([Array.from(bytes), offset]), WAIT);
          const expected: Array<[number[], number]> = [];
          const reads: Array<Promise<unknown>> = [];
          let offset = 0;
          for (const [kind, bytes, pageRead] of messages) {
            expected.push([Array.from(bytes), offset]);
            offset += bytes.length;
            if (kind === 'bytes') {
              stream.pushBytes(bytes);
              continue;
            }
            const blob = new Blob([bytes]);
            stream.pushBlob(blob, blob.size, true);
            if (pageRead === 'response') reads.push(new Response(blob).arrayBuffer());
            else if (pageRead === 'blob') reads.push(blob.arrayBuffer());
            else if (pageRead === 'late') reads.push(sleep(WAIT * 2).then(() => blob.arrayBuffer()));
          }
          await Promise.all(reads);
          await sleep(WAIT * 4);
          expect(seen).toEqual(expected);
        },
      ),
      { numRuns: 25 },
    );
  });
});
