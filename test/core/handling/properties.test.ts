import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  HandlingAudit,
  auditTimeline,
  type AuditEvent,
  type ErrorSighting,
  type RequestSighting,
  type VerdictUpdate,
} from '../../../src/core/handling/index.ts';
import { T0, engineVerdicts } from './helpers.ts';

const METHODS = ['messages.sendMessage', 'messages.getHistory', 'upload.getFile', 'auth.signIn', 'help.getConfig', null] as const;
const FAMILIES = ['f1', 'f2'] as const;

/** Error shapes of every rule. */
const ERRORS: ReadonlyArray<Pick<ErrorSighting, 'code' | 'class' | 'type' | 'params'>> = [
  { code: 303, class: 'ERROR_SEE_OTHER', type: 'USER_MIGRATE_4', params: { dc: 4 } },
  { code: 303, class: 'ERROR_SEE_OTHER', type: 'FILE_MIGRATE_2', params: { dc: 2 } },
  { code: 420, class: 'FLOOD', type: 'FLOOD_WAIT_3', params: { seconds: 3 } },
  { code: 420, class: 'FLOOD', type: 'SLOWMODE_WAIT_20', params: { seconds: 20 } },
  { code: 400, class: 'BAD_REQUEST', type: 'PEER_ID_INVALID', params: {} },
  { code: 401, class: 'UNAUTHORIZED', type: 'AUTH_KEY_UNREGISTERED', params: {} },
  { code: 403, class: 'FORBIDDEN', type: 'CHAT_WRITE_FORBIDDEN', params: {} },
  { code: 404, class: 'NOT_FOUND', type: 'METHOD_NOT_FOUND', params: {} },
  { code: 406, class: 'NOT_ACCEPTABLE', type: 'AUTH_KEY_DUPLICATED', params: {} },
  { code: 500, class: 'INTERNAL', type: 'RPC_CALL_FAIL', params: {} },
  { code: -503, class: 'INTERNAL', type: null, params: {} },
  { code: 48, class: 'PROTOCOL', type: 'BAD_SERVER_SALT', params: {} },
  { code: 16, class: 'PROTOCOL', type: 'BAD_MSG_NOTIFICATION', params: {} },
  { code: -404, class: 'TRANSPORT', type: null, params: {} },
  { code: 420, class: 'FLOOD', type: 'FLOOD', params: {} },
  { code: 303, class: 'ERROR_SEE_OTHER', type: 'SEE_OTHER', params: {} },
];

const nullable = <T>(values: readonly T[]) => fc.constantFrom<T | null>(...values, null);

/** Gap to the event before, in ms: mostly short (retry loops), sometimes long (windows closing). */
const gap = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 600 }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 5_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 70_000 }) },
  // Round steps, so that requests land exactly on the windows' ends (3, 10, 20, 30, 60 s).
  { weight: 2, arbitrary: fc.constantFrom(0, 1_000, 3_000, 10_000, 20_000, 30_000, 60_000) },
);

const requestShape = fc.record({
  method: fc.constantFrom(...METHODS),
  family: fc.constantFrom(...FAMILIES),
  dc: nullable([1, 2, 4]),
  fingerprint: nullable(['p1', 'p2']),
  authKeyId: nullable(['k1', 'k2']),
  msgId: nullable(['m1', 'm2', 'm3']),
  /** Repeat the last error's call (its method, family and input): retries, repeats, resends. */
  repeatLastError: fc.boolean(),
});
const errorShape = fc.record({
  shape: fc.constantFrom(...ERRORS),
  method: fc.constantFrom(...METHODS),
  family: fc.constantFrom(...FAMILIES),
  dc: nullable([1, 2, 4]),
  fingerprint: nullable(['p1', 'p2']),
  authKeyId: nullable(['k1', 'k2']),
  msgId: nullable(['m1', 'm2', 'm3']),
});
const step = fc.record({
  gap,
  event: fc.oneof(
    { weight: 3, arbitrary: requestShape.map((r) => ({ kind: 'request' as const, ...r })) },
    { weight: 1, arbitrary: errorShape.map((e) => ({ kind: 'error' as const, ...e })) },
    // The last error's call repeated a few times quickly: tight loops, early retries.
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 5 }).map((gaps) => ({ kind: 'burst' as const, gaps })) },
    // The last error's call retried and refused again, a few times: retry chains.
    { weight: 1, arbitrary: fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 4 }).map((gaps) => ({ kind: 'again' as const, gaps })) },
  ),
  /** Call evaluate(now) at this event's time before adding it. */
  evaluateFirst: fc.boolean(),
});

