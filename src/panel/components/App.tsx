import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PortLike } from '../../platform/extension-api.ts';
import type { ErrorRecord } from '../../core/record.ts';
import type { CallRecord } from '../../core/calls/call.ts';
import { buildExportFile, exportFileName } from '../../core/export-format.ts';
import type { TabSettings } from '../../shared/messages.ts';
import { LogConnection } from '../browser/log-connection.ts';
import type { StoredLogReader } from '../browser/stored-log-reader.ts';
import { applyLogMessage, initialLogState, type LogState } from '../model/log-model.ts';
import { dropSummary } from '../model/drop-summary.ts';
import { NO_FILTER, type TimelineFilter } from '../model/filters.ts';
import { RecordIndex } from '../model/record-index.ts';
import { lowerBoundById } from '../model/lower-bound.ts';
import { loadFilter, pageSessionStore, saveFilter, type KeyValueStore } from '../browser/filter-memory.ts';
import { buildSummary, type Summary } from '../model/summary.ts';
import type { ImportedLog } from '../files/import-file.ts';
import { mark, MARK_IMPORT_PARSED } from '../browser/perf-marks.ts';
import { copyText as defaultCopyText } from '../browser/copy-text.ts';
import { plural } from '../model/format.ts';
import { ClockProvider } from './timeline/ClockProvider.tsx';
import { Toolbar } from './bars/Toolbar.tsx';
import { FilterBar } from './bars/FilterBar.tsx';
import { Overview } from './bars/Overview.tsx';
import { ActiveLimits } from './bars/ActiveLimits.tsx';
import { ErrorTable } from './timeline/ErrorTable.tsx';
import { SessionKeysDialog } from './dialogs/SessionKeysDialog.tsx';
import { EncryptedNotice } from './bars/EncryptedNotice.tsx';
import { WorkerCaptureBar, workerCaptureUnavailable } from './bars/WorkerCaptureBar.tsx';
import { DetailPane } from './detail/DetailPane.tsx';
import { EmptyState } from './timeline/EmptyState.tsx';
import { SiteBanner, type SiteDeps } from './bars/SiteBanner.tsx';
import { CallsView } from './calls/CallsView.tsx';
import { NO_CALL_FILTER, type CallFilter } from '../model/call-view.ts';
import { formatTime } from '../model/format.ts';

const NO_CALLS: CallRecord[] = [];

export interface AppProps {
  tabId: number;
  connect: (name: string) => PortLike;
  /** Saves a file for the user (a plain download). */
  saveFile: (name: string, text: string) => void;
  copyText?: (text: string) => Promise<boolean>;
  /** Where filters are kept while DevTools stays open; null keeps them in memory only. */
  filterStore?: KeyValueStore | null;
  /** What the browser and the build offer (extension-api's `capabilities`); Chrome's full build's when not given. */
  capabilities?: { debugger: boolean; debuggerPermission: boolean; browserName: string };
  /** Whether the inspected site is enabled, and enabling it (absent in tests that do not need it). */
  site?: SiteDeps;
  /** Reads a snapshot's older records from the log's database (stored-log-reader.ts); without it they come over the port. */
  readStored?: StoredLogReader | null;
}

/** Ticks once a second while "waiting now" filters, so ended waits leave the view. */
function useFilterClock(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return active ? now : 0;
}

/**
 * The overview is built just after the timeline is painted, and at most once per burst of
 * appends: it is a full pass over the log, and the rows should not wait for it.
 */
function useDeferredSummary(records: ErrorRecord[], index: RecordIndex, enabled: boolean): Summary | null {
  const [summary, setSummary] = useState<Summary | null>(null);
  useEffect(() => {
    if (!enabled) {
      setSummary(null);
      return;
    }
    const timer = setTimeout(() => setSummary(buildSummary(records, undefined, undefined, index.capturedTimes(records))), 0);
    return () => clearTimeout(timer);
  }, [records, enabled]);
  return summary;
}

