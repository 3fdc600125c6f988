import { CODE_BUCKETS, type CodeBucket } from '../filters.ts';

interface Props {
  counts: Record<CodeBucket, number>;
  selected: ReadonlySet<CodeBucket>;
  onToggle: (bucket: CodeBucket) => void;
  onClear: () => void;
  onExport: () => void;
  total: number;
  shown: number;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function Toolbar({ counts, selected, onToggle, onClear, onExport, total, shown }: Props) {
  return (
    <div class="toolbar" role="toolbar" aria-label="Log controls">
      <button type="button" class="tool-button" onClick={onClear} title="Clear this tab's log">
        Clear
      </button>
      <button type="button" class="tool-button" onClick={onExport} title="Save the shown errors as JSON">
        Export
      </button>
      <span class="divider" aria-hidden="true" />
      <div class="chips" role="group" aria-label="Filter by error code">
        {CODE_BUCKETS.map((bucket) => (
          <button
            type="button"
            key={bucket}
            class={`chip chip-${bucket}${selected.has(bucket) ? ' on' : ''}`}
            aria-pressed={selected.has(bucket)}
            onClick={() => onToggle(bucket)}
            title={bucket === 'other' ? 'Codes Telegram does not document (handled as 500)' : `Code ${bucket}`}
          >
            {bucket} <span class="chip-count">{counts[bucket]}</span>
          </button>
        ))}
      </div>
      <span class="spacer-flex" />
      <span class="summary" aria-live="polite">
        {shown === total ? plural(total, 'error') : `${shown} of ${plural(total, 'error')}`}
      </span>
    </div>
  );
}
