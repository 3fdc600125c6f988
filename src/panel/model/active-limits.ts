// "Active limits": each method a wait-type error still blocks, and until when. A method
// blocked twice is blocked until the later retry time.

import type { ErrorRecord } from '../../core/record.ts';
import { retryMsOf } from './record-facts.ts';

export interface ActiveLimit {
  /** The method, or the error type when the method is unknown. */
  label: string;
  method: string | null;
  retryAt: number;
  /** When the error that set this limit was captured (for the progress bar). */
  since: number;
  recordId: number;
  /** True for a limit that ended less than `keepEndedMs` ago: shown as ended, then dropped. */
  ended: boolean;
}

/** The records that carry a retry time, in log order: the only ones limits are built from. */
export function waitRecords(records: readonly ErrorRecord[]): ErrorRecord[] {
  return records.filter((r) => r.action.retryAt !== undefined && !Number.isNaN(retryMsOf(r)));
}

export function activeLimits(waits: readonly ErrorRecord[], now: number, keepEndedMs = 5000): ActiveLimit[] {
  const byLabel = new Map<string, ActiveLimit>();
  for (const r of waits) {
    const retryAt = retryMsOf(r);
    if (retryAt <= now - keepEndedMs) continue;
    const label = r.method ?? `${r.type ?? r.message} (method unknown)`;
    const known = byLabel.get(label);
    if (known === undefined || retryAt > known.retryAt) {
      byLabel.set(label, { label, method: r.method, retryAt, since: Date.parse(r.capturedAt), recordId: r.id, ended: retryAt <= now });
    }
  }
  // Running limits first, the soonest to end first; ended ones after them.
  return [...byLabel.values()].sort((a, b) => Number(a.ended) - Number(b.ended) || a.retryAt - b.retryAt);
}

/** True while some wait has not ended yet (the shared clock only ticks then). */
export function hasRunningWait(waits: readonly ErrorRecord[], now: number, keepEndedMs = 0): boolean {
  for (let i = waits.length - 1; i >= 0; i--) if (retryMsOf(waits[i]) > now - keepEndedMs) return true;
  return false;
}
