// One direction of a connection as a byte stream. Offsets are assigned when a
// message is seen. When `ordered`, handling runs strictly in that order even when a
// Blob message must be read asynchronously, so a stateful inspector never sees bytes
// out of order; otherwise bytes are handled at once and Blobs whenever their read ends,
// and nothing is copied.

import { copyBytes, NativePromise, NativeUint8Array, promiseThen, readBlob, whenFulfilled } from '../common/natives.ts';

/** Blob reads allowed in flight per direction before messages are skipped (bounds page memory held). */
const MAX_PENDING = 512;

const settled: Promise<void> = NativePromise.resolve();

export type BytesHandler = (bytes: Uint8Array, offset: number) => void;

export class DirectionStream {
  private nextOffset = 0;
  private tail: Promise<void> | null = null;
  private pending = 0;

  constructor(
    private readonly ordered: boolean,
    private readonly handle: BytesHandler,
  ) {}

  /** `bytes` is the page's view: handled now, or copied if earlier Blobs are still being read. */
  pushBytes(bytes: Uint8Array): void {
    const offset = this.nextOffset;
    this.nextOffset += bytes.length;
    if (this.tail === null || !this.ordered) {
      this.handle(bytes, offset);
      return;
    }
    if (this.pending >= MAX_PENDING) return;
    const copy = copyBytes(bytes, 0, bytes.length);
    this.enqueue(settled, () => this.handle(copy, offset));
  }

  /** Bytes went by unseen (their count unknown): the next offset no longer follows on, which an ordered inspector notices. */
  markGap(): void {
    this.nextOffset += 1;
  }

  pushBlob(blob: Blob, size: number): void {
    const offset = this.nextOffset;
    this.nextOffset += size;
    if (this.pending >= MAX_PENDING) return;
    // Start the read now (reads run in parallel); only the handling is serialized.
    const read = readBlob(blob);
    if (!this.ordered) {
      this.pending++;
      const done = (): void => {
        this.pending--;
      };
      void promiseThen(read, done, done);
      whenFulfilled(read, (buffer) => this.handle(new NativeUint8Array(buffer), offset));
      return;
    }
    this.enqueue(read, (buffer) => this.handle(new NativeUint8Array(buffer as ArrayBuffer), offset));
  }

  private enqueue<T>(ready: Promise<T>, step: (value: T) => void): void {
    this.pending++;
    const previous = this.tail ?? settled;
    const finish = (): void => {
      this.pending--;
      if (this.tail === tail) this.tail = null;
    };
    const tail: Promise<void> = promiseThen(
      promiseThen(previous, () =>
        promiseThen(ready, (value) => {
          try {
            step(value);
          } catch {
            // an observation failure must not stall the stream
          }
        }),
      ),
      finish,
      finish,
    );
    this.tail = tail;
  }
}
