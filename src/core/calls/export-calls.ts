// The export file's `calls` array and `before` of each error record: written from the log,
// read back (validated) on import.

import { isoFromEpochMs } from '../iso-time.ts';
import { CALL_OUTCOMES, type CallOutcome, type CallRecord, type ErrorBefore, type ExportedCall } from './call.ts';
import type { Channel } from '../record.ts';

const CHANNELS: readonly Channel[] = ['fetch', 'xhr', 'websocket', 'eventsource', 'worker', 'import'];

export function exportCall(call: CallRecord): ExportedCall {
  return {
    id: call.id,
    at: isoFromEpochMs(call.at) ?? new Date(0).toISOString(),
    method: call.method,
    dc: call.dc,
    channel: call.channel,
    outcome: call.outcome,
    durationMs: call.outcome === 'ok' || call.outcome === 'error' ? call.durationMs : null,
    recordId: call.outcome === 'error' ? call.recordId : null,
  };
}

/** Calls in time order (ties by id), as the export writes them. */
export function exportCalls(calls: readonly CallRecord[]): ExportedCall[] {
  return [...calls].sort((a, b) => a.at - b.at || a.id - b.id).map(exportCall);
}

const nullableInt = (v: unknown): v is number | null => v === null || Number.isSafeInteger(v);

/** A call read from a file, or null when it is not one (the import counts those). */
export function importCall(value: unknown): CallRecord | null {
  if (typeof value !== 'object' || value === null) return null;
  const c = value as Record<string, unknown>;
  const at = typeof c.at === 'string' ? Date.parse(c.at) : NaN;
  if (!Number.isSafeInteger(c.id) || !Number.isFinite(at)) return null;
  if (!(c.method === null || (typeof c.method === 'string' && c.method.length <= 256))) return null;
  if (!nullableInt(c.dc) || !nullableInt(c.recordId)) return null;
  if (!(c.durationMs === null || (typeof c.durationMs === 'number' && Number.isFinite(c.durationMs) && c.durationMs >= 0))) return null;
  if (!CHANNELS.includes(c.channel as Channel) || !CALL_OUTCOMES.includes(c.outcome as CallOutcome)) return null;
  return {
    id: c.id as number,
    at,
    method: c.method as string | null,
    dc: c.dc as number | null,
    channel: c.channel as Channel,
    outcome: c.outcome as CallOutcome,
    durationMs: c.durationMs as number | null,
    recordId: c.recordId as number | null,
  };
}

/** An error record's `before` read from a file, or undefined when absent or malformed. */
export function importBefore(value: unknown): ErrorBefore | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const b = value as Record<string, unknown>;
  const same = b.sameMethod as Record<string, unknown> | null | undefined;
  const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!count(b.windowMs) || !count(b.calls) || typeof same !== 'object' || same === null || !count(same.count) || !count(same.maxPer10s)) return undefined;
  return { windowMs: b.windowMs as number, calls: b.calls as number, sameMethod: { count: same.count as number, maxPer10s: same.maxPer10s as number } };
}
