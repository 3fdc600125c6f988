// The panel's view of one tab's log, updated only from background messages.
// Pure: no DOM, no extension API, so it is tested directly.

import type { ErrorRecord } from '../../core/record.ts';
import type { BackgroundToPanel, KeysMessage, NavigationMarker, TabSettings, TabStats } from '../../shared/messages.ts';

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
      return { ...state, records: message.records, stats: message.stats, pageUrl: message.pageUrl, settings: message.settings, markers: message.markers, loaded: true };
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
    case 'cleared':
      return { ...state, records: [], markers: [], stats: { droppedOldest: 0, dropped: {}, diagnostics: 0 }, pageUrl: message.navigatedTo ?? state.pageUrl };
    case 'settings':
      return { ...state, settings: message.settings };
    case 'navigated':
      return { ...state, markers: [...state.markers, message.marker], pageUrl: message.marker.url };
    case 'keys':
      return { ...state, keys: message };
  }
}
