// One direction of a connection as a byte stream. Offsets are assigned when a
// message is seen. When `ordered`, handling runs strictly in that order even when a
// Blob message must be read asynchronously, so a stateful inspector never sees bytes
// out of order; otherwise bytes are handled at once and Blobs whenever their bytes come,
// and nothing is copied.
//
// A Blob's bytes come from the page's own read when it makes one (page-blob-reads.ts), else
// from the hook's, PAGE_READ_WAIT_MS after the Blob came (at once when page reads cannot be
// shared). The hook reads Blobs in batches: the Blobs due at one time are read as one Blob
// joined from them (a join holds references, copies nothing), and those that fall due while
// that read is in flight are read together after it. Both because each read of a WebSocket
// Blob costs Chromium's renderer about as much as receiving the message (scripts/bench-blob-read.ts).

import { arrayBufferLength, copyBytes, dateNow, joinBlobs, NativeUint8Array, nativeSetTimeout, promiseThen, readBlob } from '../common/natives.ts';
import { awaitPageRead, pageReadsShared, stopAwaitingPageRead, type PageReadWaiter } from './page-blob-reads.ts';

/** Messages allowed to wait per direction before messages are skipped (each holds a Blob reference or a copy). */
const MAX_PENDING = 2048;
/** Bytes of copies allowed to wait per direction (bounds page memory held). */
const MAX_COPIED_BYTES = 16 * 1024 * 1024;
/** A batch stops growing past this many bytes (one larger Blob is read alone). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/** How long a Blob waits for the page to read it before the hook reads it itself. */
export const PAGE_READ_WAIT_MS = 1000;

export type BytesHandler = (bytes: Uint8Array, offset: number) => void;

/** A message not yet handled: a Blob to be read (by the page or the hook), or bytes ready. */
class Pending implements PageReadWaiter {
  blob: Blob | null;
  /** Ready to handle: a copy, or a view of the hook's own read. */
  bytes: Uint8Array | null = null;
  /** Handled or lost (a failed read): only waits to leave the list. */
  done = false;
  /** The page's read of the Blob is under way (the hook waits for it). */
  pageIsReading = false;
  hookReading = false;
  /** `bytes` is a copy counted in the stream's copiedBytes. */
  copied = false;
  next: Pending | null = null;

  constructor(
    private readonly stream: DirectionStream,
    blob: Blob | null,
    readonly offset: number,
    readonly size: number,
    /** When it came, for a Blob that waits for the page's read; 0 for one the hook reads at once. */
    readonly arrived: number,
  ) {
    this.blob = blob;
  }

  pageReading(): void {
    this.pageIsReading = true;
  }

  pageRead(buffer: ArrayBuffer | null): void {
    this.stream.fromPage(this, buffer);
  }
}

export class DirectionStream {
  private nextOffset = 0;
  /** Messages not yet handled, oldest first (a linked list: no page-reachable Array methods). */
  private head: Pending | null = null;
  private tail: Pending | null = null;
  private count = 0;
  private copiedBytes = 0;
  private hookReadInFlight = false;
  private timerArmed = false;
  private readonly shared: boolean;

  constructor(
    private readonly ordered: boolean,
    private readonly handle: BytesHandler,
    private readonly pageReadWaitMs = PAGE_READ_WAIT_MS,
  ) {
    this.shared = pageReadsShared() && nativeSetTimeout !== undefined;
  }

  /** `bytes` is the page's view: handled now, or copied if earlier Blobs are still to be read. */
  pushBytes(bytes: Uint8Array): void {
    const offset = this.nextOffset;
    this.nextOffset += bytes.length;
    if (!this.ordered || this.head === null) {
      this.handleSafely(bytes, offset);
      return;
    }
    if (this.count >= MAX_PENDING || this.copiedBytes + bytes.length > MAX_COPIED_BYTES) return;
    const entry = new Pending(this, null, offset, bytes.length, 0);
    entry.bytes = copyBytes(bytes, 0, bytes.length);
    entry.copied = true;
    this.copiedBytes += bytes.length;
    this.append(entry);
  }

  /** Bytes went by unseen (their count unknown): the next offset no longer follows on, which an ordered inspector notices. */
  markGap(): void {
    this.nextOffset += 1;
  }

  /** `pageWillRead`: a received message the page may read itself (one it sent, it will not). */
  pushBlob(blob: Blob, size: number, pageWillRead = false): void {
    const offset = this.nextOffset;
    this.nextOffset += size;
    if (this.count >= MAX_PENDING) return;
    const awaitPage = pageWillRead && this.shared;
    const entry = new Pending(this, blob, offset, size, awaitPage ? dateNow() : 0);
    this.append(entry);
    if (awaitPage) {
      awaitPageRead(blob, entry);
      this.armTimer(this.pageReadWaitMs);
    } else if (!this.hookReadInFlight) {
      this.readDue();
    }
  }

