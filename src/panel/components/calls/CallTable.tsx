import { useMemo } from 'preact/hooks';
import type { CallRecord } from '../../../core/calls/call.ts';
import { formatTime } from '../../model/format.ts';
import { dcLabel, methodLabel } from '../../model/call-view.ts';
import { lowerBoundById } from '../../model/lower-bound.ts';
import { isoFromEpochMs } from '../../../core/iso-time.ts';
import { VirtualGrid, type GridColumn } from '../common/VirtualGrid.tsx';
import { CLASS_LABEL } from '../timeline/ErrorRow.tsx';

export const CALL_ROW_HEIGHT = 22;

const COLUMNS: readonly GridColumn[] = [
  { class: 'c-time', label: 'Time' },
  { class: 'c-method', label: 'Method' },
  { class: 'c-dc', label: 'DC' },
  { class: 'c-channel', label: 'Channel' },
  { class: 'c-outcome', label: 'Outcome' },
  { class: 'c-duration', label: 'Duration' },
];

interface Props {
  /** In increasing id order (the call log's). */
  calls: CallRecord[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** Enter or a click on an error call: its record. */
  onOpenRecord: (recordId: number) => void;
}

const OUTCOME_TEXT: Record<CallRecord['outcome'], string> = { ok: 'ok', error: 'error', pending: 'pending…', unanswered: 'unanswered' };

export const callRowId = (id: number) => `call-${id}`;

const opensRecord = (call: CallRecord) => call.outcome === 'error' && call.recordId !== null;

/** The call log as a virtualized grid (as the errors timeline): arrows move, Enter or a click opens an error call's record. */
export function CallTable({ calls, selectedId, onSelect, onOpenRecord }: Props) {
  const selectedIndex = useMemo(() => {
    if (selectedId === null) return -1;
    const i = lowerBoundById(calls, selectedId);
    return calls[i]?.id === selectedId ? i : -1;
  }, [calls, selectedId]);

  const open = (call: CallRecord) => {
    if (opensRecord(call)) onOpenRecord(call.recordId!);
  };

  return (
    <VirtualGrid
      label="API calls"
      class="table call-table"
      count={calls.length}
      renderSlot={(i, top) => (
        <CallRow key={calls[i].id} call={calls[i]} top={top} selected={calls[i].id === selectedId} onClick={() => (onSelect(calls[i].id), open(calls[i]))} />
      )}
      rowHeight={CALL_ROW_HEIGHT}
      selectedIndex={selectedIndex}
      selectedDomId={selectedId === null ? undefined : callRowId(selectedId)}
      onSelect={(i) => onSelect(calls[i].id)}
      onOpen={(i) => open(calls[i])}
      columns={COLUMNS}
      headerClass="call-row"
    />
  );
}

function CallRow({ call: c, top, selected, onClick }: { call: CallRecord; top: number; selected: boolean; onClick: () => void }) {
  const opens = opensRecord(c);
  return (
    <div
      id={callRowId(c.id)}
      role="row"
      aria-selected={selected}
      class={`row call-row outcome-${c.outcome}${c.errorClass ? ` cls-${c.errorClass}` : ''}${selected ? ' selected' : ''}`}
      style={{ transform: `translateY(${top}px)` }}
      onClick={onClick}
      title={opens ? 'Open the error record' : undefined}
    >
      <span role="gridcell" class="c-time">
        {formatTime(isoFromEpochMs(c.at) ?? '')}
      </span>
      <span role="gridcell" class="c-method">
        {methodLabel(c.method)}
      </span>
      <span role="gridcell" class="c-dc">
        {dcLabel(c.dc)}
      </span>
      <span role="gridcell" class="c-channel">
        {c.channel}
      </span>
      <span role="gridcell" class="c-outcome">
        {OUTCOME_TEXT[c.outcome]}
        {c.errorClass ? (
          <span class="class-pill">
            {' '}
            {CLASS_LABEL[c.errorClass]}
            {c.waitSeconds !== undefined ? ` ${c.waitSeconds} s` : ''}
          </span>
        ) : null}
        {opens ? (
          <span class="open-hint" aria-hidden="true">
            {' '}
            ↗
          </span>
        ) : null}
      </span>
      <span role="gridcell" class="c-duration">
        {c.durationMs === null ? '—' : `${c.durationMs} ms`}
      </span>
    </div>
  );
}
