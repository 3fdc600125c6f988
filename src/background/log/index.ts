// The log: each tab's records in IndexedDB (tab-log-store over idb-storage, a ring that
// outlives this worker and ends with the browser session), the order a tab's work runs in
// (tab-queue: captures, clears and snapshots never overtake each other), and the open panels
// each tab's appends and verdicts stream to (panel-hub).

export { TabLogStore } from './tab-log-store.ts';
export { IdbStorage, LOG_DB_NAME, LOG_DB_STORE } from './idb-storage.ts';
export { TabQueue } from './tab-queue.ts';
export { PanelHub, tabIdFromPortName } from './panel-hub.ts';