export function App({
  tabId,
  connect,
  saveFile,
  copyText = defaultCopyText,
  filterStore = pageSessionStore(),
  capabilities = { debugger: true, debuggerPermission: true, browserName: 'Chrome' },
  site,
  readStored = null,
}: AppProps) {
  const [log, setLog] = useState<LogState>(initialLogState);
  const [connected, setConnected] = useState(false);
  const [filter, setFilterState] = useState<TimelineFilter>(() => loadFilter(filterStore, tabId));
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [imported, setImported] = useState<ImportedLog | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [overviewOpen, setOverviewOpen] = useState(true);
  const [keysOpen, setKeysOpen] = useState(false);
  /** Errors (the timeline) or Calls (the call log). */
  const [view, setView] = useState<'errors' | 'calls'>('errors');
  const [callFilter, setCallFilter] = useState<CallFilter>(NO_CALL_FILTER);
  const connection = useRef<LogConnection | null>(null);
  /** Counts, menus, waits and filtering, derived from the log in one pass and kept up to date on append. */
  const index = useMemo(() => new RecordIndex(), []);
  const fileInput = useRef<HTMLInputElement>(null);
  const searchInput = useRef<HTMLInputElement>(null);
  const table = useRef<HTMLDivElement>(null);

  // Connected as soon as the panel's first render is in the document (a layout effect): a plain
  // effect waits for the next frame, which a busy DevTools window delays.
  useLayoutEffect(() => {
    const conn = new LogConnection({
      tabId,
      connect,
      onMessage: (message) => setLog((state) => applyLogMessage(state, message)),
      onStatus: setConnected,
    });
    connection.current = conn;
    conn.start();
    return () => conn.close();
  }, [tabId, connect]);

  // The snapshot's older records: read from the log's database in one go (the newest are on screen
  // already), or asked for over the port when that cannot be done.
  const older = log.older ?? null;
  useLayoutEffect(() => {
    if (!older) return;
    const { beforeId } = older;
    const overPort = () => connection.current?.send({ type: 'send-older', beforeId });
    if (!readStored) {
      overPort();
      return;
    }
    let current = true;
    readStored(older).then(
      (records) => current && setLog((state) => applyLogMessage(state, { type: 'older', beforeId, records, done: true })),
      () => current && overPort(),
    );
    return () => {
      current = false;
    };
  }, [older, readStored]);

  const setFilter = useCallback(
    (next: TimelineFilter) => {
      setFilterState(next);
      saveFilter(filterStore, tabId, next);
    },
    [filterStore, tabId],
  );
  const patchFilter = (patch: Partial<TimelineFilter>) => setFilter({ ...filter, ...patch });

  const records = imported ? imported.records : log.records;
  const calls = imported ? imported.calls : (log.calls ?? NO_CALLS);
  const markers = imported ? [] : log.markers;
  const filterNow = useFilterClock(filter.waitingNow);

  index.sync(records);
  const version = index.version;
  useEffect(() => index.warm(), [version]);

  const counts = useMemo(() => index.counts(), [version]);
  const methods = index.methodList();
  const channels = index.channelList();
  const summary = useDeferredSummary(records, index, overviewOpen);
  const shown = index.filter(filter, filterNow);

  const selected = useMemo(() => {
    if (selectedId === null) return null;
    // Ids increase along the log: a binary search, not a scan of every record on each append.
    const at = lowerBoundById(records, selectedId);
    return records[at]?.id === selectedId ? records[at] : null;
  }, [records, selectedId]);

  const select = useCallback((id: number | null) => setSelectedId(id), []);
  const open = useCallback((id: number) => {
    setSelectedId(id);
    setDetailOpen(true);
  }, []);
  const closeDetail = () => {
    setDetailOpen(false);
    table.current?.focus();
  };

  const send = (settings: Partial<TabSettings>) => connection.current?.send({ type: 'set-settings', settings });

  const exportRecords = (list: ErrorRecord[], withCalls = false) => {
    const at = new Date();
    saveFile(exportFileName(at), JSON.stringify(buildExportFile(list, imported ? imported.pageUrl : log.pageUrl, at, withCalls ? calls : undefined), null, 2));
  };

  const importFile = async (file: File) => {
    const text = await file.text();
    // Loaded on first use: a HAR is read by the whole decoder (the TL schema of every layer), which the panel's start does without.
    const { parseImportFile } = await import('../files/import-file.ts');
    const result = parseImportFile(file.name, text);
    mark(MARK_IMPORT_PARSED);
    if (result.kind === 'error') {
      setNotice({ text: result.message, error: true });
      return;
    }
    setSelectedId(null);
    setDetailOpen(false);
    setImported(result);
    setNotice(result.notes.length ? { text: result.notes.join(' '), error: false } : null);
  };

  /**
   * A record's "calls before": the Calls view, filtered to its method's calls in the window (all
   * of the window's calls for an error naming no method: its Before counts none of the same method).
   */
  const showCalls = (method: string | null, from: number, to: number) => {
    setCallFilter({
      ...NO_CALL_FILTER,
      method: method === null ? null : { name: method },
      window: { from, to, label: `the minute before the error at ${formatTime(new Date(to).toISOString())}` },
    });
    setView('calls');
  };
  const openRecordFromCall = (recordId: number) => {
    setView('errors');
    open(recordId);
  };

  const backToLive = () => {
    setImported(null);
    setSelectedId(null);
    setDetailOpen(false);
    setNotice(null);
  };

  // Ctrl/Cmd+F searches, Esc closes the detail: anywhere in the panel.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        searchInput.current?.focus();
        searchInput.current?.select();
      } else if (event.key === 'Escape' && detailOpen) {
        closeDetail();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const live = imported === null;
  const showDetail = detailOpen && selected !== null;
  const droppedOldest = live ? log.stats.droppedOldest : 0;
  const notListed = live ? dropSummary(log.stats.dropped) : null;

  return (
    <ClockProvider latestRetry={index.latestRetry()} waitsVersion={version}>
      <div
        class="app"
        onDragOver={(e) => e.preventDefault()}
        onDrop={(e) => {
          e.preventDefault();
          const file = e.dataTransfer?.files[0];
          if (file) void importFile(file);
        }}
      >
        <Toolbar
          settings={log.settings}
          live={live}
          overviewOpen={overviewOpen}
          onToggleRecording={() => send({ recording: !log.settings.recording })}
          onClear={() => connection.current?.send({ type: 'clear' })}
          onPreserveLog={(on) => send({ preserveLog: on })}
          onMaxRecords={(n) => send({ maxRecords: n })}
          onImport={() => fileInput.current?.click()}
          onExportView={() => exportRecords(shown)}
          onExportAll={() => exportRecords(records, true)}
          onToggleOverview={() => setOverviewOpen(!overviewOpen)}
          keyCount={log.keys?.keys.length ?? 0}
          onSessionKeys={() => setKeysOpen(true)}
        />
        {keysOpen ? <SessionKeysDialog keys={log.keys} onRequest={(request) => connection.current?.send(request)} onClose={() => setKeysOpen(false)} /> : null}
        {live ? (
          <WorkerCaptureBar
            state={log.workerCapture ?? null}
            unavailable={workerCaptureUnavailable(capabilities)}
            onSwitch={(on) => connection.current?.send({ type: 'worker-capture', on })}
            onReconnect={() => connection.current?.send({ type: 'worker-capture-reconnect' })}
          />
        ) : null}
        {live ? (
          <EncryptedNotice
            stats={log.stats}
            keys={log.keys}
            onReadKeys={() => connection.current?.send({ type: 'keys-read-page' })}
            onOpenKeys={() => setKeysOpen(true)}
          />
        ) : null}
        <input
          ref={fileInput}
          type="file"
          class="file-input"
          accept=".json,.har,application/json"
          aria-label="Import file"
          tabIndex={-1}
          onChange={(e) => {
            const input = e.currentTarget as HTMLInputElement;
            const file = input.files?.[0];
            if (file) void importFile(file);
            input.value = '';
          }}
        />
        <FilterBar
          filter={filter}
          counts={counts}
          methods={methods}
          channels={channels}
          index={index}
          shown={shown.length}
          total={records.length}
          searchRef={searchInput}
          onChange={setFilter}
        />
        {site ? <SiteBanner tabId={tabId} deps={site} /> : null}
        {imported ? (
          <div class="banner" role="status">
            Viewing <strong>{imported.fileName}</strong> ({imported.source === 'har' ? 'HAR' : 'export'}, {plural(imported.records.length, 'error')}) —{' '}
            <button type="button" class="link-button" onClick={backToLive}>
              Back to live
            </button>
          </div>
        ) : null}
        {notice ? (
          <div class={`banner${notice.error ? ' banner-error' : ''}`} role={notice.error ? 'alert' : 'status'}>
            {notice.text}{' '}
            <button type="button" class="link-button" onClick={() => setNotice(null)} aria-label="Dismiss message">
              ✕
            </button>
          </div>
        ) : null}
        {summary && records.length > 0 ? <Overview summary={summary} filter={filter} onFilter={patchFilter} violations={index.violationCount} /> : null}
        <ActiveLimits index={index} version={version} activeMethod={filter.method} onPickMethod={(method) => patchFilter({ method })} />
        <div class="view-tabs" role="tablist" aria-label="View">
          <button
            type="button"
            role="tab"
            id="tab-errors"
            aria-selected={view === 'errors'}
            aria-controls="view-errors"
            class={view === 'errors' ? 'view-tab on' : 'view-tab'}
            onClick={() => setView('errors')}
          >
            Errors <span class="chip-count">{records.length.toLocaleString('en-US')}</span>
          </button>
          <button
            type="button"
            role="tab"
            id="tab-calls"
            aria-selected={view === 'calls'}
            aria-controls="view-calls"
            class={view === 'calls' ? 'view-tab on' : 'view-tab'}
            onClick={() => setView('calls')}
          >
            Calls <span class="chip-count">{calls.length.toLocaleString('en-US')}</span>
          </button>
        </div>
        {view === 'calls' ? (
          <div class="main" id="view-calls" role="tabpanel" aria-labelledby="tab-calls">
            <CallsView
              calls={calls}
              dropped={live ? (log.callsDropped ?? 0) : 0}
              filter={callFilter}
              onFilter={setCallFilter}
              onOpenRecord={openRecordFromCall}
            />
          </div>
        ) : (
          <div class="main" id="view-errors" role="tabpanel" aria-labelledby="tab-errors">
            {shown.length === 0 ? (
              <EmptyState
                loaded={log.loaded || !live}
                connected={connected}
                recording={log.settings.recording}
                filteredOut={records.length > 0}
                onClearFilters={() => setFilter(NO_FILTER)}
                onResume={() => send({ recording: true })}
              />
            ) : (
              <ErrorTable records={shown} markers={markers} selectedId={selectedId} onSelect={select} onOpen={open} tableRef={table} compact={showDetail} />
            )}
            {showDetail ? (
              <DetailPane record={selected} records={records} onClose={closeDetail} onSelect={open} onCopy={copyText} calls={calls} onShowCalls={showCalls} />
            ) : null}
          </div>
        )}
        {live && (!log.settings.recording || droppedOldest > 0 || notListed !== null || (log.loaded && !connected)) ? (
          <div class="status-bar" role="status">
            {!log.settings.recording ? <span class="paused">Recording paused: new errors are not captured. </span> : null}
            {droppedOldest > 0 ? <span>{droppedOldest.toLocaleString('en-US')} older errors were dropped (log cap reached). </span> : null}
            {notListed !== null ? <span class="not-listed">Seen, not listed: {notListed}. </span> : null}
            {log.loaded && !connected ? <span>Reconnecting to the extension…</span> : null}
          </div>
        ) : null}
      </div>
    </ClockProvider>
  );
}
