// The incremental engine: events go in one at a time, in the order they happened; each request
// re-judges only the open errors of its family it bears on, and time (an event's time, or
// evaluate(now)) closes the windows that have passed. An error that retries the call of an open
// error joins its retry chain (retry-chain.ts): the chain is judged as one, and each of its
// errors gets the chain's verdict. Memory is bounded: open chains, remembered requests and
// families are capped, the oldest dropped and counted.

import { clampTime, completeFromRequest, msgKey, normalizeError, normalizeRequest, type AuditError, type AuditRequest } from './normalize.ts';
import { MAX_CHAIN_ERRORS, retryChainKey } from './retry-chain.ts';
import { chainDeadlineOf, droppedVerdict, isRelated, judge, ruleFor } from './rules.ts';
import { MAX_FAMILIES, MAX_OPEN_ERRORS, MAX_REMEMBERED_REQUESTS } from './thresholds.ts';
import type { AuditEvent, HandlingRuleId, HandlingVerdict, VerdictUpdate } from './types.ts';
import { readSavedAudit, SAVED_AUDIT_VERSION, type SaveLimits, type SavedHandlingAudit } from './saved-audit.ts';

export interface HandlingAuditLimits {
  /** Open retry chains (an error alone is a chain of one). Default MAX_OPEN_ERRORS. */
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
  /** Open errors dropped because more than maxOpenErrors chains were open (each got a 'dropped' verdict). */
  droppedErrors: number;
  /** Requests forgotten for msg_id pairing because more than maxRememberedRequests were kept. */
  droppedRequests: number;
  /** Families forgotten (their earlier requests no longer count as visibility). */
  droppedFamilies: number;
}

/** An error still being watched, with the errors that retried its call (its retry chain). */
interface OpenError {
  error: AuditError;
  rule: HandlingRuleId;
  /** retryChainKey of `error`; null when nothing can join it. */
  chainKey: string | null;
  /** `error`, then the errors that joined its chain, in order. */
  members: AuditError[];
  deadline: number | null;
  familySeenBefore: boolean;
  firstFamilyRequestAt: number | null;
  related: AuditRequest[];
  verdict: HandlingVerdict | null;
  /** JSON of the verdict last reported, per member id, to report only changes. */
  reported: Map<number, string>;
}

function limit(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : fallback;
}

export class HandlingAudit {
  readonly maxOpenErrors: number;
  readonly maxRememberedRequests: number;
  readonly maxFamilies: number;

