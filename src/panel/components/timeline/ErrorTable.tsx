import { useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ErrorRecord } from '../../../core/record.ts';
import type { NavigationMarker } from '../../../shared/messages.ts';
import { isNavKey, moveSelection, scrollToReveal } from '../../model/keyboard-nav.ts';
import { lowerBoundById } from '../../model/lower-bound.ts';
import { layoutTimeline, slotAt, slotOfRecord } from '../../model/timeline-items.ts';
import { ErrorRow, rowDomId } from './ErrorRow.tsx';
import { MarkerRow } from './MarkerRow.tsx';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;
/** How close to the bottom still counts as "following the newest row". */
const FOLLOW_SLACK = ROW_HEIGHT;

interface Props {
  records: ErrorRecord[];
  markers: readonly NavigationMarker[];
  selectedId: number | null;
  onSelect: (id: number | null) => void;
  /** Enter or a click: show the record's details. */
  onOpen: (id: number) => void;
  tableRef?: { current: HTMLDivElement | null };
  /** Fewer columns, while the detail pane takes the room. */
  compact?: boolean;
}

/**
 * A virtualized timeline: only the visible rows exist in the DOM, so 100,000 rows stay fast.
 * It is one focusable grid; arrows move the selection (aria-activedescendant names the row).
 */
export function ErrorTable({ records, markers, selectedId, onSelect, onOpen, tableRef, compact = false }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const following = useRef(true);
  const layout = useMemo(() => layoutTimeline(records, markers), [records, markers]);

  const selectedIndex = useMemo(() => {
    if (selectedId === null) return -1;
    const i = lowerBoundById(records, selectedId);
    return records[i]?.id === selectedId ? i : -1;
  }, [records, selectedId]);

  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setHeight(el.clientHeight));
    observer.observe(el);
    setHeight(el.clientHeight);
    return () => observer.disconnect();
  }, []);

  // Keep the newest row in view unless the user scrolled away from it.
  useLayoutEffect(() => {
    const el = viewport.current;
    if (el && following.current) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [layout.slotCount, height]);

  // A row selected by keyboard (or from elsewhere) is scrolled into view.
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el || selectedIndex < 0) return;
    const target = scrollToReveal(slotOfRecord(layout, selectedIndex), ROW_HEIGHT, el.scrollTop, el.clientHeight);
    if (target !== null) {
      el.scrollTop = target;
      following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - FOLLOW_SLACK;
      setScrollTop(el.scrollTop);
    }
  }, [selectedIndex]);

  const onScroll = () => {
    const el = viewport.current!;
    following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - FOLLOW_SLACK;
    setScrollTop(el.scrollTop);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (isNavKey(event.key)) {
      event.preventDefault();
      const next = moveSelection(event.key, selectedIndex, records.length, Math.floor(height / ROW_HEIGHT));
      if (next >= 0) onSelect(records[next].id);
      // Moving to the last row means following the newest again, as in the Network panel.
      following.current = next === records.length - 1;
    } else if (event.key === 'Enter' && selectedIndex >= 0) {
      event.preventDefault();
      onOpen(records[selectedIndex].id);
    }
  };

  // While following the newest row, the rows drawn are the last ones already: the effect above
  // then only moves the scrollbar there, instead of a second render with the rows it reveals.
  // (Within a pixel of it, the scroll position the browser settled on is kept as it is.)
  const bottom = Math.max(0, layout.slotCount * ROW_HEIGHT - height);
  const top = following.current && Math.abs(scrollTop - bottom) > 1 ? bottom : scrollTop;
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(layout.slotCount, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let slot = first; slot < last; slot++) {
    const item = slotAt(layout, slot);
    if (item.kind === 'marker') {
      rows.push(<MarkerRow key={`m${item.marker.beforeId}:${item.marker.at}`} marker={item.marker} top={slot * ROW_HEIGHT} />);
      continue;
    }
    const record = records[item.index];
    rows.push(<ErrorRow key={record.id} record={record} top={slot * ROW_HEIGHT} selected={record.id === selectedId} onOpen={onOpen} />);
  }

  return (
    <div
      class={compact ? 'table compact' : 'table'}
      role="grid"
      aria-label="Telegram API errors"
      aria-rowcount={records.length}
      tabIndex={0}
      ref={tableRef}
      aria-activedescendant={selectedIndex >= 0 ? rowDomId(selectedId!) : undefined}
      onKeyDown={onKeyDown}
    >
      <div class="row header" role="row">
        <span role="columnheader" class="c-time">
          Time
        </span>
        <span role="columnheader" class="c-code">
          Code
        </span>
        <span
          role="columnheader"
          class="c-handling"
          title="Handling: whether the client then did what Telegram prescribes (✓ ok, ✕ violation, … watching, – not observable)"
        >
          Handling
        </span>
        <span role="columnheader" class="c-class">
          Class
        </span>
        <span role="columnheader" class="c-type">
          Type
        </span>
        <span role="columnheader" class="c-params">
          Params
        </span>
        <span role="columnheader" class="c-method">
          Method
        </span>
        <span role="columnheader" class="c-dc" title="The data center that answered">
          DC
        </span>
        <span role="columnheader" class="c-channel">
          Channel
        </span>
        <span role="columnheader" class="c-url">
          URL
        </span>
      </div>
      <div class="viewport" ref={viewport} onScroll={onScroll} role="rowgroup">
        <div class="spacer" style={{ height: `${layout.slotCount * ROW_HEIGHT}px` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
