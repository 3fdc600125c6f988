// The handling audit in the service worker: one HandlingAudit (src/core/handling/) per tab, fed
// in arrival order with the requests the decoder read and the error records it made, and
// evaluated on a timer (about once a second) while a tab has verdicts still open, so windows
// close without further traffic. Every verdict that changes goes to `onUpdates` (the store
// rewrites the record, panels hear of it).
//
// A stopped service worker: each tab's audit is saved (`save`, in the tab's state snapshot,
// src/background/state/) and restored when the tab is next touched (`restore`), so errors
// being watched are still decided and requests seen before the stop still count. Only what no
// snapshot holds (changes in the last moments before the stop, or no snapshot at all) is lost:
// `orphanUpdates` settles those stored verdicts (a violation stays one, anything else becomes
// not-observable) instead of leaving them pending for ever.

import {
  HandlingAudit,
  errorSightingFromRecord,
  type HandlingVerdict,
  type RequestSighting,
  type SavedHandlingAudit,
  type VerdictUpdate,
} from '../../core/handling/index.ts';
import type { RequestSeen } from '../../core/capture/decode-capture.ts';
import type { ErrorRecord } from '../../core/record.ts';
import { isoFromEpochMs } from '../../core/iso-time.ts';
import { PAGE_FINGERPRINT } from '../../core/capture/capture.ts';

/** How often open verdicts are re-evaluated while any tab has one. */
export const AUDIT_TICK_MS = 1000;

/** A verdict as the store and the panel carry it. */
export interface RecordVerdict {
  id: number;
  handling: HandlingVerdict;
}

export interface AuditTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: AuditTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** The family of a tab: all of its connections answer for each other's errors. */
const familyOf = (tabId: number) => `tab:${tabId}`;

/**
 * The audit's error sighting for a stored record. An error the page hook paired with its call
 * carries that call's fingerprint (PAGE_FINGERPRINT); its repeats are sighted under the call's
 * name, so the client's call (Web A's `sendMessage`, a Web K manager call) is the method here
 * when the error itself named the Telegram method.
 */
export function sightingOfRecord(tabId: number, record: ErrorRecord) {
  const fingerprint = record.request?.fingerprint ?? null;
  const sighting = errorSightingFromRecord(record, {
    family: familyOf(tabId),
    fingerprint,
    msgId: record.reqMsgId ?? null,
  });
  if (fingerprint !== null && record.clientCall !== undefined && PAGE_FINGERPRINT.test(fingerprint)) sighting.method = record.clientCall;
  return sighting;
}

/**
 * The audit's request sighting. Its id is the msg_id when known (the panel links it to the
 * record of its answer), else a counter per tab ("r12").
 */
export function sightingOfRequest(tabId: number, request: RequestSeen, counter: number): RequestSighting {
  return {
    kind: 'request',
    requestId: request.msgId ?? `r${counter}`,
    at: request.at,
    method: request.method,
    dc: request.dc,
    family: familyOf(tabId),
    fingerprint: request.fingerprint,
    authKeyId: request.authKeyId,
    msgId: request.msgId,
  };
}

/** Stored verdicts still open that no audit of this worker watches (`watched` says which it does): settled, with the reason. */
export function orphanUpdates(records: Iterable<ErrorRecord>, now: number, watched: (id: number) => boolean = () => false): RecordVerdict[] {
  const out: RecordVerdict[] = [];
  const at = isoFromEpochMs(now);
  for (const r of records) {
    const h = r.handling;
    if (h === undefined || h.final || watched(r.id)) continue;
    const why = "the extension's background was restarted while this error was being watched";
    const handling: HandlingVerdict =
      h.verdict === 'violation'
        ? { ...h, detail: `${h.detail} (watching stopped: ${why})`, final: true, decidedAt: h.decidedAt ?? at, pendingUntil: null }
        : {
            ...h,
            verdict: 'not-observable',
            finding: 'dropped',
            detail: `${why}, so what the client did next is unknown`,
            final: true,
            decidedAt: at,
            pendingUntil: null,
          };
    out.push({ id: r.id, handling });
  }
  return out;
}

interface TabAudit {
  audit: HandlingAudit;
  requestCounter: number;
}

/** A tab's audit as its state snapshot keeps it. */
export interface SavedTabAudit {
  audit: SavedHandlingAudit;
  requestCounter: number;
}

/** Requests kept for msg_id pairing in a snapshot (the engine keeps 4,096 in memory; the decoder pairs too). */
export const SAVED_AUDIT_REQUESTS = 1024;

