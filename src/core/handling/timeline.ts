// The audit over a whole timeline at once, for imported logs and as the reference the
// incremental engine is tested against. Quadratic in the timeline's length and without the
// engine's memory caps; for timelines within those caps both give the same verdicts.

import { clampTime, completeFromRequest, normalizeEvent, type AuditItem, type AuditRequest } from './normalize.ts';
import { isRelated, judge, ruleFor } from './rules.ts';
import type { AuditEvent, HandlingVerdict } from './types.ts';

/** Verdicts by error id for events in time order, as of `now` (epoch ms). Never throws. */
export function auditTimeline(events: readonly AuditEvent[], now: number): Map<number, HandlingVerdict> {
  const items: AuditItem[] = [];
  let clock = -Infinity;
  for (const event of events) {
    const item = normalizeEvent(event, clock);
    if (item === null) continue;
    items.push(item);
    clock = item.at;
  }
  const end = clampTime(now, clock);
  const verdicts = new Map<number, HandlingVerdict>();
  for (let i = 0; i < items.length; i++) {
    const raw = items[i];
    if (raw.kind !== 'error') continue;
    let source: AuditRequest | null = null;
    let familySeenBefore = false;
    for (let j = i - 1; j >= 0; j--) {
      const r = items[j];
      if (r.kind !== 'request' || r.family !== raw.family) continue;
      familySeenBefore = true;
      if (raw.msgId !== null && r.msgId === raw.msgId) {
        source = r;
        break;
      }
      if (raw.msgId === null) break;
    }
    const error = completeFromRequest(raw, source);
    const rule = ruleFor(error);
    const followers: AuditRequest[] = [];
    for (let j = i + 1; j < items.length; j++) {
      const r = items[j];
      if (r.kind === 'request' && r.family === error.family) followers.push(r);
    }
    verdicts.set(
      error.id,
      judge({
        error,
        rule,
        familySeenBefore,
        firstFamilyRequestAt: followers[0]?.at ?? null,
        related: followers.filter((r) => isRelated(error, rule, r)),
        now: end,
      }),
    );
  }
  return verdicts;
}
