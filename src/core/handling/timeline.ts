// The audit over a whole timeline at once, for imported logs and as the reference the
// incremental engine is tested against. Quadratic in the timeline's length and without the
// engine's memory caps; for timelines within those caps both give the same verdicts.

import { clampTime, completeFromRequest, normalizeEvent, type AuditError, type AuditItem, type AuditRequest } from './normalize.ts';
import { MAX_CHAIN_ERRORS, retryChainKey } from './retry-chain.ts';
import { chainDeadlineOf, isRelated, judge, ruleFor } from './rules.ts';
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
  /** Index in the items of each member (the root's first). */
  memberIndex: number[];
}

/**
 * The chain's verdict from the items before `end` (exclusive), as of `now`.
 *
 * A final verdict is final: it rests on the events up to the one that made it final, and what
 * comes after (a later request of the same call, even within the window) is not part of it; that
 * request belongs to what follows (say, the error that answers it, which starts a chain of its
 * own). So the chain is judged at each event that can change its verdict, in order, as the
 * incremental engine does (at its first error, at the family's first request after it, at each
 * related request, at each error that joins it, and once time passes its window), and the first
 * final verdict is the verdict.
 */
function judgeChain(items: readonly AuditItem[], chain: Chain, end: number, now: number): HandlingVerdict {
  let firstFamilyRequestAt: number | null = null;
  const related: AuditRequest[] = [];
  let members = chain.members.slice(0, 1);
  let deadline = chainDeadlineOf(members, chain.rule);
  const judgeAt = (at: number): HandlingVerdict =>
    judge({ error: chain.root, rule: chain.rule, familySeenBefore: chain.familySeenBefore, firstFamilyRequestAt, related, members, now: at });
  let verdict = judgeAt(chain.root.at);
  if (verdict.final) return verdict;
  for (let j = chain.index + 1; j < end; j++) {
    const item = items[j];
    // Time passing the window closes it before the event is taken in.
    if (deadline !== null && item.at > deadline) {
      verdict = judgeAt(item.at);
      if (verdict.final) return verdict;
    }
    let changed = false;
    if (item.kind === 'request' && item.family === chain.root.family) {
      if (firstFamilyRequestAt === null) {
        firstFamilyRequestAt = item.at;
        changed = true;
      }
      if (isRelated(chain.root, chain.rule, item)) {
        related.push(item);
        changed = true;
      }
    } else if (members.length < chain.memberIndex.length && chain.memberIndex[members.length] === j) {
      members = chain.members.slice(0, members.length + 1);
      deadline = chainDeadlineOf(members, chain.rule);
      changed = true;
    }
    if (changed) {
      verdict = judgeAt(item.at);
      if (verdict.final) return verdict;
    }
  }
  return judgeAt(now);
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
          chain.memberIndex.push(i);
          joined = true;
        }
        break;
      }
    }
    if (!joined) chains.push({ root: error, index: i, rule, key, familySeenBefore, members: [error], memberIndex: [i] });
  }
  const verdicts = new Map<number, HandlingVerdict>();
  for (const chain of chains) {
    const verdict = judgeChain(items, chain, items.length, end);
    for (const m of chain.members) verdicts.set(m.id, verdict);
  }
  return verdicts;
}
