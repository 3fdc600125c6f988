// Each tab's call log (src/core/calls/) kept beside its error log, in the same storage
// (IndexedDB through idb-storage.ts): the calls in chunks of CALL_CHUNK by id, so a new call or
// an outcome rewrites one small chunk; a meta entry holds the next id and the drop count. Calls
// still pending when this worker stops stay answerable after it restarts (their msg_ids are kept).

import {
  ANSWER_TIMEOUT_MS,
  CallLog,
  DEFAULT_CALL_CAPACITY,
  callsOfNotes,
  callsOfRequests,
  errorSeenOf,
  type CallRecord,
  type LinkedError,
} from '../../core/calls/index.ts';
import type { DecodedCapture } from '../../core/capture/decode-capture.ts';
import type { HookCapture } from '../../core/capture/capture.ts';
import type { NewRecord } from '../../core/record.ts';
import type { SessionStorage } from '../../platform/extension-api.ts';

export const CALL_CHUNK = 1000;
const FLUSH_DELAY_MS = 50;
/** How often pending calls are checked for the timeout while a tab has any. */
export const CALL_SWEEP_MS = 5_000;

interface CallMeta {
  nextId: number;
  dropped: number;
  /** Chunk numbers stored (id / CALL_CHUNK), oldest first. */
  chunks: number[];
}

interface TabCalls {
  log: CallLog;
  chunks: Set<number>;
  dirty: Set<number>;
}

const metaKey = (tabId: number) => `calls:${tabId}:meta`;
const chunkKey = (tabId: number, chunk: number) => `calls:${tabId}:c${chunk}`;

/** What changed in one tab's call log: calls new or settled, for the tab's panels. */
export interface CallChanges {
  calls: CallRecord[];
  dropped: number;
}

