import { formatDuration, formatUntil } from '../../model/format.ts';
import { useNow } from './now-context.ts';

interface Props {
  capturedAt: string;
  retryAt: string;
}

/** Time left before a wait-type error allows a retry, with a draining bar; visibly over at the end. */
export function FloodCountdown({ capturedAt, retryAt }: Props) {
  const now = useNow();
  const start = Date.parse(capturedAt);
  const end = Date.parse(retryAt);
  const left = (end - now) / 1000;
  const total = Math.max(1, end - start);
  const fraction = Math.min(1, Math.max(0, (end - now) / total));
  if (left <= 0) {
    return (
      <span class="countdown countdown-done" title={`Retry allowed since ${new Date(end).toLocaleString()}`}>
        wait over
      </span>
    );
  }
  return (
    <span class="countdown" role="timer" aria-label={`wait ${formatDuration(left)}, retry ${formatUntil(end, now)}`} title={`Retry ${formatUntil(end, now)}`}>
      <span class="countdown-text">wait {formatDuration(left)}</span>
      <span class="countdown-bar" aria-hidden="true">
        <span class="countdown-fill" style={{ width: `${(fraction * 100).toFixed(1)}%` }} />
      </span>
    </span>
  );
}
