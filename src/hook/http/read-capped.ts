// Reads one of our own body branches (a Response clone) with a byte cap and a time
// limit, then cancels it, so a long or endless body never keeps memory or the
// connection busy on the page's behalf.

import { nativeClearTimeout, nativeSetTimeout, NativePromise, NativeUint8Array, reflectApply, setBytes, promiseThen } from '../common/natives.ts';

/** Give up on a body that has not ended after this long (long polls, slow streams). */
const READ_TIME_LIMIT_MS = 30_000;

const getReader = typeof ReadableStream === 'function' ? ReadableStream.prototype.getReader : undefined;
const readerRead = typeof ReadableStreamDefaultReader === 'function' ? ReadableStreamDefaultReader.prototype.read : undefined;
const readerCancel = typeof ReadableStreamDefaultReader === 'function' ? ReadableStreamDefaultReader.prototype.cancel : undefined;

/**
 * Resolves with the first `cap` bytes (or fewer when the body ends first; null when the
 * read fails). Never rejects.
 */
export function readCapped(body: ReadableStream<Uint8Array>, cap: number): Promise<Uint8Array | null> {
  return new NativePromise((resolve) => {
    if (!getReader || !readerRead || !readerCancel) {
      resolve(null);
      return;
    }
    const reader = reflectApply(getReader, body, []) as ReadableStreamDefaultReader<Uint8Array>;
    const chunks: Uint8Array[] = [];
    let total = 0;
    let finished = false;
    const timer = nativeSetTimeout ? nativeSetTimeout(onTimeLimit, READ_TIME_LIMIT_MS) : undefined;

    function onTimeLimit(): void {
      try {
        finish(true);
      } catch {
        // a throw in a timer callback would reach the page's onerror
        finished = true;
        resolve(null);
      }
    }

    function finish(cancel: boolean): void {
      if (finished) return;
      finished = true;
      if (timer !== undefined && nativeClearTimeout) nativeClearTimeout(timer);
      if (cancel) {
        try {
          void promiseThen(
            reflectApply(readerCancel!, reader, []) as Promise<void>,
            () => undefined,
            () => undefined,
          );
        } catch {
          // already closed
        }
      }
      const out = new NativeUint8Array(Math.min(total, cap));
      let at = 0;
      for (let i = 0; i < chunks.length && at < out.length; i++) {
        const chunk = chunks[i];
        const take = Math.min(chunk.length, out.length - at);
        setBytes(out, take === chunk.length ? chunk : chunk.subarray(0, take), at);
        at += take;
      }
      chunks.length = 0;
      resolve(out);
    }

    function pump(): void {
      void promiseThen(
        reflectApply(readerRead!, reader, []) as Promise<ReadableStreamReadResult<Uint8Array>>,
        (result) => {
          if (finished) return;
          try {
            if (result.done) {
              finish(false);
              return;
            }
            const chunk = result.value;
            chunks[chunks.length] = chunk;
            total += chunk.length;
            if (total >= cap) finish(true);
            else pump();
          } catch {
            // A rejection escaping here would be reported to the page as unhandled.
            finished = true;
            resolve(null);
          }
        },
        () => {
          if (finished) return;
          finished = true;
          if (timer !== undefined && nativeClearTimeout) nativeClearTimeout(timer);
          resolve(null);
        },
      );
    }
    pump();
  });
}
