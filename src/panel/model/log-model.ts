// The panel's view of one tab's log, updated only from background messages.
// Pure: no DOM, no extension API, so it is tested directly.

import type { ErrorRecord } from '../../core/record.ts';
import type {
  BackgroundToPanel,
  KeysMessage,
  NavigationMarker,
  SightingsMessage,
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
}

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
      };
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
      return { ...state, records: applyVerdicts(state.records, message.updates) };
    case 'worker-capture':
      return { ...state, workerCapture: message };
    case 'sightings':
      return { ...state, records: applySightings(state.records, message.updates) };
  }
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
