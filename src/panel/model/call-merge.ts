// Folds a 'calls' message into the panel's copy of the call log: calls new to it are appended
// (ids increase), calls it has are replaced (their outcome changed). The result is a new array
// only when something changed; it is kept to the background's capacity.

import type { CallRecord } from '../../core/calls/call.ts';
import { DEFAULT_CALL_CAPACITY } from '../../core/calls/call-log.ts';

function indexOfId(calls: readonly CallRecord[], id: number): number {
  let lo = 0;
  let hi = calls.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = calls[mid].id;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

export function mergeCalls(calls: readonly CallRecord[], changes: readonly CallRecord[], capacity = DEFAULT_CALL_CAPACITY): CallRecord[] {
  if (changes.length === 0) return calls as CallRecord[];
  const out = calls.slice();
  const fresh: CallRecord[] = [];
  for (const c of changes) {
    const at = indexOfId(out, c.id);
    if (at >= 0) out[at] = c;
    else fresh.push(c);
  }
  if (fresh.length > 0) {
    fresh.sort((a, b) => a.id - b.id);
    const last = out.at(-1)?.id ?? 0;
    if (fresh[0].id > last) out.push(...fresh);
    else {
      out.push(...fresh);
      out.sort((a, b) => a.id - b.id);
    }
  }
  return out.length > capacity ? out.slice(out.length - capacity) : out;
}
