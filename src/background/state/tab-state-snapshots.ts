// What a tab's decoding and auditing remember between captures, kept where it outlives the
// service worker: Chrome stops an idle worker after about 30 s, and a client waiting out a
// flood wait in silence is exactly that case. Per tab, one snapshot in the log's IndexedDB
// (key `state:<tabId>`): the handling audit's open errors and the requests they rest on, the
// request pairing (msg_id → method, masked parameters, fingerprint) and the sightings merge
// window. Nothing in it is more secret than the log (the same masked parameters and salted
// fingerprints the records carry, no key). The salt of the tab's fingerprints is a secret (with
// it, a fingerprint could be tested against guessed parameters): it lives in storage.session
// (memory only, like the session keys), never in the database.
//
// Cost: snapshots are written by a timer, not per message: a changed tab is written at most
// once per WRITE_GAP_MS, and the gap after a write is at least WRITE_COST_FACTOR times that
// write's duration, so snapshots take at most about a tenth of the worker's time whatever
// their size (each part is capped: src/core/handling/saved-audit.ts, SAVED_SESSION_LIMITS in
// src/core/capture/decode-capture.ts, sightings.ts). The last changes before a stop (within
// one gap) can be lost; the audit then settles those verdicts as before (orphanUpdates).

import type { SessionStorage } from '../../platform/extension-api.ts';
import { fromHex, toHex } from '../../core/mtproto/bytes.ts';

export const STATE_VERSION = 1;
export const WRITE_GAP_MS = 500;
export const WRITE_COST_FACTOR = 10;

const stateKey = (tabId: number) => `state:${tabId}`;
const saltKey = (tabId: number) => `capture-salt:${tabId}`;

/** One tab's snapshot; each part is its owner's plain data (null: nothing to keep). */
export interface TabState {
  audit: unknown;
  capture: unknown;
  sightings: unknown;
}

export interface SnapshotStats {
  writes: number;
  /** Milliseconds spent collecting and writing, in total and for the slowest write. */
  totalMs: number;
  maxMs: number;
}

export interface SnapshotTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
}

const realTimers: SnapshotTimers = { now: () => performance.now(), setTimeout: (run, ms) => setTimeout(run, ms) };

export class TabStateSnapshots {
  private readonly dirty = new Set<number>();
  private timer: unknown = null;
  private writing: Promise<void> = Promise.resolve();
  private nextGapMs = WRITE_GAP_MS;
  readonly stats: SnapshotStats = { writes: 0, totalMs: 0, maxMs: 0 };

  constructor(
    /** The log's database (IdbStorage): survives the worker, emptied with the browser session. */
    private readonly database: SessionStorage,
    /** storage.session: memory only; the salts. */
    private readonly secrets: SessionStorage,
    /** The tab's state as it is now. */
    private readonly collect: (tabId: number) => TabState,
    private readonly timers: SnapshotTimers = realTimers,
  ) {}

  /** The tab's last snapshot, or null (none written, another version, unreadable). */
  async load(tabId: number): Promise<TabState | null> {
    const stored = await this.database.get([stateKey(tabId)]).catch(() => ({}) as Record<string, unknown>);
    const s = stored[stateKey(tabId)] as ({ v?: unknown } & Partial<TabState>) | undefined;
    if (!s || typeof s !== 'object' || s.v !== STATE_VERSION) return null;
    return { audit: s.audit ?? null, capture: s.capture ?? null, sightings: s.sightings ?? null };
  }

  /** The tab's fingerprint salt: drawn once per tab and browser session, kept in memory-only storage. */
  async salt(tabId: number): Promise<Uint8Array> {
    const stored = await this.secrets.get([saltKey(tabId)]).catch(() => ({}) as Record<string, unknown>);
    const hex = stored[saltKey(tabId)];
    const kept = typeof hex === 'string' ? fromHex(hex) : null;
    if (kept && kept.length >= 16) return kept;
    const salt = crypto.getRandomValues(new Uint8Array(16));
    await this.secrets.set({ [saltKey(tabId)]: toHex(salt) }).catch(() => undefined);
    return salt;
  }

  /** The tab's state changed: it is written with the next batch. */
  markDirty(tabId: number): void {
    this.dirty.add(tabId);
    this.timer ??= this.timers.setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.nextGapMs);
  }

  /** Writes every changed tab now (serialised with earlier writes). */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.writeDirty()).catch(() => undefined);
    return this.writing;
  }

  /** A closed tab: its snapshot and salt are removed. */
  async forget(tabId: number): Promise<void> {
    this.dirty.delete(tabId);
    await this.database.remove([stateKey(tabId)]).catch(() => undefined);
    await this.secrets.remove([saltKey(tabId)]).catch(() => undefined);
  }

  private async writeDirty(): Promise<void> {
    if (this.dirty.size === 0) return;
    const started = this.timers.now();
    const items: Record<string, unknown> = {};
    for (const tabId of this.dirty) items[stateKey(tabId)] = { v: STATE_VERSION, ...this.collect(tabId) };
    this.dirty.clear();
    await this.database.set(items).catch(() => undefined);
    const took = this.timers.now() - started;
    this.stats.writes++;
    this.stats.totalMs += took;
    this.stats.maxMs = Math.max(this.stats.maxMs, took);
    this.nextGapMs = Math.max(WRITE_GAP_MS, took * WRITE_COST_FACTOR);
  }
}
