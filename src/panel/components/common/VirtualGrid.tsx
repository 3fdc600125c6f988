import type { VNode } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { isNavKey, moveSelection, scrollToReveal } from '../../model/keyboard-nav.ts';

const OVERSCAN = 8;

export interface GridColumn {
  /** The cell class the rows use for the column too. */
  class: string;
  label: string;
  title?: string;
}

interface Props {
  /** The grid's accessible name. */
  label: string;
  class: string;
  /** Rows that can be selected (records, calls). */
  count: number;
  /** Slots drawn: the rows plus any dividers the caller places among them (default: count). */
  slotCount?: number;
  /** The slot row `index` is drawn in (default: the same number). */
  slotOfRow?: (index: number) => number;
  /** Draws one slot, `top` pixels down the list; only the visible slots (and a few more) are drawn. */
  renderSlot: (slot: number, top: number) => VNode;
  rowHeight: number;
  /** The selected row, -1 for none. */
  selectedIndex: number;
  /** The DOM id of the selected row (aria-activedescendant). */
  selectedDomId?: string;
  onSelect: (index: number) => void;
  /** Enter on the selected row. */
  onOpen: (index: number) => void;
  /** Keep the newest (last) row in view unless the user scrolled away from it, as the Network panel. */
  followNewest?: boolean;
  /** The header row's columns, above the scrolled rows. */
  columns: readonly GridColumn[];
  /** Class of the header row, besides `row header`. */
  headerClass?: string;
  gridRef?: { current: HTMLDivElement | null };
}

/**
 * A virtualized grid of fixed-height rows: only the visible rows exist in the DOM, so 100,000
 * stay fast. It is one focusable grid: arrows, Page Up/Down, Home and End move the selection
 * (aria-activedescendant names the row), a row selected by keyboard or from elsewhere is
 * scrolled into view, and Enter opens it.
 */
export function VirtualGrid(props: Props) {
  const { count, rowHeight, selectedIndex, followNewest = false } = props;
  const slotCount = props.slotCount ?? count;
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  // Whether the list shows its newest row and should keep doing so (followNewest only).
  const following = useRef(followNewest);
  const atBottom = (el: HTMLDivElement) => followNewest && el.scrollTop + el.clientHeight >= el.scrollHeight - rowHeight;

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
  }, [slotCount, height]);

  // A row selected by keyboard (or from elsewhere) is scrolled into view.
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!el || selectedIndex < 0) return;
    const slot = props.slotOfRow ? props.slotOfRow(selectedIndex) : selectedIndex;
    const target = scrollToReveal(slot, rowHeight, el.scrollTop, el.clientHeight);
    if (target !== null) {
      el.scrollTop = target;
      following.current = atBottom(el);
      setScrollTop(el.scrollTop);
    }
  }, [selectedIndex]);

  const onScroll = () => {
    const el = viewport.current!;
    following.current = atBottom(el);
    setScrollTop(el.scrollTop);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (isNavKey(event.key)) {
      event.preventDefault();
      const next = moveSelection(event.key, selectedIndex, count, Math.floor(height / rowHeight));
      if (next >= 0) props.onSelect(next);
      // Moving to the last row means following the newest again.
      following.current = followNewest && next === count - 1;
    } else if (event.key === 'Enter' && selectedIndex >= 0) {
      event.preventDefault();
      props.onOpen(selectedIndex);
    }
  };

  // While following the newest row, the rows drawn are the last ones already: the effect above
  // then only moves the scrollbar there, instead of a second render with the rows it reveals.
  // (Within a pixel of it, the scroll position the browser settled on is kept as it is.)
  const bottom = Math.max(0, slotCount * rowHeight - height);
  const top = following.current && Math.abs(scrollTop - bottom) > 1 ? bottom : scrollTop;
  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(slotCount, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const rows: VNode[] = [];
  for (let slot = first; slot < last; slot++) rows.push(props.renderSlot(slot, slot * rowHeight));
  // The selected row stays in the DOM when scrolled away, so aria-activedescendant names a real element.
  const selectedSlot = selectedIndex >= 0 && selectedIndex < count ? (props.slotOfRow ? props.slotOfRow(selectedIndex) : selectedIndex) : -1;
  if (selectedSlot >= 0 && (selectedSlot < first || selectedSlot >= last)) rows.push(props.renderSlot(selectedSlot, selectedSlot * rowHeight));

  return (
    <div
      class={props.class}
      role="grid"
      aria-label={props.label}
      aria-rowcount={count}
      tabIndex={0}
      ref={props.gridRef}
      aria-activedescendant={selectedIndex >= 0 ? props.selectedDomId : undefined}
      onKeyDown={onKeyDown}
    >
      <div class={props.headerClass ? `row header ${props.headerClass}` : 'row header'} role="row">
        {props.columns.map((column) => (
          <span key={column.class} role="columnheader" class={column.class} title={column.title}>
            {column.label}
          </span>
        ))}
      </div>
      <div class="viewport" ref={viewport} onScroll={onScroll} role="rowgroup">
        <div class="spacer" style={{ height: `${slotCount * rowHeight}px` }}>
          {rows}
        </div>
      </div>
    </div>
  );
}
