import type { Channel } from '../../../core/record.ts';
import { useNow } from '../timeline/now-context.ts';
import type { RecordIndex } from '../../model/record-index.ts';
import { CODE_BUCKETS, type CodeBucket, type TimelineFilter } from '../../model/filters.ts';
import { formatTime, plural } from '../../model/format.ts';

interface Props {
  filter: TimelineFilter;
  counts: Record<CodeBucket, number>;
  methods: string[];
  channels: string[];
  /** The log's index: the "Waiting now" count reads its waits. */
  index: RecordIndex;
  shown: number;
  total: number;
  searchRef: { current: HTMLInputElement | null };
  onChange: (filter: TimelineFilter) => void;
}

/** The second toolbar row: search, code chips with live counts, method, channel, "waiting now". */
export function FilterBar({ filter, counts, methods, channels, index, shown, total, searchRef, onChange }: Props) {
  const set = (patch: Partial<TimelineFilter>) => onChange({ ...filter, ...patch });
  const toggleBucket = (bucket: CodeBucket) => {
    const next = new Set(filter.buckets);
    if (next.has(bucket)) next.delete(bucket);
    else next.add(bucket);
    set({ buckets: next });
  };
  return (
    <div class="toolbar filter-bar" role="toolbar" aria-label="Filters">
      <input
        ref={searchRef}
        type="search"
        class="search"
        placeholder="Filter"
        title="Type, message, method or URL; words separated by spaces must all match"
        aria-label="Search errors"
        value={filter.text}
        onInput={(e) => set({ text: (e.currentTarget as HTMLInputElement).value })}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && filter.text !== '') {
            e.stopPropagation();
            set({ text: '' });
          }
        }}
      />
      <div class="chips" role="group" aria-label="Filter by error code">
        {CODE_BUCKETS.map((bucket) => (
          <button
            type="button"
            key={bucket}
            class={`chip chip-${bucket}${filter.buckets.has(bucket) ? ' on' : ''}`}
            aria-pressed={filter.buckets.has(bucket)}
            onClick={() => toggleBucket(bucket)}
            title={bucket === 'other' ? 'Codes Telegram does not document (handled as 500)' : `Code ${bucket}`}
          >
            {bucket} <span class="chip-count">{counts[bucket]}</span>
          </button>
        ))}
      </div>
      <select aria-label="Method" value={filter.method ?? ''} onChange={(e) => set({ method: (e.currentTarget as HTMLSelectElement).value || null })}>
        <option value="">All methods</option>
        {filter.method !== null && !methods.includes(filter.method) ? <option value={filter.method}>{filter.method}</option> : null}
        {methods.map((m) => (
          <option key={m} value={m}>
            {m}
          </option>
        ))}
      </select>
      <select
        aria-label="Channel"
        value={filter.channel ?? ''}
        onChange={(e) => set({ channel: ((e.currentTarget as HTMLSelectElement).value || null) as Channel | null })}
      >
        <option value="">All channels</option>
        {filter.channel !== null && !channels.includes(filter.channel) ? <option value={filter.channel}>{filter.channel}</option> : null}
        {channels.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <WaitingNowChip on={filter.waitingNow} index={index} onToggle={() => set({ waitingNow: !filter.waitingNow })} />
      <button
        type="button"
        class={`chip violations-chip${filter.violations ? ' on' : ''}`}
        aria-pressed={filter.violations}
        onClick={() => set({ violations: !filter.violations })}
        title="Only the errors the client mishandled (handling audit)"
      >
        Violations <span class={`chip-count${index.violationCount > 0 ? ' nonzero' : ''}`}>{index.violationCount}</span>
      </button>
      {filter.typeKey !== null ? (
        <button type="button" class="pill" onClick={() => set({ typeKey: null })} aria-label={`Remove type filter ${filter.typeKey}`}>
          type: {filter.typeKey} ✕
        </button>
      ) : null}
      {filter.timeRange !== null ? (
        <button type="button" class="pill" onClick={() => set({ timeRange: null })} aria-label="Remove time filter">
          {formatTime(new Date(filter.timeRange.from).toISOString())}–{formatTime(new Date(filter.timeRange.to).toISOString())} ✕
        </button>
      ) : null}
      <span class="spacer-flex" />
      <span class="summary" aria-live="polite">
        {shown === total ? plural(total, 'error') : `${shown.toLocaleString('en-US')} of ${plural(total, 'error')}`}
      </span>
    </div>
  );
}

/** Reads the shared clock, so its count drops as waits end without re-rendering the bar. */
function WaitingNowChip({ on, index, onToggle }: { on: boolean; index: RecordIndex; onToggle: () => void }) {
  const now = useNow();
  const running = index.runningWaits(now);
  return (
    <button
      type="button"
      class={`chip waiting-chip${on ? ' on' : ''}`}
      aria-pressed={on}
      onClick={onToggle}
      title="Only the waits (flood limits) still running"
    >
      Waiting now <span class="chip-count">{running}</span>
    </button>
  );
}
