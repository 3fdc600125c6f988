// The Calls view's logic, pure: filtering the call log (method, DC, outcome, a time window,
// search), the per-method table (as Wireshark's Service Response Time: calls, errors by class,
// p50/p95 duration, the densest 10 s, the last flood wait and the rate that led to it), and
// the minute before an error as the detail pane's chart draws it.

import type { CallOutcome, CallRecord } from '../../core/calls/call.ts';
import { BEFORE_WINDOW_MS, callsInWindow, maxInSpan } from '../../core/calls/before.ts';
import type { ErrorClass } from '../../core/record.ts';

/** One method picked by the filter: a name, or null for the calls whose method is unknown. */
export interface MethodPick {
  name: string | null;
}

export interface CallFilter {
  /** null: any method. */
  method: MethodPick | null;
  /** DC as text ('2', or '?' for unknown); null: any. */
  dc: string | null;
  outcome: CallOutcome | null;
  /** Epoch ms window [from, to] ("calls before" an error); null: all. */
  window: { from: number; to: number; label: string } | null;
  search: string;
}

export const NO_CALL_FILTER: CallFilter = { method: null, dc: null, outcome: null, window: null, search: '' };

export const methodLabel = (method: string | null) => method ?? '(unknown method)';

/** Whether the filter picked exactly this method (unknown included). */
export const isPicked = (pick: MethodPick | null, method: string | null) => pick !== null && pick.name === method;
export const dcLabel = (dc: number | null) => (dc === null ? '?' : String(dc));

export function filterCalls(calls: readonly CallRecord[], f: CallFilter): CallRecord[] {
  const search = f.search.trim().toLowerCase();
  if (f.method === null && f.dc === null && f.outcome === null && f.window === null && search === '') return calls as CallRecord[];
  return calls.filter(
    (c) =>
      (f.method === null || c.method === f.method.name) &&
      (f.dc === null || dcLabel(c.dc) === f.dc) &&
      (f.outcome === null || c.outcome === f.outcome) &&
      (f.window === null || (c.at >= f.window.from && c.at <= f.window.to)) &&
      (search === '' || methodLabel(c.method).toLowerCase().includes(search) || c.channel.includes(search) || c.outcome.includes(search)),
  );
}

export interface MethodRow {
  method: string | null;
  calls: number;
  errors: Partial<Record<ErrorClass, number>>;
  errorCount: number;
  p50: number | null;
  p95: number | null;
  /** The most calls of the method in any 10 s. */
  maxPer10s: number;
  /** The last flood wait: its seconds and the most calls of the method in a 10 s span of the minute before it. */
  lastFlood: { seconds: number | null; maxPer10s: number; at: number } | null;
}

/** The nearest-rank percentile of ascending values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function methodTable(calls: readonly CallRecord[]): MethodRow[] {
  const groups = new Map<string | null, CallRecord[]>();
  for (const c of calls) {
    let list = groups.get(c.method);
    if (!list) groups.set(c.method, (list = []));
    list.push(c);
  }
  const rows: MethodRow[] = [];
  for (const [method, list] of groups) {
    const durations = list.flatMap((c) => (c.durationMs !== null && c.outcome === 'ok' ? [c.durationMs] : [])).sort((a, b) => a - b);
    const errors: Partial<Record<ErrorClass, number>> = {};
    let errorCount = 0;
    let flood: CallRecord | null = null;
    for (const c of list) {
      if (c.outcome !== 'error') continue;
      errorCount++;
      if (c.errorClass) errors[c.errorClass] = (errors[c.errorClass] ?? 0) + 1;
      if (c.errorClass === 'FLOOD' && (flood === null || c.at >= flood.at)) flood = c;
    }
    const times = list.map((c) => c.at).sort((a, b) => a - b);
    let lastFlood: MethodRow['lastFlood'] = null;
    if (flood !== null) {
      const failing = flood;
      const before = list
        .filter((c) => c.id !== failing.id && c.at >= failing.at - BEFORE_WINDOW_MS && c.at <= failing.at)
        .map((c) => c.at)
        .sort((a, b) => a - b);
      lastFlood = { seconds: failing.waitSeconds ?? null, maxPer10s: maxInSpan(before), at: failing.at };
    }
    rows.push({
      method,
      calls: list.length,
      errors,
      errorCount,
      p50: percentile(durations, 50),
      p95: percentile(durations, 95),
      maxPer10s: maxInSpan(times),
      lastFlood,
    });
  }
  return rows.sort((a, b) => b.calls - a.calls || methodLabel(a.method).localeCompare(methodLabel(b.method)));
}

/** One second of the minute before an error: the method's calls in it, and how many failed. */
export interface BeforeBucket {
  calls: number;
  errors: number;
}

/** The error's method's calls in each of the 60 seconds before it (oldest first), failing call included. */
export function beforeBuckets(calls: readonly CallRecord[], errorAt: number, method: string | null, seconds = 60): BeforeBucket[] {
  const buckets: BeforeBucket[] = Array.from({ length: seconds }, () => ({ calls: 0, errors: 0 }));
  for (const c of callsInWindow(calls, errorAt, seconds * 1000)) {
    if (c.method !== method) continue;
    const i = Math.min(seconds - 1, Math.floor((c.at - (errorAt - seconds * 1000)) / 1000));
    if (i < 0) continue;
    buckets[i].calls++;
    if (c.outcome === 'error') buckets[i].errors++;
  }
  return buckets;
}

/** Distinct values of the filter menus. */
export function callMenus(calls: readonly CallRecord[]): { methods: (string | null)[]; dcs: string[] } {
  const methods = new Set<string | null>();
  const dcs = new Set<string>();
  for (const c of calls) {
    methods.add(c.method);
    dcs.add(dcLabel(c.dc));
  }
  return { methods: [...methods].sort((a, b) => methodLabel(a).localeCompare(methodLabel(b))), dcs: [...dcs].sort() };
}
