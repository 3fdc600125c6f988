// "Before" an error: the calls that led to it. For a FLOOD_WAIT the rate of its method that
// Telegram answered with the flood ("messages.getHistory ×43 in the densest 10 s, 112 in the
// minute"), for a 303 the calls that went to the old DC, for a 500 the earlier failures.

import type { CallRecord, ErrorBefore } from './call.ts';

export const BEFORE_WINDOW_MS = 60_000;
export const DENSEST_SPAN_MS = 10_000;

/**
 * The most of `times` (ascending epoch ms) inside any span [s, s + spanMs): two pointers, so
 * linear. The densest span always starts at one of the times.
 */
export function maxInSpan(times: readonly number[], spanMs = DENSEST_SPAN_MS): number {
  let best = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while (times[to] - times[from] >= spanMs) from++;
    best = Math.max(best, to - from + 1);
  }
  return best;
}

/** Where the densest span of `times` starts (the earliest such start), or null for none. */
export function densestSpanStart(times: readonly number[], spanMs = DENSEST_SPAN_MS): number | null {
  let best = 0;
  let start: number | null = null;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while (times[to] - times[from] >= spanMs) from++;
    if (to - from + 1 > best) {
      best = to - from + 1;
      start = times[from];
    }
  }
  return start;
}

/** Calls seen this much out of time order (sources with their own clocks) are still found. */
const CLOCK_SLACK_MS = 5_000;

/**
 * The calls in the window before an error at `errorAt` (epoch ms): `at` in [errorAt - window,
 * errorAt], from calls[first..]. Calls are kept in the order seen: scanned from the newest back.
 */
export function callsInWindow(calls: readonly CallRecord[], errorAt: number, windowMs = BEFORE_WINDOW_MS, first = 0): CallRecord[] {
  const out: CallRecord[] = [];
  for (let i = calls.length - 1; i >= first; i--) {
    const c = calls[i];
    if (c.at < errorAt - windowMs - CLOCK_SLACK_MS) break;
    if (c.at >= errorAt - windowMs && c.at <= errorAt) out.push(c);
  }
  return out.reverse();
}

/**
 * The export's `before` of an error of `method` at `errorAt`, from the calls seen up to it.
 * `failingCallId` is the call the error answers, not counted in `sameMethod`.
 */
export function beforeOf(calls: readonly CallRecord[], errorAt: number, method: string | null, failingCallId: number | null): ErrorBefore {
  return beforeOfWindow(callsInWindow(calls, errorAt), method, failingCallId);
}

/** `beforeOf` for the calls already cut to the window. */
export function beforeOfWindow(inWindow: readonly CallRecord[], method: string | null, failingCallId: number | null): ErrorBefore {
  const same = method === null ? [] : inWindow.filter((c) => c.method === method && c.id !== failingCallId);
  const times = same.map((c) => c.at).sort((a, b) => a - b);
  return { windowMs: BEFORE_WINDOW_MS, calls: inWindow.length, sameMethod: { count: same.length, maxPer10s: maxInSpan(times) } };
}

/** The same method's calls in the window by DC ('?' when unknown), for the detail pane. */
export function sameMethodByDc(calls: readonly CallRecord[], errorAt: number, method: string | null, failingCallId: number | null): Map<string, number> {
  const byDc = new Map<string, number>();
  for (const c of callsInWindow(calls, errorAt)) {
    if (c.method !== method || c.id === failingCallId) continue;
    const key = c.dc === null ? '?' : String(c.dc);
    byDc.set(key, (byDc.get(key) ?? 0) + 1);
  }
  return byDc;
}
