// Compact notes of the calls the hook names outside the MTProto wire, for the call log (issue 21):
// JSON requests (TL-JSON, TDLib, Bot API over fetch, XHR, WebSocket text) and calls at the worker
// boundary (Web K invokes, Web A callMethod, mtcute invoke), and their answers. Per call one
// note when it is sent (its method and pairing key) and one when its answer comes (the key and
// whether the hook reported that answer as a possible error); never a body, never parameters.
// Notes are batched per channel (one capture per CALL_NOTE_BATCH notes, or CALL_NOTE_FLUSH_MS
// after the first of a batch), and bounded: past CALL_NOTES_PER_SECOND in a second they are
// dropped and the drops counted in the next batch. Per note: a clock read and one short string.
//
// Batch text: lines joined by '\n', each `<q|k|e|u>\t<conn>\t<key>\t<ms before the batch>[\t<method>]`
// (q: a call sent, with its method; k: answered, not reported; e: answered with a reported
// capture: the error record settles it; u: no answer will come, the request failed or was
// aborted); a first line `d\t<count>` says how many were dropped.

import { charCodeAt, dateNow, nativeSetTimeout } from './natives.ts';

export const CALL_NOTE_BATCH = 256;
export const CALL_NOTE_FLUSH_MS = 1000;
export const CALL_NOTES_PER_SECOND = 1000;
/** Longest key or conn noted; longer ones (and ones holding tabs or newlines) are not noted. */
export const CALL_NOTE_KEY_CHARS = 64;

export type CallNoteKind = 'q' | 'k' | 'e' | 'u';

const TAB = 9;
const NEWLINE = 10;

function plain(text: string): boolean {
  if (text.length === 0 || text.length > CALL_NOTE_KEY_CHARS) return false;
  for (let i = 0; i < text.length; i++) {
    const c = charCodeAt(text, i);
    if (c === TAB || c === NEWLINE || c === 13) return false;
  }
  return true;
}

const pageSetTimeout = nativeSetTimeout;
const pageSchedule = pageSetTimeout ? (fn: () => void, ms: number) => void pageSetTimeout(fn, ms) : undefined;

interface Batch {
  /** `kind\tconn\tkey` per note. */
  heads: string[];
  /** The method of a `q` note, else ''. */
  methods: string[];
  times: number[];
  count: number;
}

/**
 * Page code may have replaced Array and Map methods: batches live in plain arrays written by
 * index, one per channel in a null-prototype record, and the text is built by concatenation.
 */
export class CallNotes<Channel extends string = string> {
  private readonly batches: Record<string, Batch | undefined> = Object.create(null) as Record<string, Batch | undefined>;
  private readonly channels: Channel[] = [];
  private timerArmed = false;
  private windowStart = -Infinity;
  private inWindow = 0;
  private dropped = 0;

  /** `emit(channel, text)`: one batch of one channel (the text above). */
  constructor(
    private readonly emit: (channel: Channel, text: string) => void,
    private readonly now: () => number = dateNow,
    private readonly perSecond = CALL_NOTES_PER_SECOND,
    private readonly schedule: ((fn: () => void, ms: number) => void) | undefined = pageSchedule,
  ) {}

  note(channel: Channel, conn: string, kind: CallNoteKind, key: string, method?: string): void {
    if (!plain(conn) || !plain(key) || (method !== undefined && !plain(method))) return;
    const at = this.now();
    if (at - this.windowStart >= 1000 || at < this.windowStart) {
      this.windowStart = at;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.perSecond) {
      this.dropped++;
      this.arm();
      return;
    }
    this.inWindow++;
    let batch = this.batches[channel];
    if (batch === undefined) {
      this.batches[channel] = batch = { heads: [], methods: [], times: [], count: 0 };
      this.channels[this.channels.length] = channel;
    }
    const i = batch.count++;
    batch.heads[i] = kind + '\t' + conn + '\t' + key;
    batch.methods[i] = method ?? '';
    batch.times[i] = at;
    if (batch.count >= CALL_NOTE_BATCH) this.flushChannel(channel, batch);
    else this.arm();
  }

  private arm(): void {
    if (this.timerArmed || this.schedule === undefined) return;
    this.timerArmed = true;
    this.schedule(() => {
      this.timerArmed = false;
      this.flush();
    }, CALL_NOTE_FLUSH_MS);
  }

  /** Sends every pending batch now (before an error is reported, so its call is logged first). */
  flush(): void {
    for (let c = 0; c < this.channels.length; c++) {
      const channel = this.channels[c];
      const batch = this.batches[channel]!;
      // Drops with no note to ride on go on their own, on the last channel that had notes.
      if (batch.count > 0 || (this.dropped > 0 && c === this.channels.length - 1)) this.flushChannel(channel, batch);
    }
  }

  private flushChannel(channel: Channel, batch: Batch): void {
    const now = this.now();
    let text = this.dropped > 0 ? 'd\t' + this.dropped : '';
    this.dropped = 0;
    for (let i = 0; i < batch.count; i++) {
      const ago = now - batch.times[i];
      const method = batch.methods[i];
      text += (text === '' ? '' : '\n') + batch.heads[i] + '\t' + (ago > 0 ? ago : 0) + (method === '' ? '' : '\t' + method);
    }
    batch.count = 0;
    if (text === '') return;
    try {
      this.emit(channel, text);
    } catch {
      // never into page code
    }
  }
}
