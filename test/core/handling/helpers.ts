import { expect } from 'vitest';
import {
  HandlingAudit,
  auditTimeline,
  type AuditEvent,
  type ErrorSighting,
  type HandlingVerdict,
  type RequestSighting,
} from '../../../src/core/handling/index.ts';

export const T0 = Date.parse('2026-11-21T12:00:00.000Z');
/** Epoch ms `sec` seconds after T0. */
export const s = (sec: number): number => T0 + Math.round(sec * 1000);

export function err(id: number, over: Partial<ErrorSighting> = {}): ErrorSighting {
  return {
    kind: 'error',
    id,
    at: s(0),
    code: 500,
    class: 'INTERNAL',
    type: 'INTERNAL',
    params: {},
    method: 'messages.sendMessage',
    dc: 2,
    family: 'tab',
    authKeyId: 'aaaa000000000000',
    fingerprint: 'fp-1',
    msgId: null,
    ...over,
  };
}

let requestCounter = 0;
export function req(sec: number, over: Partial<RequestSighting> = {}): RequestSighting {
  return {
    kind: 'request',
    requestId: `r${++requestCounter}`,
    at: s(sec),
    method: 'messages.sendMessage',
    dc: 2,
    family: 'tab',
    fingerprint: 'fp-1',
    authKeyId: 'aaaa000000000000',
    msgId: null,
    ...over,
  };
}

/** The engine fed event by event, then evaluate(now): the last verdict reported per error. */
export function engineVerdicts(events: readonly AuditEvent[], now: number, audit = new HandlingAudit()): Map<number, HandlingVerdict> {
  const out = new Map<number, HandlingVerdict>();
  for (const e of events) for (const u of audit.add(e)) out.set(u.errorId, u.verdict);
  for (const u of audit.evaluate(now)) out.set(u.errorId, u.verdict);
  return out;
}

/** Both ways, checked equal; the verdict of error `id`. */
export function verdict(events: readonly AuditEvent[], now: number, id = 1): HandlingVerdict {
  const whole = auditTimeline(events, now);
  expect(engineVerdicts(events, now)).toEqual(whole);
  const v = whole.get(id);
  if (v === undefined) throw new Error(`no verdict for ${id}`);
  return v;
}

/** A request that makes the family visible (sent before the error). */
export const hello = (): RequestSighting => req(-1, { method: 'help.getConfig', fingerprint: null });
