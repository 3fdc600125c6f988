// Values derived from a record that the pure filter and overview functions read many times:
// computed once per record. They live on the record under a non-enumerable symbol key, which
// JSON, structured clone and equality checks all ignore, so the record stays the plain data
// every boundary expects. (The panel itself filters through RecordIndex, which keeps the same
// values in typed arrays beside the log; these serve the reference functions it is tested against.)

import type { ErrorRecord } from '../../core/record.ts';

interface Facts {
  capturedMs: number;
  /** Epoch ms of `action.retryAt`, or NaN when the record is no wait. */
  retryMs: number;
  /** Lower-case type, message, method and URL, joined by newlines; built on first search. */
  searchKey: string | null;
}

const FACTS = Symbol('record facts');
type WithFacts = ErrorRecord & { [FACTS]?: Facts };

function factsOf(record: ErrorRecord): Facts {
  const r = record as WithFacts;
  let facts = r[FACTS];
  if (facts === undefined) {
    facts = {
      capturedMs: Date.parse(record.capturedAt),
      retryMs: record.action.retryAt === undefined ? Number.NaN : Date.parse(record.action.retryAt),
      searchKey: null,
    };
    Object.defineProperty(r, FACTS, { value: facts, enumerable: false, writable: false, configurable: false });
  }
  return facts;
}

export function searchKeyOf(record: ErrorRecord): string {
  const facts = factsOf(record);
  return (facts.searchKey ??= `${record.type ?? ''}\n${record.message}\n${record.method ?? ''}\n${record.url ?? ''}`.toLowerCase());
}

export function capturedMsOf(record: ErrorRecord): number {
  return factsOf(record).capturedMs;
}

/** NaN for records without a wait. */
export function retryMsOf(record: ErrorRecord): number {
  return factsOf(record).retryMs;
}

/** The key the overview's "top types" and the type filter group by: FLOOD_WAIT_17 and _30 are one. */
export function typeKeyOf(record: ErrorRecord): string {
  return record.template ?? record.type ?? record.message;
}
