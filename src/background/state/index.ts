// State that outlives the service worker: per tab, a snapshot of the handling audit, the request
// pairing and the sightings merge window in the log's IndexedDB (written on a timer at a bounded
// cost, restored when the tab is next touched), and the fingerprint salt in storage.session.

export { TabStateSnapshots, type TabState } from './tab-state-snapshots.ts';
