// The audit over a whole timeline at once, for imported logs and as the reference the
// incremental engine is tested against. Quadratic in the timeline's length and without the
// engine's memory caps; for timelines within those caps both give the same verdicts.

import { clampTime, completeFromRequest, normalizeEvent, type AuditError, type AuditItem, type AuditRequest } from './normalize.ts';
import { MAX_CHAIN_ERRORS, retryChainKey } from './retry-chain.ts';
import { isRelated, judge, ruleFor } from './rules.ts';
import type { AuditEvent, HandlingRuleId, HandlingVerdict } from './types.ts';

/** An error with the errors that retried its call (its retry chain). */
interface Chain {
  root: AuditError;
  /** Index of the root in the items. */
  index: number;
  rule: HandlingRuleId;
  key: string | null;
  familySeenBefore: boolean;
  members: AuditError[];
}

/** The chain's verdict from the items before `end` (exclusive), as of `now`. */
function judgeChain(items: readonly AuditItem[], chain: Chain, end: number, now: number): HandlingVerdict {
  const followers: AuditRequest[] = [];
  for (let j = chain.index + 1; j < end; j++) {
    const r = items[j];
    if (r.kind === 'request' && r.family === chain.root.family) followers.push(r);
  }
  return judge({
    error: chain.root,
    rule: chain.rule,
    familySeenBefore: chain.familySeenBefore,
    firstFamilyRequestAt: followers[0]?.at ?? null,
    related: followers.filter((r) => isRelated(chain.root, chain.rule, r)),
    members: chain.members,
    now,
  });
}

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
  const chains: Chain[] = [];
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
    const key = retryChainKey(error, rule);
    // The latest chain of the same call, if its verdict could still change when this error came.
    let joined = false;
    if (key !== null) {
      for (let k = chains.length - 1; k >= 0; k--) {
        const chain = chains[k];
        if (chain.key !== key) continue;
        if (chain.members.length < MAX_CHAIN_ERRORS && !judgeChain(items, chain, i, error.at).final) {
          chain.members.push(error);
          joined = true;
        }
        break;
      }
    }
    if (!joined) chains.push({ root: error, index: i, rule, key, familySeenBefore, members: [error] });
  }
  const verdicts = new Map<number, HandlingVerdict>();
  for (const chain of chains) {
    const verdict = judgeChain(items, chain, items.length, end);
    for (const m of chain.members) verdicts.set(m.id, verdict);
  }
  return verdicts;
}
