import { useMemo } from 'preact/hooks';
import type { ErrorClass } from '../../../core/record.ts';
import type { TimelineFilter } from '../../model/filters.ts';
import { formatTime } from '../../model/format.ts';
import { CLASS_ORDER, type Summary } from '../../model/summary.ts';
import { CLASS_LABEL } from '../timeline/ErrorRow.tsx';

interface Props {
  summary: Summary;
  /** Records the handling audit found mishandled (RecordIndex.violationCount). */
  violations?: number;
  filter: TimelineFilter;
  onFilter: (patch: Partial<TimelineFilter>) => void;
}

const CHART_HEIGHT = 40;

const isoTime = (ms: number) => formatTime(new Date(ms).toISOString());

/**
 * Errors over time, stacked by class, with counts by class and the top types. A bar or a
 * type is a filter: click it to narrow the timeline, click it again to widen it.
 */
export function Overview({ summary, filter, onFilter, violations = 0 }: Props) {
  const { bins, peak } = summary;
  // Bar labels depend on the bins only: made once per overview, not on every filter change.
  const labels = useMemo(() => bins.map((bin) => `${isoTime(bin.from)} to ${isoTime(bin.to)}: ${bin.total} error${bin.total === 1 ? '' : 's'}`), [bins]);
  const onBarKeys = (event: KeyboardEvent) => {
    // One tab stop for the chart; arrows move between bars (roving focus).
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    const bars = [...(event.currentTarget as HTMLElement).querySelectorAll<HTMLButtonElement>('.bar')];
    const at = bars.indexOf(document.activeElement as HTMLButtonElement);
    const next = bars[Math.min(bars.length - 1, Math.max(0, at + (event.key === 'ArrowRight' ? 1 : -1)))];
    if (next) {
      event.preventDefault();
      bars.forEach((b) => (b.tabIndex = -1));
      next.tabIndex = 0;
      next.focus();
    }
  };
  return (
    <section class="overview" aria-label="Overview">
      <div class="chart" role="group" aria-label="Errors over time" onKeyDown={onBarKeys} style={{ height: `${CHART_HEIGHT + 14}px` }}>
        <div class="bars" style={{ height: `${CHART_HEIGHT}px` }}>
          {bins.map((bin, i) => {
            const active = filter.timeRange !== null && filter.timeRange.from === bin.from && filter.timeRange.to === bin.to;
            const label = labels[i];
            return (
              <button
                type="button"
                key={bin.from}
                class={`bar${active ? ' on' : ''}`}
                tabIndex={i === 0 ? 0 : -1}
                aria-pressed={active}
                aria-label={label}
                title={label}
                onClick={() => onFilter({ timeRange: active ? null : { from: bin.from, to: bin.to } })}
              >
                <span class="bar-stack" style={{ height: `${peak ? (bin.total / peak) * 100 : 0}%` }}>
                  {CLASS_ORDER.filter((c) => bin.byClass[c]).map((c) => (
                    <span key={c} class={`seg seg-${c}`} style={{ flexGrow: bin.byClass[c] }} />
                  ))}
                </span>
              </button>
            );
          })}
        </div>
        {bins.length > 0 ? (
          <div class="axis" aria-hidden="true">
            <span>{isoTime(bins[0].from)}</span>
            <span>{isoTime(bins[bins.length - 1].to)}</span>
          </div>
        ) : null}
      </div>
      <ul class="class-counts" aria-label="Errors by class">
        {CLASS_ORDER.filter((c) => summary.byClass[c]).map((c: ErrorClass) => (
          <li key={c} class={`cls-${c}`}>
            <span class={`swatch seg-${c}`} aria-hidden="true" />
            <span class="class-pill">{CLASS_LABEL[c]}</span> <span class="count">{summary.byClass[c]!.toLocaleString('en-US')}</span>
          </li>
        ))}
      </ul>
      <button
        type="button"
        class={`violations-count${violations === 0 ? ' none' : ''}${filter.violations ? ' on' : ''}`}
        aria-pressed={filter.violations}
        disabled={violations === 0 && !filter.violations}
        title={violations === 0 ? 'No error was mishandled so far' : filter.violations ? 'Show every error again' : 'Show only the mishandled errors'}
        onClick={() => onFilter({ violations: !filter.violations })}
      >
        {violations === 1 ? '1 violation' : `${violations.toLocaleString('en-US')} violations`}
      </button>
      <div class="top-types" role="group" aria-label="Top error types">
        {summary.topTypes.map(({ typeKey, count }) => {
          const active = filter.typeKey === typeKey;
          return (
            <button
              type="button"
              key={typeKey}
              class={`type-button${active ? ' on' : ''}`}
              aria-pressed={active}
              title={active ? 'Show every type again' : `Show only ${typeKey}`}
              onClick={() => onFilter({ typeKey: active ? null : typeKey })}
            >
              <span class="type-name">{typeKey}</span> <span class="count">{count.toLocaleString('en-US')}</span>
            </button>
          );
        })}
      </div>
    </section>
  );
}
