import type { RecordIndex } from '../../model/record-index.ts';
import { formatDuration, formatUntil } from '../../model/format.ts';
import { useNow } from '../timeline/now-context.ts';

interface Props {
  /** The log's index, which keeps one limit candidate per method. */
  index: RecordIndex;
  /** The index's version, so the strip re-renders when the log changes. */
  version: number;
  activeMethod: string | null;
  onPickMethod: (method: string | null) => void;
}

/** "Active limits": every method a flood wait still blocks, soonest to end first. */
export function ActiveLimits({ index, activeMethod, onPickMethod }: Props) {
  const now = useNow();
  const limits = index.activeLimits(now);
  if (limits.length === 0) return null;
  return (
    <div class="limits" role="group" aria-label="Active limits">
      <span class="limits-title">Active limits</span>
      {limits.map((limit) => {
        const left = (limit.retryAt - now) / 1000;
        const fraction = Math.min(1, Math.max(0, (limit.retryAt - now) / Math.max(1, limit.retryAt - limit.since)));
        const pressed = limit.method !== null && activeMethod === limit.method;
        return (
          <button
            type="button"
            key={limit.label}
            class={`limit${limit.ended ? ' ended' : ''}${pressed ? ' on' : ''}`}
            aria-pressed={pressed}
            disabled={limit.method === null}
            title={limit.ended ? 'The wait is over: the method may be called again' : `Blocked until ${formatUntil(limit.retryAt, now)}`}
            onClick={() => onPickMethod(pressed ? null : limit.method)}
          >
            <span class="limit-name">{limit.label}</span>
            {limit.ended ? (
              <span class="limit-ended">ended</span>
            ) : (
              <>
                <span class="limit-left">{formatDuration(left)}</span>
                <span class="countdown-bar" aria-hidden="true">
                  <span class="countdown-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
                </span>
              </>
            )}
          </button>
        );
      })}
    </div>
  );
}
