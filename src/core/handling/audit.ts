// The incremental engine: events go in one at a time, in the order they happened; each request
// re-judges only the open errors of its family it bears on, and time (an event's time, or
// evaluate(now)) closes the windows that have passed. Memory is bounded: open errors, remembered
// requests and families are capped, the oldest dropped and counted.

import {
  clampTime,
  completeFromRequest,
  msgKey,
  normalizeError,
  normalizeRequest,
  type AuditError,
  type AuditRequest,
} from './normalize.ts';
import { deadlineOf, droppedVerdict, isRelated, judge, ruleFor } from './rules.ts';
import { MAX_FAMILIES, MAX_OPEN_ERRORS, MAX_REMEMBERED_REQUESTS } from './thresholds.ts';
import type { AuditEvent, HandlingRuleId, HandlingVerdict, VerdictUpdate } from './types.ts';
import { readSavedAudit, SAVED_AUDIT_VERSION, type SaveLimits, type SavedHandlingAudit } from './saved-audit.ts';

export interface HandlingAuditLimits {
  /** Default MAX_OPEN_ERRORS. */
  maxOpenErrors?: number;
  /** Default MAX_REMEMBERED_REQUESTS. */
  maxRememberedRequests?: number;
  /** Default MAX_FAMILIES. */
  maxFamilies?: number;
}

export interface HandlingAuditStats {
  openErrors: number;
  rememberedRequests: number;
  families: number;
  /** Open errors dropped because more than maxOpenErrors were open (each got a 'dropped' verdict). */
  droppedErrors: number;
  /** Requests forgotten for msg_id pairing because more than maxRememberedRequests were kept. */
  droppedRequests: number;
  /** Families forgotten (their earlier requests no longer count as visibility). */
  droppedFamilies: number;
}

interface OpenError {
  error: AuditError;
  rule: HandlingRuleId;
  deadline: number | null;
  familySeenBefore: boolean;
  firstFamilyRequestAt: number | null;
  related: AuditRequest[];
  verdict: HandlingVerdict | null;
  /** JSON of `verdict`, to report only changes. */
  key: string;
}