  /** The page's read of `entry`'s Blob ended: its bytes (the page's buffer, whole) or null. */
  fromPage(entry: Pending, buffer: ArrayBuffer | null): void {
    entry.pageIsReading = false;
    if (entry.blob === null || entry.done) return;
    const length = buffer === null ? -1 : arrayBufferLength(buffer);
    if (buffer === null || length < entry.size) {
      // The page's read failed: the hook reads the Blob itself (now if it is due, else when it is).
      if (!this.hookReadInFlight) this.readDue();
      return;
    }
    const handleNow = !this.ordered || entry === this.head;
    if (!handleNow && this.copiedBytes + entry.size > MAX_COPIED_BYTES) {
      // No room for a copy: the Blob stays, and the hook reads it itself when it is due.
      if (!this.hookReadInFlight) this.readDue();
      return;
    }
    entry.blob = null;
    if (handleNow) {
      // Handled now, in the page's buffer: nothing is copied.
      entry.done = true;
      this.handleSafely(new NativeUint8Array(buffer, 0, entry.size), entry.offset);
      this.drain();
      return;
    }
    // Earlier messages still wait: keep a copy (the page may transfer its buffer later).
    entry.bytes = copyBytes(new NativeUint8Array(buffer, 0, entry.size), 0, entry.size);
    entry.copied = true;
    this.copiedBytes += entry.size;
  }

  private append(entry: Pending): void {
    if (this.tail === null) this.head = entry;
    else this.tail.next = entry;
    this.tail = entry;
    this.count++;
  }

  /** Handles what is ready from the head on (ordered: stops at the first still unread) and drops it from the list. */
  private drain(): void {
    for (let entry = this.head; entry !== null; entry = this.head) {
      if (!entry.done) {
        // Still to be read: ordered, later messages wait for it; unordered, they were handled when they came.
        if (entry.bytes === null) return;
        const bytes = entry.bytes;
        entry.bytes = null;
        entry.done = true;
        if (entry.copied) this.copiedBytes -= entry.size;
        this.handleSafely(bytes, entry.offset);
      }
      this.head = entry.next;
      if (this.head === null) this.tail = null;
      entry.next = null;
      this.count--;
    }
  }

  private armTimer(delay: number): void {
    if (this.timerArmed) return;
    this.timerArmed = true;
    nativeSetTimeout!(() => {
      this.timerArmed = false;
      try {
        if (!this.hookReadInFlight) this.readDue();
      } catch {
        // never into page code
      }
    }, delay);
  }

  /** Reads, as one, the Blobs the hook must read now (in list order, up to the batch budget); re-arms for those not yet due. */
  private readDue(): void {
    const now = dateNow();
    const blobs: Blob[] = [];
    let first: Pending | null = null;
    let last: Pending | null = null;
    let bytes = 0;
    let waitingForPage: Pending | null = null;
    for (let entry = this.head; entry !== null; entry = entry.next) {
      if (entry.blob === null || entry.done || entry.pageIsReading || entry.hookReading) continue;
      if (entry.arrived !== 0 && now - entry.arrived < this.pageReadWaitMs) {
        waitingForPage ??= entry;
        continue;
      }
      if (first !== null && bytes + entry.size > MAX_BATCH_BYTES) break;
      entry.hookReading = true;
      stopAwaitingPageRead(entry.blob);
      blobs[blobs.length] = entry.blob;
      bytes += entry.size;
      first ??= entry;
      last = entry;
    }
    if (waitingForPage !== null) this.armTimer(this.pageReadWaitMs - (now - waitingForPage.arrived) + 1);
    if (first === null || last === null) return;
    const joined = blobs.length === 1 ? blobs[0] : joinBlobs(blobs);
    let read: Promise<ArrayBuffer> | null = null;
    try {
      if (joined !== null) read = readBlob(joined);
    } catch {
      read = null;
    }
    if (read === null) {
      this.fromHook(first, last, null);
      return;
    }
    this.hookReadInFlight = true;
    const done = (buffer: ArrayBuffer | null): void => {
      this.hookReadInFlight = false;
      try {
        this.fromHook(first, last, buffer);
        if (this.head !== null) this.readDue();
      } catch {
        // never a rejection the page would see as unhandled
      }
    };
    void promiseThen(read, done, () => done(null));
  }

  /** The hook's read of the entries first..last marked hookReading ended: each gets its slice of `buffer` (null: lost). */
  private fromHook(first: Pending, last: Pending, buffer: ArrayBuffer | null): void {
    const length = buffer === null ? 0 : arrayBufferLength(buffer);
    let at = 0;
    for (let entry: Pending | null = first; entry !== null; entry = entry === last ? null : entry.next) {
      if (!entry.hookReading) continue;
      entry.hookReading = false;
      const blob = entry.blob;
      entry.blob = null;
      if (blob === null || entry.done) {
        at += entry.size;
        continue;
      }
      if (buffer === null || at + entry.size > length) entry.done = true;
      else if (!this.ordered) {
        entry.done = true;
        this.handleSafely(new NativeUint8Array(buffer, at, entry.size), entry.offset);
      } else entry.bytes = new NativeUint8Array(buffer, at, entry.size);
      at += entry.size;
    }
    this.drain();
  }

  private handleSafely(bytes: Uint8Array, offset: number): void {
    try {
      this.handle(bytes, offset);
    } catch {
      // an observation failure must not stall the stream
    }
  }
}