interface Built {
  events: AuditEvent[];
  evaluateBefore: boolean[];
}

/** A timeline in time order; with `hellos`, each family starts with a request so its traffic is visible. */
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function build(steps: Step[], hellos: boolean): Built {
  const events: AuditEvent[] = [];
  const evaluateBefore: boolean[] = [];
  let at = T0;
  let n = 0;
  let lastError: ErrorSighting | null = null;
  if (hellos) {
    for (const family of FAMILIES) {
      events.push({
        kind: 'request',
        requestId: `hello-${family}`,
        at,
        method: 'help.getNearestDc',
        dc: 2,
        family,
        fingerprint: null,
        authKeyId: 'k1',
        msgId: null,
      });
      evaluateBefore.push(false);
    }
  }
  for (const s of steps) {
    n++;
    const e = s.event;
    if (e.kind !== 'burst' && e.kind !== 'again') at += s.gap;
    if (e.kind === 'again') {
      if (lastError === null) continue;
      for (const [i, g] of e.gaps.entries()) {
        at += g;
        const { id: _, at: __, ...call } = lastError;
        events.push({
          kind: 'request',
          requestId: `a${n}.${i}`,
          at,
          method: call.method,
          family: call.family,
          dc: call.dc,
          fingerprint: call.fingerprint ?? null,
          authKeyId: call.authKeyId ?? null,
          msgId: null,
        });
        events.push({ ...call, id: n * 100 + i, at: at + 1, msgId: null });
        evaluateBefore.push(false, false);
        at += 1;
      }
      continue;
    }
    if (e.kind === 'burst') {
      for (const [i, g] of e.gaps.entries()) {
        at += g;
        events.push({
          kind: 'request',
          requestId: `q${n}.${i}`,
          at,
          method: lastError?.method ?? 'messages.sendMessage',
          family: lastError?.family ?? 'f1',
          dc: lastError?.dc ?? 2,
          fingerprint: lastError?.fingerprint ?? null,
          authKeyId: lastError?.authKeyId ?? null,
          msgId: null,
        });
        evaluateBefore.push(false);
      }
      continue;
    }
    if (e.kind === 'request') {
      const { kind: _, repeatLastError, ...rest } = e;
      const request: RequestSighting = { kind: 'request', requestId: `q${n}`, at, ...rest };
      if (repeatLastError && lastError !== null) {
        request.method = lastError.method;
        request.family = lastError.family;
        request.fingerprint = lastError.fingerprint ?? null;
      }
      events.push(request);
    } else {
      const { kind: _, shape, ...rest } = e;
      const error: ErrorSighting = { kind: 'error', id: n, at, ...shape, ...rest };
      lastError = error;
      events.push(error);
    }
    evaluateBefore.push(s.evaluateFirst);
  }
  return { events, evaluateBefore };
}

const timeline = (hellos: boolean) => fc.oneof(fc.array(step, { maxLength: 6 }), fc.array(step, { maxLength: 40 })).map((steps) => build(steps, hellos));
const nowAfter = fc.integer({ min: 0, max: 120_000 });
const lastAt = (events: AuditEvent[]) => (events.length === 0 ? T0 : events[events.length - 1].at);

