// Compact notes of the answers that succeeded on an encrypted connection, for the call log's
// `ok` (issue 21): triage already decrypted each answer's first body bytes, which name the
// rpc_result's req_msg_id; those 8 bytes, and when the answer came, are collected here and sent in
// batches (one capture per ANSWER_BATCH answers, or ANSWER_FLUSH_MS after the first of a batch),
// never the bodies. A capture costs the content script a validation and a message, so batches
// are large: that cost stays far below a microsecond an answer. Per answer: a clock read and
// twelve byte stores into a buffer allocated once per connection.

import { toHex } from '../../core/mtproto/bytes.ts';
import { dateNow, NativeUint8Array, nativeSetTimeout } from '../common/natives.ts';

export const ANSWER_BATCH = 512;
export const ANSWER_FLUSH_MS = 1000;
/** Bytes per answer: req_msg_id (8, big-endian) and how many ms before the note it came (4). */
export const ANSWER_NOTE_BYTES = 12;

export class AnswerNotes {
  private buffer: Uint8Array | null = null;
  private count = 0;
  private timerArmed = false;
  /** Epoch ms of each noted answer, to send as the time before the note (the durations stay exact). */
  private readonly times: number[] = [];

  /** `emit`: per answer 24 hex digits: its req_msg_id (16, big-endian) and the ms from it to `now` (8, big-endian). */
  constructor(
    private readonly emit: (hex: string, now: number) => void,
    private readonly now: () => number = dateNow,
  ) {}

  note(lo: number, hi: number): void {
    const b = (this.buffer ??= new NativeUint8Array(ANSWER_NOTE_BYTES * ANSWER_BATCH));
    this.times[this.count] = this.now();
    const at = ANSWER_NOTE_BYTES * this.count++;
    b[at] = hi >>> 24;
    b[at + 1] = hi >>> 16;
    b[at + 2] = hi >>> 8;
    b[at + 3] = hi;
    b[at + 4] = lo >>> 24;
    b[at + 5] = lo >>> 16;
    b[at + 6] = lo >>> 8;
    b[at + 7] = lo;
    if (this.count === ANSWER_BATCH) this.flush();
    else if (!this.timerArmed && nativeSetTimeout) {
      this.timerArmed = true;
      nativeSetTimeout(() => {
        this.timerArmed = false;
        this.flush();
      }, ANSWER_FLUSH_MS);
    }
  }

  flush(): void {
    if (this.count === 0 || this.buffer === null) return;
    const b = this.buffer;
    const now = this.now();
    for (let i = 0; i < this.count; i++) {
      const ago = Math.min(0xffffffff, Math.max(0, now - this.times[i])) >>> 0;
      const at = ANSWER_NOTE_BYTES * i + 8;
      b[at] = ago >>> 24;
      b[at + 1] = ago >>> 16;
      b[at + 2] = ago >>> 8;
      b[at + 3] = ago;
    }
    const hex = toHex(b, 0, ANSWER_NOTE_BYTES * this.count);
    this.count = 0;
    try {
      this.emit(hex, now);
    } catch {
      // never into page code
    }
  }
}
