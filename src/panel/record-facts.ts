// Values derived from a record that filtering, sorting and the overview read many times:
// computed once per record and cached by identity, so a keystroke in the search box costs
// one `includes` per record instead of rebuilding and lower-casing strings.

import type { ErrorRecord } from '../core/record.ts';

interface Times {
  capturedMs: number;
  /** Epoch ms of `action.retryAt`, or NaN when the record is no wait. */
  retryMs: number;
}

// Two caches: the overview needs every record's time at once, the search keys are only
// built once someone searches (or in idle slices, see warmFacts).
const searchKeys = new WeakMap<ErrorRecord, string>();
const times = new WeakMap<ErrorRecord, Times>();

/** Lower-case type, message, method and URL, joined by newlines (never inside a value). */
export function searchKeyOf(record: ErrorRecord): string {
  let key = searchKeys.get(record);
  if (key === undefined) {
    key = `${record.type ?? ''}\n${record.message}\n${record.method ?? ''}\n${record.url ?? ''}`.toLowerCase();
    searchKeys.set(record, key);
  }
  return key;
}

function timesOf(record: ErrorRecord): Times {
  let t = times.get(record);
  if (t === undefined) {
    t = {
      capturedMs: Date.parse(record.capturedAt),
      retryMs: record.action.retryAt === undefined ? Number.NaN : Date.parse(record.action.retryAt),
    };
    times.set(record, t);
  }
  return t;
}

export function capturedMsOf(record: ErrorRecord): number {
  return timesOf(record).capturedMs;
}

/** NaN for records without a wait. */
export function retryMsOf(record: ErrorRecord): number {
  return timesOf(record).retryMs;
}

/** The key the overview's "top types" and the type filter group by: FLOOD_WAIT_17 and _30 are one. */
export function typeKeyOf(record: ErrorRecord): string {
  return record.template ?? record.type ?? record.message;
}

/**
 * Builds the search keys of many records in slices between frames, so the first search after a
 * large snapshot or import does not pay for all of them at once.
 */
export function warmFacts(records: readonly ErrorRecord[], schedule: (work: () => void) => void = (w) => setTimeout(w, 0)): void {
  const SLICE = 5000;
  let index = 0;
  const step = () => {
    const end = Math.min(records.length, index + SLICE);
    for (; index < end; index++) searchKeyOf(records[index]);
    if (index < records.length) schedule(step);
  };
  schedule(step);
}
