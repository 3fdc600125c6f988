// Links a 303 *_MIGRATE_X to what follows it: the same method tried on the DC it named.
// State is plain data so the background can keep it with the tab's log.

import type { ErrorRecord } from '../record.ts';

export interface PendingRedirect {
  method: string;
  /** A client repeats a call the way it made it (fetch again, a socket again). */
  channel: ErrorRecord['channel'];
  /** The DC the redirect named. */
  toDc: number;
  /** Id of the chain's first record. */
  chainId: number;
  /** Epoch ms of the redirect; a repeat much later is a new call, not a follow-up. */
  at: number;
}

/** How long after a redirect a failure of the same method counts as its repeat. */
const FOLLOW_UP_MS = 5 * 60_000;
const MAX_PENDING = 64;

/**
 * Sets `record.chainId` when the record continues a pending redirect, and starts or moves
 * a chain when the record is itself a redirect. Mutates `pending` and the record.
 */
export function linkRedirect(pending: PendingRedirect[], record: ErrorRecord): void {
  const at = Date.parse(record.capturedAt);
  const method = record.method;
  let chainId: number | null = null;
  if (method !== null) {
    const index = pending.findIndex(
      (p) => p.method === method && p.channel === record.channel && at - p.at <= FOLLOW_UP_MS && (record.dc === null || record.dc === p.toDc),
    );
    if (index !== -1) {
      chainId = pending[index].chainId;
      pending.splice(index, 1);
    }
  }
  if (record.action.kind === 'redirect' && record.action.dc !== undefined && method !== null) {
    chainId ??= record.id;
    pending.push({ method, channel: record.channel, toDc: record.action.dc, chainId, at });
    if (pending.length > MAX_PENDING) pending.splice(0, pending.length - MAX_PENDING);
  }
  record.chainId = chainId;
}
