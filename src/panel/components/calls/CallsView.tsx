import { useMemo, useState } from 'preact/hooks';
import type { CallRecord } from '../../../core/calls/call.ts';
import { CALL_OUTCOMES, type CallOutcome } from '../../../core/calls/call.ts';
import { callMenus, filterCalls, methodLabel, methodTable, NO_CALL_FILTER, type CallFilter, type MethodPick } from '../../model/call-view.ts';
import { CallTable } from './CallTable.tsx';
import { MethodTable } from './MethodTable.tsx';

interface Props {
  calls: CallRecord[];
  dropped: number;
  filter: CallFilter;
  onFilter: (filter: CallFilter) => void;
  onOpenRecord: (recordId: number) => void;
}

const ANY = '';

/** The Calls view: the call log with its filters, a per-method table, and the calls themselves. */
export function CallsView({ calls, dropped, filter, onFilter, onOpenRecord }: Props) {
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const menus = useMemo(() => callMenus(calls), [calls]);
  const shown = useMemo(() => filterCalls(calls, filter), [calls, filter]);
  // The table counts what the window and search leave, across every method (the method filter picks a row).
  const table = useMemo(() => methodTable(filterCalls(calls, { ...filter, method: null })), [calls, filter]);
  const patch = (p: Partial<CallFilter>) => onFilter({ ...filter, ...p });
  const filtered = shown.length !== calls.length;

  return (
    <section class="calls-view" aria-label="Calls">
      <div class="toolbar filter-bar calls-filters" role="toolbar" aria-label="Call filters">
        <input
          type="search"
          class="search"
          placeholder="Search calls"
          aria-label="Search calls"
          value={filter.search}
          onInput={(e) => patch({ search: (e.currentTarget as HTMLInputElement).value })}
        />
        <label>
          Method{' '}
          <select
            aria-label="Filter calls by method"
            value={filter.method === null ? ANY : methodLabel(filter.method.name)}
            onChange={(e) => patch({ method: pickMethod(menus.methods, (e.currentTarget as HTMLSelectElement).value) })}
          >
            <option value={ANY}>any</option>
            {menus.methods.map((m) => (
              <option key={methodLabel(m)} value={methodLabel(m)}>
                {methodLabel(m)}
              </option>
            ))}
          </select>
        </label>
        <label>
          DC{' '}
          <select
            aria-label="Filter calls by DC"
            value={filter.dc ?? ANY}
            onChange={(e) => patch({ dc: (e.currentTarget as HTMLSelectElement).value || null })}
          >
            <option value={ANY}>any</option>
            {menus.dcs.map((dc) => (
              <option key={dc} value={dc}>
                {dc}
              </option>
            ))}
          </select>
        </label>
        <label>
          Outcome{' '}
          <select
            aria-label="Filter calls by outcome"
            value={filter.outcome ?? ANY}
            onChange={(e) => patch({ outcome: ((e.currentTarget as HTMLSelectElement).value || null) as CallOutcome | null })}
          >
            <option value={ANY}>any</option>
            {CALL_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        {filter.window ? (
          <span class="chip on window-chip">
            {filter.window.label}{' '}
            <button type="button" class="link-button" aria-label="Show all times" onClick={() => patch({ window: null })}>
              ✕
            </button>
          </span>
        ) : null}
        {filtered ? (
          <button type="button" class="tool-button" onClick={() => onFilter(NO_CALL_FILTER)}>
            Clear filters
          </button>
        ) : null}
        <span class="spacer-flex" />
        <span class="summary" role="status">
          {filtered ? `${shown.length.toLocaleString('en-US')} of ` : ''}
          {calls.length.toLocaleString('en-US')} calls{dropped > 0 ? ` (${dropped.toLocaleString('en-US')} older dropped)` : ''}
        </span>
      </div>
      {calls.length === 0 ? (
        <div class="empty">
          <h2>No calls yet</h2>
          <p>
            Every API call the inspector can read appears here: MTProto requests (plain, or encrypted once you give the session keys), JSON requests and calls
            at the worker boundary, with their outcome.
          </p>
        </div>
      ) : (
        <>
          <MethodTable rows={table} activeMethod={filter.method} onPick={(method) => patch({ method })} />
          <CallTable calls={shown} selectedId={selectedId} onSelect={setSelectedId} onOpenRecord={onOpenRecord} />
        </>
      )}
    </section>
  );
}

/** The menu's choice: any, or one method by its label ("(unknown method)" picks the calls of no known method). */
function pickMethod(methods: (string | null)[], label: string): MethodPick | null {
  if (label === ANY) return null;
  const found = methods.find((m) => methodLabel(m) === label);
  return found === undefined ? null : { name: found };
}
