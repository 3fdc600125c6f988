// "Capture inside workers" in the background: the manager (chrome.debugger sessions and the
// sockets read through them), the triage armed with the keys of the tab's origin, the switch
// remembered per tab in session storage (it lives as long as the tab), the merging of an
// error's two sightings (wire, then page-worker boundary) into one record, and which tab lists
// an error read on a SharedWorker several tabs share (shared-wire.ts).

import { debuggerApi, type SessionStorage } from '../../platform/extension-api.ts';
import type { HookCapture } from '../../core/capture/capture.ts';
import type { NewRecord } from '../../core/capture/decode-capture.ts';
import type { ErrorRecord } from '../../core/record.ts';
import { EncryptedTriage } from '../../core/mtproto/decrypt/encrypted-triage.ts';
import { SightingMerger, type SightingUpdate } from '../../core/capture/sightings.ts';
import type { BackgroundToPanel } from '../../shared/messages.ts';
import { SharedWireCopies, type SharedCopy } from '../../core/capture/shared-wire.ts';
import { WorkerCaptureManager } from './manager.ts';

const switchKey = (tabId: number) => `worker-capture:${tabId}`;

export interface WorkerCaptureWiring {
  storage: SessionStorage;
  originOf(tabId: number): Promise<string | null>;
  /** The auth keys given for an origin (256 bytes each). */
  keysFor(origin: string): Promise<Uint8Array[]>;
  toPanels(tabId: number, message: BackgroundToPanel): void;
  /** Captures read on a worker's socket: decoded like the page's. */
  onCaptures(tabId: number, captures: HookCapture[]): void;
  /**
   * Held page-boundary records whose wire sighting never came: stored on their own; and how many
   * were the client's replay of a wait the wire already showed (counted, not stored).
   */
  onHeldRecords(tabId: number, records: NewRecord[], repeatedWaits: number): void;
  /** Stored copies of a SharedWorker's error that another tab's page showed to be its own: removed from this tab's log. */
  onRemoved(tabId: number, ids: number[]): void;
}

export class WorkerCapture {
  readonly manager: WorkerCaptureManager;
  private readonly triages = new Map<number, EncryptedTriage>();
  private readonly merger: SightingMerger;
  private readonly copies: SharedWireCopies;
  /** Captures of a SharedWorker's socket, delivered to several tabs: their key and tabs. */
  private readonly sharedCaptures = new WeakMap<HookCapture, SharedCopy>();
  /** Tabs whose worker sockets showed readable requests since the switch went on (or the page started). */
  private readonly wireRequests = new Set<number>();

  constructor(private readonly wiring: WorkerCaptureWiring) {
    this.manager = new WorkerCaptureManager({
      debugger: debuggerApi,
      originOf: wiring.originOf,
      triageFor: (tabId) => this.triages.get(tabId) ?? null,
      onCaptures: (tabId, captures, shared) => {
        if (shared) captures.forEach((capture, i) => this.sharedCaptures.set(capture, { key: shared.keys[i], tabs: shared.tabs }));
        wiring.onCaptures(tabId, captures);
      },
      onState: (tabId, state) => wiring.toPanels(tabId, state),
      remember: async (tabId, on) => {
        if (on) await wiring.storage.set({ [switchKey(tabId)]: true });
        else await wiring.storage.remove([switchKey(tabId)]);
      },
    });
    const clock = { now: () => Date.now(), later: (fn: () => void, ms: number) => void setTimeout(fn, ms) };
    this.merger = new SightingMerger(clock, wiring.onHeldRecords);
    this.copies = new SharedWireCopies(clock, this.merger, wiring.onRemoved);
  }

  /** After this service worker started: tabs whose switch was on are attached again. */
  async restore(): Promise<void> {
    const all = await this.wiring.storage.get(null);
    for (const key of Object.keys(all)) {
      const match = /^worker-capture:(\d+)$/.exec(key);
      if (match && all[key] === true) await this.set(Number(match[1]), true);
    }
  }

  async set(tabId: number, on: boolean): Promise<void> {
    if (on) await this.refreshKeys(tabId);
    else this.copies.forget(tabId);
    this.wireRequests.delete(tabId);
    await this.manager.set(tabId, on);
  }

  isOn(tabId: number): boolean {
    return this.manager.isOn(tabId);
  }

  /** The keys given for the tab's origin changed (or the page did): the triage follows. */
  async refreshKeys(tabId: number): Promise<void> {
    const origin = await this.wiring.originOf(tabId);
    const keys = origin ? await this.wiring.keysFor(origin) : [];
    const triage = new EncryptedTriage();
    triage.setKeys(keys);
    this.triages.set(tabId, triage);
  }

  pageStarted(tabId: number): void {
    this.wireRequests.delete(tabId);
    this.manager.pageStarted(tabId);
    if (this.isOn(tabId)) void this.refreshKeys(tabId);
  }

  forgetTab(tabId: number): void {
    this.wireRequests.delete(tabId);
    this.copies.forget(tabId);
    this.manager.forgetTab(tabId);
    this.triages.delete(tabId);
    void this.wiring.storage.remove([switchKey(tabId)]);
  }

  /** A worker's socket showed requests the decoder could read (the keys decrypt them). */
  noteWireRequests(tabId: number): void {
    if (this.isOn(tabId)) this.wireRequests.add(tabId);
  }

  /**
   * Whether the tab's requests to Telegram are read on its workers' wire. Then a call seen at the
   * page-worker boundary is not a request to Telegram: the worker's client may answer it itself
   * (mtcute answers a call from a flood wait it stored), and the wire shows what was sent.
   */
  wireShowsRequests(tabId: number): boolean {
    return this.isOn(tabId) && this.wireRequests.has(tabId);
  }

  /** Wire records from a worker's socket (decoded from `capture`), about to be stored: a held page sighting joins them. */
  wireRecords(tabId: number, records: NewRecord[], capture?: HookCapture): NewRecord[] {
    return this.copies.wireRecords(tabId, records, capture ? this.sharedCaptures.get(capture) : undefined);
  }

  rememberWire(tabId: number, stored: readonly ErrorRecord[]): void {
    this.copies.rememberWire(tabId, stored);
  }

  /** The tab's sightings merge window, for its state snapshot (null: empty). */
  saveSightings(tabId: number): unknown {
    return this.merger.save(tabId);
  }

  /** After a worker restart: the merge window from the tab's snapshot (held records past their window are stored now). */
  restoreSightings(tabId: number, saved: unknown): void {
    this.merger.restore(tabId, saved);
  }

  /** Page-hook records while the switch is on: page-boundary errors join their wire record, or wait for it. */
  pageRecords(tabId: number, records: NewRecord[]): { store: NewRecord[]; updates: SightingUpdate[] } {
    if (!this.isOn(tabId)) return { store: records, updates: [] };
    return this.copies.pageRecords(tabId, records);
  }
}
