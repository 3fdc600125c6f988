import { useMemo } from 'preact/hooks';
import type { ErrorRecord } from '../../../core/record.ts';
import type { CallRecord } from '../../../core/calls/call.ts';
import { sameMethodByDc } from '../../../core/calls/before.ts';
import { beforeBuckets } from '../../model/call-view.ts';

interface Props {
  record: ErrorRecord;
  /** The call log (live or imported), by id. */
  calls: readonly CallRecord[];
  /** Opens the Calls view filtered to this method's calls in the minute before the error. */
  onShowCalls: (method: string | null, from: number, to: number) => void;
}

const CHART_W = 240;
const CHART_H = 40;

/** "Before": the calls of the error's method in the minute before it, how dense, on which DCs, and a chart of them. */
export function BeforeView({ record, calls, onShowCalls }: Props) {
  const at = Date.parse(record.capturedAt);
  const failing = useMemo(() => calls.find((c) => c.recordId === record.id && c.outcome === 'error') ?? null, [calls, record.id]);
  // The calls are logged under the failing call's name: a client call's (Web A's fetchMessages)
  // when the record names the Telegram method its error text gave.
  const callMethod = failing?.method ?? record.method;
  const byDc = useMemo(() => sameMethodByDc(calls, at, callMethod, failing?.id ?? null), [calls, at, callMethod, failing]);
  const buckets = useMemo(() => beforeBuckets(calls, at, callMethod), [calls, at, callMethod]);
  const before = record.before;
  if (!before) return null;
  const peak = Math.max(1, ...buckets.map((b) => b.calls));
  const barW = CHART_W / buckets.length;
  const method = callMethod ?? 'this method';
  const dcs = [...byDc].map(([dc, n]) => `DC ${dc} ×${n}`).join(', ');
  const seconds = before.windowMs / 1000;
  return (
    <section class="detail-section before" aria-label="Calls before">
      <h4>Before</h4>
      <p class="before-line">
        <code>{method}</code> ×<strong class="before-count">{before.sameMethod.count}</strong> in the {seconds} s before (the failing call not counted), at most{' '}
        <strong class="before-densest">{before.sameMethod.maxPer10s}</strong> in 10 s; <span class="before-total">{before.calls}</span> calls on the tab in that
        minute.
      </p>
      {dcs ? <p class="dim before-dcs">On {dcs}.</p> : null}
      {calls.length > 0 ? (
        <svg
          class="before-chart"
          width={CHART_W}
          height={CHART_H + 12}
          role="img"
          aria-label={`${method}: calls per second over the ${seconds} s before the error, errors in red`}
        >
          {buckets.map((b, i) => {
            if (b.calls === 0) return null;
            const h = Math.max(2, (b.calls / peak) * CHART_H);
            const eh = (b.errors / peak) * CHART_H;
            return (
              <g key={i}>
                <rect class="bar" x={i * barW} y={CHART_H - h} width={Math.max(1, barW - 1)} height={h} />
                {b.errors > 0 ? (
                  <rect class="bar-error" x={i * barW} y={CHART_H - Math.max(2, eh)} width={Math.max(1, barW - 1)} height={Math.max(2, eh)} />
                ) : null}
              </g>
            );
          })}
          <line class="axis" x1={0} y1={CHART_H + 0.5} x2={CHART_W} y2={CHART_H + 0.5} />
          <text class="axis-label" x={0} y={CHART_H + 11}>
            −{seconds} s
          </text>
          <text class="axis-label" x={CHART_W} y={CHART_H + 11} text-anchor="end">
            error
          </text>
        </svg>
      ) : null}
      <button type="button" class="link-button" onClick={() => onShowCalls(callMethod, at - before.windowMs, at)}>
        Show the calls before in the Calls view
      </button>
    </section>
  );
}
