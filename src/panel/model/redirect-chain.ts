// A DC redirect chain as the detail pane tells it: the query on DC a, the 303 that named
// DC b, the repeats on DC b and how the chain ended. Built from records sharing a chainId.

import type { ErrorRecord } from '../../core/record.ts';

export interface ChainStep {
  record: ErrorRecord;
  /** The DC that answered, when known. */
  dc: number | null;
  /** For a redirect: the DC it sent the query to. */
  toDc: number | null;
}

export interface RedirectChain {
  chainId: number;
  method: string | null;
  steps: ChainStep[];
  /** How the chain ended, in words. */
  outcome: string;
  /** True when the last step is a redirect nothing followed (no error seen after it). */
  open: boolean;
}

export function chainRecords(records: readonly ErrorRecord[], chainId: number): ErrorRecord[] {
  const found: ErrorRecord[] = [];
  for (const r of records) if (r.chainId === chainId) found.push(r);
  return found.sort((a, b) => a.id - b.id);
}

export function buildChain(records: readonly ErrorRecord[], chainId: number): RedirectChain | null {
  const members = chainRecords(records, chainId);
  if (members.length === 0) return null;
  const steps: ChainStep[] = members.map((record) => ({
    record,
    dc: record.dc,
    toDc: record.action.kind === 'redirect' && record.action.dc !== undefined ? record.action.dc : null,
  }));
  const last = steps[steps.length - 1];
  const open = last.toDc !== null;
  const outcome = open
    ? `No error was seen after the repeat on DC ${last.toDc}: it succeeded, or has not been made yet.`
    : `The repeat on DC ${last.dc ?? (steps.length > 1 ? steps[steps.length - 2].toDc : '?')} failed with ${last.record.code} ${last.record.type ?? last.record.message}.`;
  return { chainId, method: members[0].method, steps, outcome, open };
}
