// Blob messages the page reads itself are read once. In Chromium every read of a WebSocket
// Blob costs the renderer as much as receiving the message did (a data pipe per read:
// scripts/bench-blob-read.ts), so the hook reading each Blob beside the page doubled what a
// Blob socket costs the page. When the page reads a Blob the hook is waiting for, the hook
// takes the bytes from the page's own read: it attaches to the promise the page gets
// (its reaction runs first, before the page's) and changes nothing the page sees.
//
// Which reads are shared: `new Response(blob).arrayBuffer()` (a special case for the GramJS
// family: GramJS's and Web A's browser sockets read every message this way, binaryType left
// at 'blob'; gram-js/gramjs and Ajaxy/telegram-tt PromisedWebSockets) and `blob.arrayBuffer()`.
// Any other way (FileReader, blob.stream(), text()), or none, and the hook reads the Blob
// itself after a wait (direction-stream.ts).

import { mapDelete, mapGet, mapSet, NativeWeakMap, promiseThen, reflectApply, reflectConstruct, replaceValue } from '../common/natives.ts';
import { nullProtoHandler } from '../common/proxy-handler.ts';

/** Told when the page's read of a Blob starts (true), then its bytes (or null: the read failed). */
export interface PageReadWaiter {
  pageReading(): void;
  pageRead(buffer: ArrayBuffer | null): void;
}

const waiters = new NativeWeakMap<Blob, PageReadWaiter>();
const blobOfResponse = new NativeWeakMap<Response, Blob>();
let installed = false;

/** True when page reads can be shared (the wrappers are in place); otherwise the hook reads every Blob itself. */
export function pageReadsShared(): boolean {
  return installed;
}

export function awaitPageRead(blob: Blob, waiter: PageReadWaiter): void {
  mapSet(waiters, blob, waiter);
}

export function stopAwaitingPageRead(blob: Blob): void {
  mapDelete(waiters, blob);
}

/** The page started reading `blob`, getting `read`: the waiter (if any) gets the same bytes. */
function share(blob: Blob, read: unknown): void {
  const waiter = mapGet(waiters, blob);
  if (waiter === undefined) return;
  mapDelete(waiters, blob);
  waiter.pageReading();
  // Our reaction is attached before the page can attach its own, so it runs first: the buffer
  // is the page's and whole. The derived promise always fulfils (nothing unhandled).
  void promiseThen(
    read as Promise<ArrayBuffer>,
    (buffer) => {
      try {
        waiter.pageRead(buffer);
      } catch {
        // observation only
      }
    },
    () => {
      try {
        waiter.pageRead(null);
      } catch {
        // observation only
      }
    },
  );
}

/** A read method that calls the native first and returns what it returned; the read of a Blob a waiter awaits is shared with it. */
function sharingRead<F extends (this: never) => Promise<ArrayBuffer>>(native: F, blobOf: (self: unknown) => Blob | undefined): F {
  return new Proxy(
    native,
    nullProtoHandler<F>({
      apply(target, thisArg, args) {
        const result: unknown = reflectApply(target, thisArg, args);
        try {
          const blob = blobOf(thisArg);
          if (blob !== undefined) share(blob, result);
        } catch {
          // never into page code
        }
        return result;
      },
    }),
  );
}

/** Wraps Response (constructor, arrayBuffer) and Blob.prototype.arrayBuffer; each wrapper calls the native first and returns what it returned. */
export function installPageBlobReads(): void {
  if (installed || typeof Blob !== 'function' || typeof Response !== 'function') return;
  const NativeResponse = Response;
  const responseProto = NativeResponse.prototype;
  const blobProto = Blob.prototype;
  const nativeBlobArrayBuffer = blobProto.arrayBuffer;
  const nativeResponseArrayBuffer = responseProto.arrayBuffer;
  if (typeof nativeBlobArrayBuffer !== 'function' || typeof nativeResponseArrayBuffer !== 'function') return;

  const ResponseProxy = new Proxy(
    NativeResponse,
    nullProtoHandler<typeof NativeResponse>({
      construct(target, args, newTarget) {
        const response = reflectConstruct(target, args, newTarget) as Response;
        try {
          const body: unknown = args[0];
          if (typeof body === 'object' && body !== null && mapGet(waiters, body as Blob) !== undefined) mapSet(blobOfResponse, response, body as Blob);
        } catch {
          // never into page code
        }
        return response;
      },
    }),
  );
  const responseArrayBuffer = sharingRead(nativeResponseArrayBuffer, (response) => mapGet(blobOfResponse, response as Response));
  const blobArrayBuffer = sharingRead(nativeBlobArrayBuffer, (blob) => blob as Blob);
  if (!replaceValue(blobProto, 'arrayBuffer', blobArrayBuffer)) return;
  if (!replaceValue(responseProto, 'arrayBuffer', responseArrayBuffer)) return;
  // `new Response(x).constructor === Response` keeps holding for the page's Response.
  replaceValue(responseProto, 'constructor', ResponseProxy);
  replaceValue(globalThis, 'Response', ResponseProxy);
  installed = true;
}