export class HandlingAudits {
  private readonly tabs = new Map<number, TabAudit>();
  private timer: unknown = null;

  constructor(
    /** Verdicts that changed on a timer tick (updates from `see*` are returned instead). */
    private readonly onTick: (tabId: number, updates: RecordVerdict[]) => void,
    private readonly timers: AuditTimers = realTimers,
  ) {}

  /** Whether this worker has an audit for the tab (false after a restart until it is fed). */
  has(tabId: number): boolean {
    return this.tabs.has(tabId);
  }

  private tab(tabId: number): TabAudit {
    let t = this.tabs.get(tabId);
    if (t === undefined) this.tabs.set(tabId, (t = { audit: new HandlingAudit(), requestCounter: 0 }));
    return t;
  }

  /** Requests, then records, of one capture (an outgoing capture holds requests, an incoming one errors). */
  see(tabId: number, requests: readonly RequestSeen[] | undefined, records: readonly ErrorRecord[]): RecordVerdict[] {
    if ((requests === undefined || requests.length === 0) && records.length === 0) return [];
    const t = this.tab(tabId);
    const updates: VerdictUpdate[] = [];
    for (const r of requests ?? []) updates.push(...t.audit.add(sightingOfRequest(tabId, r, ++t.requestCounter)));
    for (const record of records) updates.push(...t.audit.add(sightingOfRecord(tabId, record)));
    this.schedule();
    return latestOnly(updates);
  }

  /** Closes the windows that have passed for one tab (a panel connected, or the tick). */
  evaluate(tabId: number, now = this.timers.now()): RecordVerdict[] {
    const t = this.tabs.get(tabId);
    return t === undefined ? [] : latestOnly(t.audit.evaluate(now));
  }

  /** The tab's audit as plain data for its snapshot; null when this worker has none for it. */
  save(tabId: number): SavedTabAudit | null {
    const t = this.tabs.get(tabId);
    return t === undefined ? null : { audit: t.audit.save({ maxRequests: SAVED_AUDIT_REQUESTS }), requestCounter: t.requestCounter };
  }

  /** Continues a tab's audit from its snapshot (after a worker restart); open windows close on the timer again. */
  restore(tabId: number, saved: unknown): void {
    const s = saved as Partial<SavedTabAudit> | null;
    if (s === null || typeof s !== 'object' || s.audit === undefined) return;
    const requestCounter = typeof s.requestCounter === 'number' && Number.isSafeInteger(s.requestCounter) ? s.requestCounter : 0;
    this.tabs.set(tabId, { audit: HandlingAudit.restore(s.audit), requestCounter });
    this.schedule();
  }

  /** Whether the tab's audit still watches this error (its verdict is open). */
  watches(tabId: number, errorId: number): boolean {
    return this.tabs.get(tabId)?.audit.verdictOf(errorId) != null;
  }

  /** The log was cleared (or the page reloaded without Preserve log): the audit starts afresh. */
  reset(tabId: number): void {
    this.tabs.delete(tabId);
  }

  forget(tabId: number): void {
    this.tabs.delete(tabId);
  }

  /** Open errors per tab, for tests and the tick. */
  openCount(tabId: number): number {
    return this.tabs.get(tabId)?.audit.stats.openErrors ?? 0;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    let open = false;
    for (const t of this.tabs.values()) if (t.audit.stats.openErrors > 0) open = true;
    if (!open) return;
    this.timer = this.timers.setTimeout(() => this.tick(), AUDIT_TICK_MS);
  }

  /** One tick: every tab with open verdicts is evaluated; the timer runs again while any is open. */
  tick(): void {
    this.timer = null;
    const now = this.timers.now();
    for (const [tabId, t] of this.tabs) {
      if (t.audit.stats.openErrors === 0) continue;
      const updates = latestOnly(t.audit.evaluate(now));
      if (updates.length > 0) this.onTick(tabId, updates);
    }
    this.schedule();
  }

  /** Stops the timer (tests). */
  stop(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}

/** One update per record: the last verdict the engine gave it. */
function latestOnly(updates: readonly VerdictUpdate[]): RecordVerdict[] {
  if (updates.length === 0) return [];
  const byId = new Map<number, HandlingVerdict>();
  for (const u of updates) {
    byId.delete(u.errorId);
    byId.set(u.errorId, u.verdict);
  }
  return [...byId].map(([id, handling]) => ({ id, handling }));
}
