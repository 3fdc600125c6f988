import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { CallRecord } from '../../../core/calls/call.ts';
import { isNavKey, moveSelection, scrollToReveal } from '../../model/keyboard-nav.ts';
import { formatTime } from '../../model/format.ts';
import { dcLabel, methodLabel } from '../../model/call-view.ts';
import { isoFromEpochMs } from '../../../core/iso-time.ts';

export const CALL_ROW_HEIGHT = 22;
const OVERSCAN = 8;

interface Props {
  calls: CallRecord[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** Enter or a click on an error call: its record. */
  onOpenRecord: (recordId: number) => void;
}

const OUTCOME_TEXT: Record<CallRecord['outcome'], string> = { ok: 'ok', error: 'error', pending: 'pending…', unanswered: 'unanswered' };

export const callRowId = (id: number) => `call-${id}`;

/** The call log as a grid: only the visible rows are in the DOM (as the errors timeline), arrows move, Enter opens an error's record. */
export function CallTable({ calls, selectedId, onSelect, onOpenRecord }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const selectedIndex = selectedId === null ? -1 : calls.findIndex((c) => c.id === selectedId);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el || selectedIndex < 0) return;
    const target = scrollToReveal(selectedIndex, CALL_ROW_HEIGHT, el.scrollTop, el.clientHeight);
    if (target !== null) {
      el.scrollTop = target;
      setScrollTop(target);
    }
  }, [selectedIndex]);

  const open = (call: CallRecord) => {
    if (call.outcome === 'error' && call.recordId !== null) onOpenRecord(call.recordId);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (isNavKey(event.key)) {
      event.preventDefault();
      const next = moveSelection(event.key, selectedIndex, calls.length, Math.floor(height / CALL_ROW_HEIGHT));
      if (next >= 0) onSelect(calls[next].id);
    } else if (event.key === 'Enter' && selectedIndex >= 0) {
      event.preventDefault();
      open(calls[selectedIndex]);
    }
  };

  const first = Math.max(0, Math.floor(scrollTop / CALL_ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(calls.length, Math.ceil((scrollTop + height) / CALL_ROW_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const c = calls[i];
    const opens = c.outcome === 'error' && c.recordId !== null;
    rows.push(
      <div
        key={c.id}
        id={callRowId(c.id)}
        role="row"
        aria-selected={c.id === selectedId}
        class={`row call-row outcome-${c.outcome}${c.errorClass ? ` cls-${c.errorClass}` : ''}${c.id === selectedId ? ' selected' : ''}`}
        style={{ transform: `translateY(${i * CALL_ROW_HEIGHT}px)` }}
        onClick={() => (onSelect(c.id), open(c))}
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
              {c.errorClass}
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
      </div>,
    );
  }

  return (
    <div
      class="table call-table"
      role="grid"
      aria-label="API calls"
      aria-rowcount={calls.length}
      tabIndex={0}
      aria-activedescendant={selectedIndex >= 0 ? callRowId(selectedId!) : undefined}
      onKeyDown={onKeyDown}
    >
      <div class="row header call-row" role="row">
        <span role="columnheader" class="c-time">
          Time
        </span>
        <span role="columnheader" class="c-method">
          Method
        </span>
        <span role="columnheader" class="c-dc">
          DC
        </span>
        <span role="columnheader" class="c-channel">
          Channel
        </span>
        <span role="columnheader" class="c-outcome">
          Outcome
        </span>
        <span role="columnheader" class="c-duration">
          Duration
        </span>
      </div>
      <div class="viewport" ref={viewport} onScroll={() => setScrollTop(viewport.current!.scrollTop)} role="rowgroup">
        <div class="spacer" style={{ height: `${calls.length * CALL_ROW_HEIGHT}px` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
