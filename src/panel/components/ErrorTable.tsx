import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ErrorRecord } from '../../core/record.ts';
import { ErrorRow } from './ErrorRow.tsx';

export const ROW_HEIGHT = 22;
const OVERSCAN = 8;
/** How close to the bottom still counts as "following the newest row". */
const FOLLOW_SLACK = ROW_HEIGHT;

interface Props {
  records: ErrorRecord[];
  selectedId: number | null;
  onSelect: (id: number) => void;
}

/** A virtualized timeline: only the visible rows exist in the DOM, so 100,000 rows stay fast. */
export function ErrorTable({ records, selectedId, onSelect }: Props) {
  const viewport = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const following = useRef(true);

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
  }, [records.length, height]);

  const onScroll = () => {
    const el = viewport.current!;
    following.current = el.scrollTop + el.clientHeight >= el.scrollHeight - FOLLOW_SLACK;
    setScrollTop(el.scrollTop);
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(records.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const record = records[i];
    rows.push(<ErrorRow key={record.id} record={record} top={i * ROW_HEIGHT} selected={record.id === selectedId} onSelect={onSelect} />);
  }

  return (
    <div class="table" role="table" aria-label="Telegram API errors" aria-rowcount={records.length}>
      <div class="row header" role="row">
        <span role="columnheader" class="c-time">Time</span>
        <span role="columnheader" class="c-code">Code</span>
        <span role="columnheader" class="c-class">Class</span>
        <span role="columnheader" class="c-type">Type</span>
        <span role="columnheader" class="c-params">Params</span>
        <span role="columnheader" class="c-method">Method</span>
        <span role="columnheader" class="c-channel">Channel</span>
        <span role="columnheader" class="c-url">URL</span>
      </div>
      <div class="viewport" ref={viewport} onScroll={onScroll} role="rowgroup">
        <div class="spacer" style={{ height: `${records.length * ROW_HEIGHT}px` }}>{rows}</div>
      </div>
    </div>
  );
}
