import type { ErrorRecord } from '../../../core/record.ts';
import { formatTime } from '../../model/format.ts';
import { RETRY_PATTERN_WORDS, retryAttemptRows, VERDICT_WORDS } from '../../model/handling-words.ts';

interface Props {
  record: ErrorRecord;
  onSelect: (id: number) => void;
}

/** One call and its retries (the handling audit's retry chain): each attempt, its gap and what it got; one verdict for all. */
export function RetryChainView({ record, onSelect }: Props) {
  const rows = retryAttemptRows(record);
  const h = record.handling;
  if (rows === null || h === undefined || h.retryChain === undefined) return null;
  const errors = rows.filter((r) => r.errorId !== null).length;
  return (
    <section class="detail-section" aria-label="Retry chain">
      <h4>
        Retry chain: {rows.length} attempts, {RETRY_PATTERN_WORDS[h.retryChain.pattern]}
      </h4>
      <p class="dim">
        One call and its retries, judged as one story: {VERDICT_WORDS[h.verdict].toLowerCase()} on each of its {errors} errors.
      </p>
      <ol class="chain retry-chain" aria-label="Attempts">
        {rows.map((row, i) => {
          const current = row.errorId === record.id;
          return (
            <li key={i} class={current ? 'current' : undefined}>
              <span class="retry-label">{row.label}</span> <span class="chain-time">{formatTime(row.at)}</span>
              {row.gap !== null ? <span class="retry-gap"> {row.gap}</span> : null} →{' '}
              {row.errorId !== null ? (
                <button
                  type="button"
                  class={`link-button chain-result cls-${record.class}`}
                  onClick={() => onSelect(row.errorId!)}
                  aria-current={current ? 'true' : undefined}
                  aria-label={`Show attempt ${i + 1}'s error: #${row.errorId} ${row.outcome}`}
                >
                  #{row.errorId} {row.outcome}
                </button>
              ) : (
                <span class="dim">{row.outcome}</span>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