function limit(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

export class HandlingAudit {
  readonly maxOpenErrors: number;
  readonly maxRememberedRequests: number;
  readonly maxFamilies: number;

  private clock = -Infinity;
  /** Insertion order is age: the first entry is the oldest open error. */
  private readonly open = new Map<number, OpenError>();
  private readonly openByFamily = new Map<string, Set<OpenError>>();
  private readonly byMsgId = new Map<string, AuditRequest>();
  /** Families that have shown a request; insertion order is recency. */
  private readonly families = new Map<string, true>();
  private droppedErrors = 0;
  private droppedRequests = 0;
  private droppedFamilies = 0;

  constructor(limits: HandlingAuditLimits = {}) {
    this.maxOpenErrors = limit(limits.maxOpenErrors, MAX_OPEN_ERRORS);
    this.maxRememberedRequests = limit(limits.maxRememberedRequests, MAX_REMEMBERED_REQUESTS);
    this.maxFamilies = limit(limits.maxFamilies, MAX_FAMILIES);
  }

  /**
   * Takes one event (in time order; an older time is taken as the latest time seen) and returns
   * the verdicts that changed: the new error's first verdict, and those of the errors it or the
   * passing time decided. Never throws.
   */
  add(event: AuditEvent): VerdictUpdate[] {
    const updates: VerdictUpdate[] = [];
    if (event === null || typeof event !== 'object') return updates;
    if (event.kind === 'request') {
      const r = normalizeRequest(event, this.clock);
      this.advance(r.at, updates);
      this.addRequest(r, updates);
    } else if (event.kind === 'error') {
      const e = normalizeError(event, this.clock);
      this.advance(e.at, updates);
      this.addError(e, updates);
    }
    return updates;
  }

  /** Closes the windows that have passed by `now` (epoch ms) and returns the verdicts that changed. */
  evaluate(now: number): VerdictUpdate[] {
    const updates: VerdictUpdate[] = [];
    this.advance(clampTime(now, this.clock), updates);
    return updates;
  }

  /** The current verdict of an error still being watched; null once final (it was reported) or unknown. */
  verdictOf(errorId: number): HandlingVerdict | null {
    return this.open.get(errorId)?.verdict ?? null;
  }

  /** Every error still being watched, oldest first. */
  openVerdicts(): VerdictUpdate[] {
    const out: VerdictUpdate[] = [];
    for (const o of this.open.values()) if (o.verdict !== null) out.push({ errorId: o.error.id, verdict: o.verdict });
    return out;
  }

  get stats(): HandlingAuditStats {
    return {
      openErrors: this.open.size,
      rememberedRequests: this.byMsgId.size,
      families: this.families.size,
      droppedErrors: this.droppedErrors,
      droppedRequests: this.droppedRequests,
      droppedFamilies: this.droppedFamilies,
    };
  }

  /**
   * The engine's state as plain data (JSON- and structured-clone-safe). With `maxRequests`, only
   * the newest requests for msg_id pairing are kept (a restored engine then pairs fewer).
   */
  save(limits: SaveLimits = {}): SavedHandlingAudit {
    let requests = [...this.byMsgId.values()];
    const keep = limits.maxRequests;
    if (typeof keep === 'number' && keep >= 0 && requests.length > keep) requests = requests.slice(requests.length - keep);
    return {
      v: SAVED_AUDIT_VERSION,
      clock: Number.isFinite(this.clock) ? this.clock : null,
      open: [...this.open.values()].map((o) => ({
        error: o.error,
        familySeenBefore: o.familySeenBefore,
        firstFamilyRequestAt: o.firstFamilyRequestAt,
        related: o.related.slice(),
        verdict: o.verdict,
      })),
      requests,
      families: [...this.families.keys()],
      dropped: { errors: this.droppedErrors, requests: this.droppedRequests, families: this.droppedFamilies },
    };
  }

  /**
   * An engine that continues from a saved state: it judges every later event and evaluation
   * exactly as the engine that was saved would have. Anything malformed in `saved` is left out
   * (an unreadable state gives a fresh engine); never throws.
   */
  static restore(saved: unknown, limits: HandlingAuditLimits = {}): HandlingAudit {
    const audit = new HandlingAudit(limits);
    const state = readSavedAudit(saved);
    if (state === null) return audit;
    audit.clock = state.clock ?? -Infinity;
    audit.droppedErrors = state.dropped.errors;
    audit.droppedRequests = state.dropped.requests;
    audit.droppedFamilies = state.dropped.families;
    const open = state.open.slice(Math.max(0, state.open.length - audit.maxOpenErrors));
    audit.droppedErrors += state.open.length - open.length;
    for (const saved of open) {
      const rule = ruleFor(saved.error);
      const o: OpenError = {
        error: saved.error,
        rule,
        deadline: deadlineOf(saved.error, rule),
        familySeenBefore: saved.familySeenBefore,
        firstFamilyRequestAt: saved.firstFamilyRequestAt,
        related: saved.related,
        verdict: saved.verdict,
        key: saved.verdict === null ? '' : JSON.stringify(saved.verdict),
      };
      const previous = audit.open.get(o.error.id);
      if (previous !== undefined) audit.remove(previous);
      audit.open.set(o.error.id, o);
      let set = audit.openByFamily.get(o.error.family);
      if (set === undefined) audit.openByFamily.set(o.error.family, (set = new Set()));
      set.add(o);
    }
    const requests = state.requests.slice(Math.max(0, state.requests.length - audit.maxRememberedRequests));
    audit.droppedRequests += state.requests.length - requests.length;
    for (const r of requests) {
      const key = msgKey(r.family, r.msgId!);
      audit.byMsgId.delete(key);
      audit.byMsgId.set(key, r);
    }
    const families = state.families.slice(Math.max(0, state.families.length - audit.maxFamilies));
    audit.droppedFamilies += state.families.length - families.length;
    for (const f of families) audit.families.set(f, true);
    return audit;
  }

  // ---- internals ----

  private advance(t: number, updates: VerdictUpdate[]): void {
    this.clock = t;
    let due: OpenError[] | null = null;
    for (const o of this.open.values()) {
      if (o.deadline !== null && t > o.deadline) (due ??= []).push(o);
    }
    if (due !== null) for (const o of due) this.rejudge(o, t, updates);
  }

  private addRequest(r: AuditRequest, updates: VerdictUpdate[]): void {
    const set = this.openByFamily.get(r.family);
    if (set !== undefined) {
      for (const o of [...set]) {
        let changed = false;
        if (o.firstFamilyRequestAt === null) {
          o.firstFamilyRequestAt = r.at;
          // The family just became visible: verdicts waiting on visibility may change.
          changed = !o.familySeenBefore;
        }
        if (isRelated(o.error, o.rule, r)) {
          o.related.push(r);
          changed = true;
        }
        if (changed) this.rejudge(o, r.at, updates);
      }
    }
    this.families.delete(r.family);
    this.families.set(r.family, true);
    if (this.families.size > this.maxFamilies) {
      this.families.delete(this.families.keys().next().value as string);
      this.droppedFamilies++;
    }
    if (r.msgId !== null) {
      const key = msgKey(r.family, r.msgId);
      this.byMsgId.delete(key);
      this.byMsgId.set(key, r);
      if (this.byMsgId.size > this.maxRememberedRequests) {
        this.byMsgId.delete(this.byMsgId.keys().next().value as string);
        this.droppedRequests++;
      }
    }
  }

  private addError(raw: AuditError, updates: VerdictUpdate[]): void {
    const source = raw.msgId === null ? null : (this.byMsgId.get(msgKey(raw.family, raw.msgId)) ?? null);
    const error = completeFromRequest(raw, source);
    const previous = this.open.get(error.id);
    if (previous !== undefined) this.remove(previous); // a later sighting of the same id replaces it
    const rule = ruleFor(error);
    const o: OpenError = {
      error,
      rule,
      deadline: deadlineOf(error, rule),
      familySeenBefore: this.families.has(error.family),
      firstFamilyRequestAt: null,
      related: [],
      verdict: null,
      key: '',
    };
    this.open.set(error.id, o);
    let set = this.openByFamily.get(error.family);
    if (set === undefined) this.openByFamily.set(error.family, (set = new Set()));
    set.add(o);
    this.rejudge(o, error.at, updates);
    while (this.open.size > this.maxOpenErrors) {
      const oldest = this.open.values().next().value as OpenError;
      this.remove(oldest);
      this.droppedErrors++;
      this.report(oldest, droppedVerdict(oldest.rule, this.clock, this.maxOpenErrors), updates);
    }
  }

  private rejudge(o: OpenError, now: number, updates: VerdictUpdate[]): void {
    const verdict = judge({
      error: o.error,
      rule: o.rule,
      familySeenBefore: o.familySeenBefore,
      firstFamilyRequestAt: o.firstFamilyRequestAt,
      related: o.related,
      now,
    });
    this.report(o, verdict, updates);
    if (verdict.final) this.remove(o);
  }

  private report(o: OpenError, verdict: HandlingVerdict, updates: VerdictUpdate[]): void {
    const key = JSON.stringify(verdict);
    if (key === o.key) return;
    o.key = key;
    o.verdict = verdict;
    updates.push({ errorId: o.error.id, verdict });
  }

  private remove(o: OpenError): void {
    if (this.open.get(o.error.id) === o) this.open.delete(o.error.id);
    const set = this.openByFamily.get(o.error.family);
    if (set !== undefined) {
      set.delete(o);
      if (set.size === 0) this.openByFamily.delete(o.error.family);
    }
  }
}