describe('handling audit properties', () => {
  it('never throws, whatever the events hold', () => {
    const wild = fc.record(
      {
        kind: fc.constantFrom('error', 'request', 'other'),
        id: fc.oneof(fc.integer(), fc.double(), fc.string()),
        at: fc.oneof(fc.double(), fc.integer(), fc.constant(NaN), fc.constant(-Infinity), fc.string()),
        code: fc.oneof(fc.integer(), fc.double(), fc.constant(null)),
        class: fc.oneof(fc.constantFrom(...ERRORS.map((e) => e.class)), fc.string(), fc.constant(undefined)),
        type: fc.oneof(fc.string(), fc.constantFrom('FLOOD_WAIT_5', 'PHONE_MIGRATE_9', 'X_MIGRATE_'), fc.constant(null)),
        params: fc.oneof(fc.constant(null), fc.dictionary(fc.constantFrom('seconds', 'dc', 'minutes', 'until'), fc.oneof(fc.double(), fc.integer()))),
        method: fc.oneof(fc.constantFrom(...METHODS), fc.string(), fc.integer()),
        dc: fc.oneof(fc.integer(), fc.double(), fc.constant(null), fc.string()),
        family: fc.oneof(fc.constantFrom(...FAMILIES), fc.string(), fc.constant(undefined)),
        fingerprint: fc.oneof(fc.constantFrom('p1', 'p2', ''), fc.constant(null), fc.integer()),
        authKeyId: fc.oneof(fc.constantFrom('k1', 'k2'), fc.constant(null)),
        msgId: fc.oneof(fc.constantFrom('m1', 'm2'), fc.constant(null), fc.integer()),
        requestId: fc.oneof(fc.string(), fc.constant(undefined), fc.integer()),
        isAuthCall: fc.oneof(fc.boolean(), fc.constant('yes')),
        retryAt: fc.oneof(fc.double(), fc.constant(null)),
        redirectDc: fc.oneof(fc.integer(), fc.constant(null), fc.double()),
      },
      { requiredKeys: ['kind'] },
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(wild, fc.anything()), { maxLength: 30 }), fc.double(), (events, now) => {
        const audit = new HandlingAudit({ maxOpenErrors: 4, maxRememberedRequests: 4, maxFamilies: 2 });
        for (const e of events) audit.add(e as AuditEvent);
        audit.evaluate(now);
        auditTimeline(events as AuditEvent[], now);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(timeline(false), nowAfter, ({ events }, extra) => {
        auditTimeline(events, lastAt(events) + extra);
        engineVerdicts(events, lastAt(events) + extra);
      }),
      { numRuns: 200 },
    );
  });

  it('the incremental engine gives the verdicts of the whole-timeline function', () => {
    fc.assert(
      fc.property(timeline(false), nowAfter, ({ events, evaluateBefore }, extra) => {
        const now = lastAt(events) + extra;
        const audit = new HandlingAudit();
        const incremental = new Map();
        events.forEach((e, i) => {
          // Evaluating in between, at the time of the next event, changes nothing.
          if (evaluateBefore[i]) for (const u of audit.evaluate(e.at)) incremental.set(u.errorId, u.verdict);
          for (const u of audit.add(e)) incremental.set(u.errorId, u.verdict);
        });
        for (const u of audit.evaluate(now)) incremental.set(u.errorId, u.verdict);
        expect(incremental).toEqual(auditTimeline(events, now));
        // Whatever stays open is exactly what is not final.
        for (const u of audit.openVerdicts()) expect(u.verdict.final).toBe(false);
        for (const [id, v] of incremental) if (!v.final) expect(audit.verdictOf(id)).toEqual(v);
      }),
      { numRuns: 400 },
    );
  });

  it('traffic of other families, or of other methods, never changes a verdict', () => {
    const extra = fc.record({
      position: fc.nat(),
      otherFamily: fc.boolean(),
      dc: nullable([1, 2, 4]),
      fingerprint: nullable(['p1', 'p2']),
      authKeyId: nullable(['k1', 'k2']),
    });
    fc.assert(
      fc.property(timeline(true), fc.array(extra, { minLength: 1, maxLength: 10 }), nowAfter, ({ events }, extras, later) => {
        const now = lastAt(events) + later;
        const before = auditTimeline(events, now);
        const mixed = [...events];
        let k = 0;
        for (const x of extras) {
          // After the hellos, at the time of the event before it: the timeline stays in order.
          const at = 2 + (x.position % (mixed.length - 1));
          const unrelated: RequestSighting = {
            kind: 'request',
            requestId: `extra-${k++}`,
            at: mixed[at - 1].at,
            method: x.otherFamily ? 'messages.sendMessage' : 'unrelated.ping',
            dc: x.dc,
            family: x.otherFamily ? 'elsewhere' : 'f1',
            fingerprint: x.fingerprint,
            authKeyId: x.authKeyId,
            msgId: x.otherFamily ? 'm1' : `z${k}`,
          };
          mixed.splice(at, 0, unrelated);
        }
        const after = auditTimeline(mixed, now);
        const sameFamilyAdded = extras.some((x) => !x.otherFamily);
        expect([...after.keys()]).toEqual([...before.keys()]);
        for (const [id, v] of before) {
          // A 401 counts every call on its key: another method on its family is related to it.
          if (sameFamilyAdded && v.rule.id === 'unauthorized') continue;
          expect(after.get(id)).toEqual(v);
        }
        expect(engineVerdicts(mixed, now)).toEqual(after);
      }),
      { numRuns: 300 },
    );
  });

  it('restore(save(s)) judges every following event and evaluation exactly as s (the state outlives the service worker)', () => {
    const limits = fc.constantFrom({}, { maxOpenErrors: 3, maxRememberedRequests: 2, maxFamilies: 1 });
    fc.assert(
      fc.property(timeline(false), fc.nat(), nowAfter, limits, ({ events, evaluateBefore }, cut, extra, lim) => {
        const split = events.length === 0 ? 0 : cut % (events.length + 1);
        const original = new HandlingAudit(lim);
        const feed = (audit: HandlingAudit, i: number) => [...(evaluateBefore[i] ? audit.evaluate(events[i].at) : []), ...audit.add(events[i])];
        for (let i = 0; i < split; i++) feed(original, i);
        // Through JSON, as strict as any storage (IndexedDB's structured clone keeps more).
        const saved = JSON.parse(JSON.stringify(original.save()));
        const restored = HandlingAudit.restore(saved, lim);
        expect(restored.save()).toEqual(saved);
        expect(restored.stats).toEqual(original.stats);
        expect(restored.openVerdicts()).toEqual(original.openVerdicts());
        for (let i = split; i < events.length; i++) expect(feed(restored, i)).toEqual(feed(original, i));
        const now = lastAt(events) + extra;
        expect(restored.evaluate(now)).toEqual(original.evaluate(now));
        expect(restored.stats).toEqual(original.stats);
        expect(restored.openVerdicts()).toEqual(original.openVerdicts());
      }),
      { numRuns: 400 },
    );
  });

  it('restore takes anything: garbage gives a fresh engine, a trimmed save pairs fewer requests', () => {
    fc.assert(
      fc.property(fc.anything(), (junk) => {
        const audit = HandlingAudit.restore(junk);
        audit.add({ kind: 'request', requestId: 'x', at: T0, method: 'help.getConfig', dc: 2, family: 'f1', fingerprint: null, authKeyId: null, msgId: 'm1' });
        audit.evaluate(T0 + 1000);
      }),
      { numRuns: 200 },
    );
    const broken = {
      v: 1,
      clock: 'x',
      open: [null, { error: { kind: 'error', id: 'no' } }, 5],
      requests: [{ kind: 'request' }, 7],
      families: [1, 'f1'],
      dropped: null,
    };
    expect(() => HandlingAudit.restore(broken).evaluate(T0)).not.toThrow();
    const audit = new HandlingAudit();
    for (let i = 0; i < 10; i++)
      audit.add({
        kind: 'request',
        requestId: `r${i}`,
        at: T0 + i,
        method: 'help.getConfig',
        dc: 2,
        family: 'f1',
        fingerprint: null,
        authKeyId: null,
        msgId: `m${i}`,
      });
    const trimmed = audit.save({ maxRequests: 4 });
    expect(trimmed.requests.map((r) => r.msgId)).toEqual(['m6', 'm7', 'm8', 'm9']);
    expect(HandlingAudit.restore(trimmed).stats.rememberedRequests).toBe(4);
  });

  it('a final verdict carries decidedAt and no pendingUntil; one still open says until when; only a violation is certain before it is final', () => {
    fc.assert(
      fc.property(timeline(true), nowAfter, ({ events }, extra) => {
        for (const v of auditTimeline(events, lastAt(events) + extra).values()) {
          if (v.final) expect(v.decidedAt !== null && v.pendingUntil === null).toBe(true);
          else expect(v.pendingUntil).not.toBeNull();
          if (v.verdict === 'pending') expect(v.final).toBe(false);
          // Certain but not final: a violation whose count can still grow.
          if (!v.final && v.decidedAt !== null) expect(v.verdict).toBe('violation');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a verdict is said as soon as it is certain, and a certain verdict never changes', () => {
    // Decided by the window closing, not by a request: said when the window has closed.
    const decidedByTime = new Set(['given-up', 'not-resent']);
    fc.assert(
      fc.property(timeline(true), nowAfter, ({ events, evaluateBefore }, extra) => {
        const audit = new HandlingAudit();
        const errorAt = new Map<number, number>();
        const certain = new Map<number, { verdict: string; decidedAt: string }>();
        const see = (updates: VerdictUpdate[], at: number) => {
          for (const { errorId, verdict: v } of updates) {
            const was = certain.get(errorId);
            if (was !== undefined) {
              expect({ verdict: v.verdict, decidedAt: v.decidedAt }).toEqual(was);
              continue;
            }
            if (v.decidedAt === null) continue;
            certain.set(errorId, { verdict: v.verdict, decidedAt: v.decidedAt });
            if (v.verdict === 'violation' && !decidedByTime.has(v.finding)) {
              // Said when the deciding request came (or when the error joined a chain already decided).
              expect(at).toBeLessThanOrEqual(Math.max(Date.parse(v.decidedAt), errorAt.get(errorId) ?? -Infinity));
            }
          }
        };
        events.forEach((e, i) => {
          if (evaluateBefore[i]) see(audit.evaluate(e.at), e.at);
          if (e.kind === 'error') errorAt.set(e.id, e.at);
          see(audit.add(e), e.at);
        });
        see(audit.evaluate(lastAt(events) + extra), lastAt(events) + extra);
      }),
      { numRuns: 300 },
    );
  });

  it('every error of a retry chain carries the chain, and the same verdict', () => {
    fc.assert(
      fc.property(timeline(true), nowAfter, ({ events }, extra) => {
        const verdicts = auditTimeline(events, lastAt(events) + extra);
        const members = new Map<number, number[]>();
        for (const [id, v] of verdicts) {
          if (v.retryChain === undefined) continue;
          members.set(v.retryChain.id, [...(members.get(v.retryChain.id) ?? []), id]);
        }
        for (const [chainId, ids] of members) {
          const chain = verdicts.get(chainId)!;
          expect(chain.retryChain!.id).toBe(chainId);
          expect(ids.length).toBeGreaterThanOrEqual(2);
          for (const id of ids) expect(verdicts.get(id)).toEqual(chain);
          // Each error of the chain answers one attempt, the first error the first attempt.
          const answered = chain.retryChain!.attempts.map((a) => a.errorId).filter((x) => x !== null);
          expect([...answered].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
          expect(chain.retryChain!.attempts[0]).toMatchObject({ errorId: chainId, gapMs: null, requestId: null });
          for (const a of chain.retryChain!.attempts.slice(1)) expect(a.gapMs).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('the generated timelines', () => {
  it('reach every verdict kind and most findings (so the properties above have teeth)', () => {
    const kinds = new Set<string>();
    const findings = new Set<string>();
    const patterns = new Set<string>();
    let certainNotFinal = 0;
    for (const { events } of fc.sample(fc.oneof(timeline(true), timeline(false)), { numRuns: 800, seed: 7 })) {
      for (const v of auditTimeline(events, lastAt(events) + 30_000).values()) {
        kinds.add(v.verdict);
        findings.add(v.finding);
        if (v.retryChain !== undefined) patterns.add(`${v.rule.id}:${v.retryChain.pattern}`);
      }
      for (const v of auditTimeline(events, lastAt(events)).values()) if (!v.final && v.decidedAt !== null) certainNotFinal++;
    }
    // Retry chains of several rules, and verdicts certain before their window closed.
    expect(patterns).toContain('server-error:tight-loop');
    expect(new Set([...patterns].map((p) => p.split(':')[0])).size).toBeGreaterThanOrEqual(4);
    expect(certainNotFinal).toBeGreaterThan(20);
    expect([...kinds].sort()).toEqual(['not-observable', 'ok', 'pending', 'violation']);
    expect(findings.size, [...findings].sort().join(' ')).toBeGreaterThanOrEqual(24);
    for (const f of [
      'tight-loop',
      'early-retry',
      'given-up',
      'identical-repeat',
      'calls-before-reauth',
      'resent-same-msg-id',
      'repeated-on-wrong-dc',
      'no-requests-visible',
    ]) {
      expect(findings).toContain(f);
    }
  });
});
