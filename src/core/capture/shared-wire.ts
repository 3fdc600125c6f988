// A SharedWorker serves every tab of its origin: with "Capture inside workers" on in several of
// them, its socket is read once and each capture goes to every such tab, which decodes its own
// copy (its own request pairing and handling audit). Each copy is stored at once, marked
// `sharedWorker`: the handling audit takes events in the order they happened, and an error held
// back would miss the requests that followed it (a 303's repeat comes within milliseconds).
//
// Whose error it is, the page boundary tells: the worker's client passes an answer only to the
// tab whose call it answers (Web K's tasks, a GramJS worker's port). When that sighting comes,
// in either order within the sighting window, the copy in that tab takes it as `reachedPage`
// (SightingMerger's rule) and the copies in the other tabs are removed, or never stored. Without
// such a sighting (errors the worker handles itself: migrations, flood waits, retried 500s)
// every tab keeps its copy. Pure: the caller supplies the clock and the removal.

import type { NewRecord } from './decode-capture.ts';
import type { ErrorRecord } from '../record.ts';
import { SIGHTING_WINDOW_MS, type SightingMerger, type SightingUpdate } from './sightings.ts';

/** A capture of a SharedWorker's socket as one tab got it: its key (equal in every tab) and the tabs it went to. */
export interface SharedCopy {
  key: string;
  tabs: readonly number[];
}

interface Entry {
  tabs: number[];
  /** The tab whose call the error answered, once a page boundary told. */
  owner: number | null;
  /** Record id of the copy stored in each tab. */
  stored: Map<number, number>;
  at: number;
}

export class SharedWireCopies {
  private readonly entries = new Map<string, Entry>();
  private readonly byRecord = new Map<string, string>();
  /** Per tab, the keys of the records wireRecords last returned (rememberWire gets them stored, in order). */
  private readonly pending = new Map<number, (string | null)[]>();

  constructor(
    private readonly clock: { now(): number },
    private readonly merger: SightingMerger,
    /** Copies stored in a tab whose call the error did not answer: the caller removes them. */
    private readonly remove: (tabId: number, ids: number[]) => void,
    private readonly windowMs = SIGHTING_WINDOW_MS,
  ) {}

  /** Wire records about to be stored in `tabId`; `copy` when they came from a SharedWorker. Returns those to store. */
  wireRecords(tabId: number, records: NewRecord[], copy?: SharedCopy): NewRecord[] {
    if (!copy || copy.tabs.length < 2) {
      this.pending.delete(tabId);
      return this.merger.wireRecords(tabId, records);
    }
    this.prune();
    const out: NewRecord[] = [];
    const keys: string[] = [];
    records.forEach((record, i) => {
      const key = `${copy.key}#${i}`;
      let entry = this.entries.get(key);
      if (!entry) this.entries.set(key, (entry = { tabs: [...copy.tabs], owner: null, stored: new Map(), at: this.clock.now() }));
      if (entry.owner === null) {
        // Another tab's page already saw it: that tab's copy will take the sighting.
        const holder = entry.tabs.find((t) => t !== tabId && this.merger.holds(t, record));
        if (holder !== undefined) this.own(entry, holder);
      }
      if (entry.owner !== null && entry.owner !== tabId) return;
      const [merged] = this.merger.wireRecords(tabId, [record]);
      if (merged.reachedPage !== undefined) this.own(entry, tabId);
      out.push({ ...merged, sharedWorker: { tabs: entry.tabs.length } });
      keys.push(key);
    });
    this.pending.set(tabId, keys);
    return out;
  }

  /** The records wireRecords returned, as stored (with ids, in the same order). */
  rememberWire(tabId: number, stored: readonly ErrorRecord[]): void {
    const keys = this.pending.get(tabId) ?? [];
    this.pending.delete(tabId);
    const plain: ErrorRecord[] = [];
    stored.forEach((record, i) => {
      const key = keys[i];
      const entry = key ? this.entries.get(key) : undefined;
      if (!entry) return void plain.push(record);
      // Told while this copy was being stored: it is another tab's.
      if (entry.owner !== null && entry.owner !== tabId) return this.remove(tabId, [record.id]);
      entry.stored.set(tabId, record.id);
      this.byRecord.set(`${tabId}:${record.id}`, key!);
      plain.push(record);
    });
    this.merger.rememberWire(tabId, plain);
  }

  /** Page-hook records of `tabId` (SightingMerger.pageRecords); a sighting that joins a shared copy names its tab. */
  pageRecords(tabId: number, records: NewRecord[]): { store: NewRecord[]; updates: SightingUpdate[] } {
    const result = this.merger.pageRecords(tabId, records);
    for (const update of result.updates) {
      const key = this.byRecord.get(`${tabId}:${update.id}`);
      const entry = key ? this.entries.get(key) : undefined;
      if (entry && entry.owner === null) this.own(entry, tabId);
    }
    return result;
  }

  /** The tab turned its switch off or closed. */
  forget(tabId: number): void {
    this.pending.delete(tabId);
    for (const entry of this.entries.values()) {
      entry.stored.delete(tabId);
      if (entry.owner === tabId) entry.owner = null;
    }
    for (const k of [...this.byRecord.keys()]) if (k.startsWith(`${tabId}:`)) this.byRecord.delete(k);
  }

  private own(entry: Entry, tabId: number): void {
    entry.owner = tabId;
    for (const [t, id] of entry.stored) {
      if (t === tabId) continue;
      entry.stored.delete(t);
      this.byRecord.delete(`${t}:${id}`);
      this.merger.forgetWire(t, id);
      this.remove(t, [id]);
    }
  }

  /** Entries outlive the window twice over (a copy may reach a busy tab late), then go. */
  private prune(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.at <= 2 * this.windowMs) break;
      this.entries.delete(key);
      for (const [t, id] of entry.stored) this.byRecord.delete(`${t}:${id}`);
    }
  }
}