  private clock = -Infinity;
  /** By the id of its first error; insertion order is age: the first entry is the oldest open chain. */
  private readonly open = new Map<number, OpenError>();
  /** The open chain each watched error belongs to. */
  private readonly chainOf = new Map<number, OpenError>();
  /** The open chain errors of a call join, by retryChainKey (the latest). */
  private readonly openByChainKey = new Map<string, OpenError>();
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
    return this.chainOf.get(errorId)?.verdict ?? null;
  }

  /** Every error still being watched, oldest chain first, each chain's errors in order. */
  openVerdicts(): VerdictUpdate[] {
    const out: VerdictUpdate[] = [];
    for (const o of this.open.values()) if (o.verdict !== null) for (const m of o.members) out.push({ errorId: m.id, verdict: o.verdict });
    return out;
  }

  get stats(): HandlingAuditStats {
    return {
      openErrors: this.chainOf.size,
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
        members: o.members.slice(),
        reported: [...o.reported],
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
      const chainKey = retryChainKey(saved.error, rule);
      const o: OpenError = {
        error: saved.error,
        rule,
        chainKey,
        members: saved.members,
        deadline: chainDeadlineOf(saved.members, rule),
        familySeenBefore: saved.familySeenBefore,
        firstFamilyRequestAt: saved.firstFamilyRequestAt,
        related: saved.related,
        verdict: saved.verdict,
        reported: new Map(saved.reported),
      };
      for (const m of o.members) {
        const previous = audit.chainOf.get(m.id);
        if (previous !== undefined) audit.remove(previous);
      }
      audit.open.set(o.error.id, o);
      for (const m of o.members) audit.chainOf.set(m.id, o);
      if (chainKey !== null) audit.openByChainKey.set(chainKey, o);
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
    const previous = this.chainOf.get(error.id);
    if (previous !== undefined) this.forgetMember(previous, error.id, updates); // a later sighting of the same id replaces it
    const rule = ruleFor(error);
    const chainKey = retryChainKey(error, rule);
    const chain = chainKey === null ? undefined : this.openByChainKey.get(chainKey);
    if (chain !== undefined && chain.members.length < MAX_CHAIN_ERRORS) {
      // A retry of an open error's call: one story, judged again with the new error in it.
      chain.members.push(error);
      chain.deadline = chainDeadlineOf(chain.members, chain.rule);
      this.chainOf.set(error.id, chain);
      this.rejudge(chain, error.at, updates);
      return;
    }
    const o: OpenError = {
      error,
      rule,
      chainKey,
      members: [error],
      deadline: chainDeadlineOf([error], rule),
      familySeenBefore: this.families.has(error.family),
      firstFamilyRequestAt: null,
      related: [],
      verdict: null,
      reported: new Map(),
    };
    this.open.set(error.id, o);
    this.chainOf.set(error.id, o);
    if (chainKey !== null) this.openByChainKey.set(chainKey, o);
    let set = this.openByFamily.get(error.family);
    if (set === undefined) this.openByFamily.set(error.family, (set = new Set()));
    set.add(o);
    this.rejudge(o, error.at, updates);
    while (this.open.size > this.maxOpenErrors) {
      const oldest = this.open.values().next().value as OpenError;
      this.remove(oldest);
      this.droppedErrors += oldest.members.length;
      this.report(oldest, droppedVerdict(oldest.rule, this.clock, this.maxOpenErrors), updates);
    }
  }

  /** An error seen again under the same id: out of its chain (the whole chain, when it was the first). */
  private forgetMember(o: OpenError, errorId: number, updates: VerdictUpdate[]): void {
    if (o.error.id === errorId) {
      this.remove(o);
      return;
    }
    o.members = o.members.filter((m) => m.id !== errorId);
    o.reported.delete(errorId);
    this.chainOf.delete(errorId);
    o.deadline = chainDeadlineOf(o.members, o.rule);
    this.rejudge(o, this.clock, updates);
  }

  private rejudge(o: OpenError, now: number, updates: VerdictUpdate[]): void {
    const verdict = judge({
      error: o.error,
      rule: o.rule,
      familySeenBefore: o.familySeenBefore,
      firstFamilyRequestAt: o.firstFamilyRequestAt,
      related: o.related,
      members: o.members,
      now,
    });
    this.report(o, verdict, updates);
    if (verdict.final) this.remove(o);
  }

  /** The chain's verdict to each of its errors whose last reported verdict differs. */
  private report(o: OpenError, verdict: HandlingVerdict, updates: VerdictUpdate[]): void {
    const key = JSON.stringify(verdict);
    o.verdict = verdict;
    for (const m of o.members) {
      if (o.reported.get(m.id) === key) continue;
      o.reported.set(m.id, key);
      updates.push({ errorId: m.id, verdict });
    }
  }

  private remove(o: OpenError): void {
    if (this.open.get(o.error.id) === o) this.open.delete(o.error.id);
    for (const m of o.members) if (this.chainOf.get(m.id) === o) this.chainOf.delete(m.id);
    if (o.chainKey !== null && this.openByChainKey.get(o.chainKey) === o) this.openByChainKey.delete(o.chainKey);
    const set = this.openByFamily.get(o.error.family);
    if (set !== undefined) {
      set.delete(o);
      if (set.size === 0) this.openByFamily.delete(o.error.family);
    }
  }
}