export class CallStore {
  private readonly tabs = new Map<number, Promise<TabCalls>>();
  private readonly dirtyTabs = new Set<number>();
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private sweepTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly storage: SessionStorage,
    /** Calls that timed out on the sweep, per tab (the panels hear of them). */
    private readonly onSweep: (tabId: number, changes: CallChanges) => void = () => undefined,
    private readonly capacity = DEFAULT_CALL_CAPACITY,
    private readonly now: () => number = () => Date.now(),
  ) {}

  private load(tabId: number): Promise<TabCalls> {
    let tab = this.tabs.get(tabId);
    if (!tab) this.tabs.set(tabId, (tab = this.read(tabId)));
    return tab;
  }

  private async read(tabId: number): Promise<TabCalls> {
    const stored = await this.storage.get([metaKey(tabId)]).catch(() => ({}) as Record<string, unknown>);
    const meta = stored[metaKey(tabId)] as Partial<CallMeta> | undefined;
    const chunks = Array.isArray(meta?.chunks) ? meta.chunks.filter((c): c is number => Number.isSafeInteger(c)) : [];
    const data = chunks.length ? await this.storage.get(chunks.map((c) => chunkKey(tabId, c))).catch(() => ({}) as Record<string, unknown>) : {};
    const calls = chunks.flatMap((c) => (Array.isArray(data[chunkKey(tabId, c)]) ? (data[chunkKey(tabId, c)] as CallRecord[]) : []));
    return { log: CallLog.restore({ calls, nextId: meta?.nextId, dropped: meta?.dropped }, this.capacity), chunks: new Set(chunks), dirty: new Set() };
  }

  async calls(tabId: number): Promise<CallRecord[]> {
    return (await this.load(tabId)).log.calls();
  }

  async dropped(tabId: number): Promise<number> {
    return (await this.load(tabId)).log.dropped;
  }

  /**
   * The calls and successful answers of one capture, then its error records (not stored yet):
   * each record gets its `before`; `attach` gives their calls the stored ids once appended.
   */
  async see(
    tabId: number,
    capture: Pick<HookCapture, 'channel' | 'conn' | 'at'> & Partial<Pick<HookCapture, 'kind'>>,
    decoded: Pick<DecodedCapture, 'requests' | 'answers' | 'closed' | 'callNotes'>,
    records: NewRecord[],
    /** The capture was read on a worker's wire: a request may be a boundary call's twin (CallLog.adoptWireTwin). */
    fromWorkerWire = false,
  ): Promise<{ changes: CallChanges; attach: (ids: readonly number[]) => CallRecord[] }> {
    const tab = await this.load(tabId);
    const { log } = tab;
    const changed: CallRecord[] = log.expire(this.now());
    // A request sighting (kind 'request') is a call the hook also noted (callNotes): the audit's, not the log's.
    if (capture.kind !== 'request') {
      for (const call of callsOfRequests(capture, decoded.requests)) changed.push((fromWorkerWire ? log.adoptWireTwin(call) : null) ?? log.add(call));
    }
    if (decoded.callNotes) changed.push(...callsOfNotes(log, capture.channel, decoded.callNotes));
    for (const answer of decoded.answers ?? []) {
      const call = log.answered(answer.reqMsgId, answer.at);
      if (call) changed.push(call);
    }
    if (decoded.closed && capture.conn !== undefined) changed.push(...log.connectionClosed(capture.conn));
    const linked: (LinkedError | null)[] = [];
    for (const record of records) {
      const link = log.errorArrived(errorSeenOf(record));
      record.before = link.before;
      if (link.call) changed.push(link.call);
      linked.push(link);
    }
    this.changed(tabId, tab, changed);
    const attach = (ids: readonly number[]): CallRecord[] => {
      const out: CallRecord[] = [];
      ids.forEach((id, i) => {
        const call = linked[i]?.call;
        if (!call) return;
        log.attachRecord(call, id);
        out.push(call);
      });
      this.changed(tabId, tab, out);
      return out;
    };
    return { changes: { calls: unique(changed), dropped: log.dropped }, attach };
  }

  /** Settles the calls pending too long in every loaded tab (a panel connected, or the sweep). */
  async expire(tabId: number): Promise<CallChanges> {
    const tab = await this.load(tabId);
    const calls = tab.log.expire(this.now());
    this.changed(tabId, tab, calls);
    return { calls, dropped: tab.log.dropped };
  }

  private changed(tabId: number, tab: TabCalls, calls: readonly CallRecord[]): void {
    if (calls.length === 0) return;
    for (const c of calls) tab.dirty.add(Math.floor(c.id / CALL_CHUNK));
    this.dirtyTabs.add(tabId);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, FLUSH_DELAY_MS);
    this.scheduleSweep();
  }

  private scheduleSweep(): void {
    if (this.sweepTimer !== null) return;
    this.sweepTimer = setTimeout(() => void this.sweep(), CALL_SWEEP_MS);
  }

  private async sweep(): Promise<void> {
    this.sweepTimer = null;
    let pending = false;
    for (const [tabId, promise] of this.tabs) {
      const tab = await promise;
      const calls = tab.log.expire(this.now());
      if (calls.length > 0) {
        this.changed(tabId, tab, calls);
        this.onSweep(tabId, { calls, dropped: tab.log.dropped });
      }
      if (tab.log.mayHavePending) pending = true;
    }
    if (pending) this.sweepTimer ??= setTimeout(() => void this.sweep(), Math.min(CALL_SWEEP_MS, ANSWER_TIMEOUT_MS));
  }

  /** The log was cleared: the calls go too (ids keep increasing). */
  async clear(tabId: number): Promise<void> {
    const tab = await this.load(tabId);
    const nextId = tab.log.nextCallId;
    await this.storage.remove([...tab.chunks].map((c) => chunkKey(tabId, c))).catch(() => undefined);
    tab.log = CallLog.restore({ calls: [], nextId, dropped: 0 }, this.capacity);
    tab.chunks.clear();
    tab.dirty.clear();
    this.dirtyTabs.add(tabId);
    await this.flush();
  }

  async forget(tabId: number): Promise<void> {
    const tab = this.tabs.get(tabId);
    this.tabs.delete(tabId);
    this.dirtyTabs.delete(tabId);
    const stored = await this.storage.get([metaKey(tabId)]).catch(() => ({}) as Record<string, unknown>);
    const chunks = new Set<number>([...((stored[metaKey(tabId)] as CallMeta | undefined)?.chunks ?? []), ...(tab ? (await tab).chunks : [])]);
    await this.storage.remove([metaKey(tabId), ...[...chunks].map((c) => chunkKey(tabId, c))]).catch(() => undefined);
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    const tabIds = [...this.dirtyTabs];
    this.dirtyTabs.clear();
    for (const tabId of tabIds) {
      const promise = this.tabs.get(tabId);
      if (!promise) continue;
      const tab = await promise;
      const calls = tab.log.calls();
      const firstChunk = calls.length > 0 ? Math.floor(calls[0].id / CALL_CHUNK) : Infinity;
      const byChunk = new Map<number, CallRecord[]>();
      for (const c of tab.dirty) if (c >= firstChunk) byChunk.set(c, []);
      for (const call of calls) byChunk.get(Math.floor(call.id / CALL_CHUNK))?.push(call);
      tab.dirty.clear();
      const removed = [...tab.chunks].filter((c) => c < firstChunk);
      for (const c of removed) tab.chunks.delete(c);
      for (const c of byChunk.keys()) tab.chunks.add(c);
      const meta: CallMeta = { nextId: tab.log.nextCallId, dropped: tab.log.dropped, chunks: [...tab.chunks].sort((a, b) => a - b) };
      const items: Record<string, unknown> = { [metaKey(tabId)]: meta };
      for (const [c, list] of byChunk) items[chunkKey(tabId, c)] = list;
      try {
        if (removed.length) await this.storage.remove(removed.map((c) => chunkKey(tabId, c)));
        await this.storage.set(items);
      } catch {
        // Over quota: the calls stay in memory; the error log has the storage first.
      }
    }
  }
}

function unique(calls: CallRecord[]): CallRecord[] {
  return [...new Set(calls)];
}
