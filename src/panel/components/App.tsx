import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { PortLike } from '../../platform/extension-api.ts';
import { buildExportFile, exportFileName } from '../../core/export-format.ts';
import { LogConnection } from '../log-connection.ts';
import { applyLogMessage, initialLogState, type LogState } from '../log-model.ts';
import { countByBucket, filterByBuckets, type CodeBucket } from '../filters.ts';
import { NowContext, useTicker } from '../now-context.ts';
import { Toolbar } from './Toolbar.tsx';
import { ErrorTable } from './ErrorTable.tsx';
import { DetailPane } from './DetailPane.tsx';
import { EmptyState } from './EmptyState.tsx';

export interface AppProps {
  tabId: number;
  connect: (name: string) => PortLike;
  /** Saves a file for the user (a plain download). */
  saveFile: (name: string, text: string) => void;
}

export function App({ tabId, connect, saveFile }: AppProps) {
  const [log, setLog] = useState<LogState>(initialLogState);
  const [connected, setConnected] = useState(false);
  const [buckets, setBuckets] = useState<ReadonlySet<CodeBucket>>(new Set());
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const connection = useRef<LogConnection | null>(null);

  useEffect(() => {
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

  const counts = useMemo(() => countByBucket(log.records), [log.records]);
  const shown = useMemo(() => filterByBuckets(log.records, buckets), [log.records, buckets]);
  const selected = selectedId === null ? null : (shown.find((r) => r.id === selectedId) ?? null);

  const hasRunningWait = useMemo(() => {
    const now = Date.now();
    return log.records.some((r) => r.action.retryAt !== undefined && Date.parse(r.action.retryAt) > now);
  }, [log.records]);
  const now = useTicker(hasRunningWait);

  const toggleBucket = (bucket: CodeBucket) =>
    setBuckets((current) => {
      const next = new Set(current);
      if (next.has(bucket)) next.delete(bucket);
      else next.add(bucket);
      return next;
    });

  const exportShown = () => {
    const at = new Date();
    saveFile(exportFileName(at), JSON.stringify(buildExportFile(shown, log.pageUrl, at), null, 2));
  };

  return (
    <NowContext.Provider value={now}>
      <div class="app">
        <Toolbar
          counts={counts}
          selected={buckets}
          onToggle={toggleBucket}
          onClear={() => connection.current?.send({ type: 'clear' })}
          onExport={exportShown}
          total={log.records.length}
          shown={shown.length}
        />
        <div class="main">
          {log.records.length === 0 ? (
            <EmptyState loaded={log.loaded} connected={connected} />
          ) : (
            <ErrorTable records={shown} selectedId={selectedId} onSelect={setSelectedId} />
          )}
          {selected ? <DetailPane record={selected} onClose={() => setSelectedId(null)} /> : null}
        </div>
        {log.stats.droppedOldest > 0 ? (
          <div class="status-bar">{log.stats.droppedOldest} older errors were dropped (log cap reached)</div>
        ) : null}
      </div>
    </NowContext.Provider>
  );
}
