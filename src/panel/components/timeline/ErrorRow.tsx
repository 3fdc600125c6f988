import { Component } from 'preact';
import type { ErrorRecord } from '../../../core/record.ts';
import { formatParams, formatTime, shortUrl } from '../../model/format.ts';
import { FloodCountdown } from './FloodCountdown.tsx';
import { verdictMark } from '../../model/handling-words.ts';

interface Props {
  record: ErrorRecord;
  top: number;
  selected: boolean;
  onOpen: (id: number) => void;
}

export const CLASS_LABEL: Record<ErrorRecord['class'], string> = {
  ERROR_SEE_OTHER: 'SEE_OTHER',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  NOT_ACCEPTABLE: 'NOT_ACCEPTABLE',
  FLOOD: 'FLOOD',
  INTERNAL: 'INTERNAL',
  PROTOCOL: 'PROTOCOL',
  TRANSPORT: 'TRANSPORT',
};

export const rowDomId = (id: number) => `error-row-${id}`;

/** The handling audit's compact mark (✓ ✕ … –), named for screen readers, the verdict's detail as its tooltip. */
export function HandlingMark({ record }: { record: ErrorRecord }) {
  const mark = verdictMark(record.handling);
  if (mark === null) return null;
  return (
    <span class={`verdict verdict-${mark.kind}`} role="img" aria-label={mark.label} title={`${mark.label}: ${record.handling!.detail}`}>
      {mark.symbol}
    </span>
  );
}

function ParamsCell({ record }: { record: ErrorRecord }) {
  const { action } = record;
  const rest = formatParams(record);
  const isRepeat = record.chainId !== null && record.chainId !== record.id;
  const retryChainId = record.handling?.retryChain?.id;
  const retryOf = retryChainId !== undefined && retryChainId !== record.id ? retryChainId : null;
  return (
    <>
      {action.kind === 'wait' && action.retryAt ? <FloodCountdown capturedAt={record.capturedAt} retryAt={action.retryAt} /> : null}
      {action.kind === 'redirect' && action.dc !== undefined ? <span class="dc-badge">→ DC {action.dc}</span> : null}
      {isRepeat ? (
        <span class="chain-badge" title={`Repeat after the redirect #${record.chainId}`}>
          ↳ repeat
        </span>
      ) : null}
      {record.sharedWorker && !record.reachedPage ? (
        <span
          class="shared-badge"
          title={`Read in a SharedWorker ${record.sharedWorker.tabs} tabs share; no page told whose call it answered, so each of those tabs lists it`}
        >
          shared · {record.sharedWorker.tabs} tabs
        </span>
      ) : null}
      {retryOf !== null ? (
        <span class="chain-badge retry-badge" title={`A retry of the call that failed first as #${retryOf}: one retry chain, one verdict`}>
          ↻ retry of #{retryOf}
        </span>
      ) : null}
      {rest ? <span class="params">{rest}</span> : null}
    </>
  );
}

/**
 * A row renders again only when its record, place or selection changes: scrolling adds and
 * removes rows, and the rows that stay are not diffed (their countdowns follow the clock).
 * (preact/compat's memo is not used: importing compat changes how onChange behaves.)
 */
export class ErrorRow extends Component<Props> {
  override shouldComponentUpdate(next: Props): boolean {
    const p = this.props;
    return next.record !== p.record || next.top !== p.top || next.selected !== p.selected || next.onOpen !== p.onOpen;
  }

  override render(props: Props) {
    return <ErrorRowView {...props} />;
  }
}

function ErrorRowView({ record, top, selected, onOpen }: Props) {
  return (
    <div
      id={rowDomId(record.id)}
      class={`row cls-${record.class}${selected ? ' selected' : ''}`}
      role="row"
      aria-selected={selected}
      data-id={record.id}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onOpen(record.id)}
    >
      <span role="gridcell" class="c-time">
        {formatTime(record.capturedAt)}
      </span>
      <span role="gridcell" class="c-code" title={record.treatedAs500 ? 'Undocumented code, handled as 500' : undefined}>
        {record.code}
        {record.codeInferred ? '*' : ''}
      </span>
      <span role="gridcell" class="c-handling">
        <HandlingMark record={record} />
      </span>
      <span role="gridcell" class="c-class">
        <span class="class-pill">{CLASS_LABEL[record.class]}</span>
      </span>
      <span role="gridcell" class="c-type" title={record.message}>
        {record.type ?? record.message}
      </span>
      <span role="gridcell" class="c-params">
        <ParamsCell record={record} />
      </span>
      <span role="gridcell" class="c-method">
        {record.method ?? ''}
      </span>
      <span role="gridcell" class="c-dc">
        {record.dc ?? ''}
      </span>
      <span role="gridcell" class="c-channel">
        {record.channel}
        {record.direction === 'out' ? ' ↑' : ''}
      </span>
      <span role="gridcell" class="c-url" title={record.url ?? ''}>
        {shortUrl(record.url)}
      </span>
    </div>
  );
}
