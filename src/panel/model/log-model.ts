// The panel's view of one tab's log, updated only from background messages.
// Pure: no DOM, no extension API, so it is tested directly.

import type { ErrorRecord } from '../../core/record.ts';
import type {
  BackgroundToPanel,
  KeysMessage,
  NavigationMarker,
  OlderMessage,
  SightingsMessage,
  StoredLogPart,
  TabSettings,
  TabStats,
  VerdictsMessage,
  WorkerCaptureMessage,
} from '../../shared/messages.ts';
import { lowerBoundById } from './lower-bound.ts';
import type { CallRecord } from '../../core/calls/call.ts';
import { mergeCalls } from './call-merge.ts';

/** The background's default per-tab cap, assumed when its settings do not name one. */
export const DEFAULT_MAX_RECORDS = 5000;

export interface LogState {
  records: ErrorRecord[];
  stats: TabStats;
  pageUrl: string | null;
  settings: TabSettings;
  markers: NavigationMarker[];
  /** False until the first snapshot arrives (the panel shows "connecting"). */
  loaded: boolean;
  /** The session keys of the tab's origin, as ids (null until the background says). */
  keys: KeysMessage | null;
  /** The tab's "Capture inside workers" switch and what it sees (null until the background says). */
  workerCapture?: WorkerCaptureMessage | null;
  /** The tab's call log, by id (src/core/calls/); absent until the background sends it. */
  calls?: CallRecord[];
  /** Calls the tab's ring dropped. */
  callsDropped?: number;
  /** The snapshot's older records, still to be read (from the log's database, or sent as `older` messages). */
  older?: StoredLogPart | null;
  /** Verdicts and sightings seen while `older` is pending: applied again to the older records when they come. */
  heldUpdates?: (VerdictsMessage | SightingsMessage)[];
}

/** Updates held while older records load; beyond this many the oldest go (a panel loads in about a second). */
const MAX_HELD_UPDATES = 10_000;

export const initialLogState: LogState = {
  records: [],
  stats: { droppedOldest: 0, dropped: {}, diagnostics: 0 },
  pageUrl: null,
  settings: { recording: true, preserveLog: false, maxRecords: DEFAULT_MAX_RECORDS },
  markers: [],
  loaded: false,
  keys: null,
};

export function applyLogMessage(state: LogState, message: BackgroundToPanel): LogState {
  switch (message.type) {
    case 'snapshot':
      return {
        ...state,
        records: message.records,
        stats: message.stats,
        pageUrl: message.pageUrl,
        settings: message.settings,
        markers: message.markers,
        loaded: true,
        older: message.stored ?? null,
        heldUpdates: [],
      };
    case 'older':
      return applyOlder(state, message);
    case 'append': {
      // After a reconnect the snapshot already holds these; skip ids we have.
      const lastId = state.records.at(-1)?.id ?? 0;
      const fresh = message.records.filter((r) => r.id > lastId);
      if (fresh.length === 0) return { ...state, stats: message.stats };
      let records = state.records.concat(fresh);
      // The background drops its oldest beyond the cap; the panel's copy follows it.
      const cap = state.settings.maxRecords ?? DEFAULT_MAX_RECORDS;
      if (records.length > cap) records = records.slice(records.length - cap);
      return { ...state, records, stats: message.stats };
    }
    case 'calls':
      return { ...state, calls: message.reset ? message.calls : mergeCalls(state.calls ?? [], message.calls), callsDropped: message.dropped };
    case 'cleared':
      return {
        ...state,
        older: null,
        heldUpdates: [],
        records: [],
        calls: [],
        callsDropped: 0,
        markers: [],
        stats: { droppedOldest: 0, dropped: {}, diagnostics: 0 },
        pageUrl: message.navigatedTo ?? state.pageUrl,
      };
    case 'settings':
      return { ...state, settings: message.settings };
    case 'navigated':
      return { ...state, markers: [...state.markers, message.marker], pageUrl: message.marker.url };
    case 'keys':
      return { ...state, keys: message };
    case 'verdicts':
      return { ...holdWhileOlderLoads(state, message), records: applyVerdicts(state.records, message.updates) };
    case 'worker-capture':
      return { ...state, workerCapture: message };
    case 'sightings':
      return { ...holdWhileOlderLoads(state, message), records: applySightings(state.records, message.updates) };
  }
}

/** The state with an update held for the older records still loading (they may be read as they were before it). */
function holdWhileOlderLoads(state: LogState, message: VerdictsMessage | SightingsMessage): LogState {
  if (!state.older) return state;
  const held = (state.heldUpdates ?? []).concat(message);
  return { ...state, heldUpdates: held.length > MAX_HELD_UPDATES ? held.slice(held.length - MAX_HELD_UPDATES) : held };
}

/**
 * Older records of the pending snapshot put in their place (before the records already there,
 * which they precede by id; ids already held are skipped), the updates held meanwhile applied
 * to them, and the cap kept. A message for another snapshot (the log was cleared or sent again
 * since) is ignored.
 */
function applyOlder(state: LogState, message: OlderMessage): LogState {
  const part = state.older;
  if (!part || part.beforeId !== message.beforeId) return state;
  let records = state.records;
  const first = message.records[0];
  if (first !== undefined) {
    const at = lowerBoundById(records, first.id);
    const above = records[at]?.id ?? Number.POSITIVE_INFINITY;
    const below = at > 0 ? records[at - 1].id : Number.NEGATIVE_INFINITY;
    const limit = Math.min(above, part.beforeId);
    const fresh = message.records.filter((r) => r.id > below && r.id < limit);
    if (fresh.length > 0) {
      records = at === 0 ? fresh.concat(records) : records.slice(0, at).concat(fresh, records.slice(at));
      for (const update of state.heldUpdates ?? []) {
        records = update.type === 'verdicts' ? applyVerdicts(records, update.updates) : applySightings(records, update.updates);
      }
      const cap = state.settings.maxRecords ?? DEFAULT_MAX_RECORDS;
      if (records.length > cap) records = records.slice(records.length - cap);
    }
  }
  return message.done ? { ...state, records, older: null, heldUpdates: [] } : { ...state, records };
}

/**
 * The records with the verdicts replaced (new objects for those that changed, so rows that
 * show them render again); the same array when none of the ids is in the log.
 */
export function applyVerdicts(records: ErrorRecord[], updates: VerdictsMessage['updates']): ErrorRecord[] {
  let out: ErrorRecord[] | null = null;
  for (const { id, handling } of updates) {
    const at = lowerBoundById(records, id);
    if (records[at]?.id !== id) continue;
    out ??= records.slice();
    out[at] = { ...out[at], handling };
  }
  return out ?? records;
}

/** The records with a second sighting added (new objects for those that changed). */
export function applySightings(records: ErrorRecord[], updates: SightingsMessage['updates']): ErrorRecord[] {
  let out: ErrorRecord[] | null = null;
  for (const { id, reachedPage } of updates) {
    const at = lowerBoundById(records, id);
    if (records[at]?.id !== id) continue;
    out ??= records.slice();
    out[at] = { ...out[at], reachedPage };
  }
  return out ?? records;
}
