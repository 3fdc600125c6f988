import { useMemo } from 'preact/hooks';
import type { ErrorRecord } from '../../../core/record.ts';
import type { NavigationMarker } from '../../../shared/messages.ts';
import { lowerBoundById } from '../../model/lower-bound.ts';
import { layoutTimeline, slotAt, slotOfRecord } from '../../model/timeline-items.ts';
import { VirtualGrid, type GridColumn } from '../common/VirtualGrid.tsx';
import { ErrorRow, rowDomId } from './ErrorRow.tsx';
import { MarkerRow } from './MarkerRow.tsx';

export const ROW_HEIGHT = 22;

const COLUMNS: readonly GridColumn[] = [
  { class: 'c-time', label: 'Time' },
  { class: 'c-code', label: 'Code' },
  {
    class: 'c-handling',
    label: 'Handling',
    title: 'Handling: whether the client then did what Telegram prescribes (✓ ok, ✕ violation, … watching, – not observable)',
  },
  { class: 'c-class', label: 'Class' },
  { class: 'c-type', label: 'Type' },
  { class: 'c-params', label: 'Params' },
  { class: 'c-method', label: 'Method' },
  { class: 'c-dc', label: 'DC', title: 'The data center that answered' },
  { class: 'c-channel', label: 'Channel' },
  { class: 'c-url', label: 'URL' },
];

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
 * The timeline: a virtualized grid (only the visible rows are in the DOM, so 100,000 rows stay
 * fast) of the records, with a divider where "Preserve log" saw the page load again. It follows
 * the newest row unless the user scrolled away from it.
 */
export function ErrorTable({ records, markers, selectedId, onSelect, onOpen, tableRef, compact = false }: Props) {
  const layout = useMemo(() => layoutTimeline(records, markers), [records, markers]);

  const selectedIndex = useMemo(() => {
    if (selectedId === null) return -1;
    const i = lowerBoundById(records, selectedId);
    return records[i]?.id === selectedId ? i : -1;
  }, [records, selectedId]);

  const renderSlot = (slot: number, top: number) => {
    const item = slotAt(layout, slot);
    if (item.kind === 'marker') return <MarkerRow key={`m${item.marker.beforeId}:${item.marker.at}`} marker={item.marker} top={top} />;
    const record = records[item.index];
    return <ErrorRow key={record.id} record={record} top={top} selected={record.id === selectedId} onOpen={onOpen} />;
  };

  return (
    <VirtualGrid
      label="Telegram API errors"
      class={compact ? 'table compact' : 'table'}
      count={records.length}
      slotCount={layout.slotCount}
      slotOfRow={(index) => slotOfRecord(layout, index)}
      renderSlot={renderSlot}
      rowHeight={ROW_HEIGHT}
      selectedIndex={selectedIndex}
      selectedDomId={selectedId === null ? undefined : rowDomId(selectedId)}
      onSelect={(index) => onSelect(records[index].id)}
      onOpen={(index) => onOpen(records[index].id)}
      followNewest
      gridRef={tableRef}
      columns={COLUMNS}
    />
  );
}
