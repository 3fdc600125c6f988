import type { ErrorRecord } from '../../../core/record.ts';
import { buildChain } from '../../model/redirect-chain.ts';
import { formatTime } from '../../model/format.ts';

interface Props {
  records: readonly ErrorRecord[];
  record: ErrorRecord;
  onSelect: (id: number) => void;
}

const dcName = (dc: number | null) => (dc === null ? 'the first DC' : `DC ${dc}`);

/** The chain: the query on DC a, the redirect, the repeat on DC b, and how it ended. */
export function RedirectChainView({ records, record, onSelect }: Props) {
  if (record.chainId === null) return null;
  const chain = buildChain(records, record.chainId);
  if (chain === null) return null;
  return (
    <section class="detail-section" aria-label="Redirect chain">
      <h4>Redirect chain</h4>
      <ol class="chain">
        {chain.steps.map((step, i) => {
          const previous = chain.steps[i - 1];
          const where = i === 0 ? dcName(step.dc) : `DC ${step.dc ?? previous?.toDc ?? '?'}`;
          const current = step.record.id === record.id;
          return (
            <li key={step.record.id} class={current ? 'current' : undefined}>
              <button type="button" class="link-button" onClick={() => onSelect(step.record.id)} aria-current={current ? 'true' : undefined}>
                {i === 0 ? 'Query' : 'Repeat'} {step.record.method ?? chain.method ?? ''} on {where}
              </button>
              <span class="chain-time"> {formatTime(step.record.capturedAt)}</span>
              <div class={`chain-result cls-${step.record.class}`}>
                → {step.record.code} {step.record.type ?? step.record.message}
                {step.toDc !== null ? <span class="dc-badge chain-dc">→ DC {step.toDc}</span> : null}
              </div>
            </li>
          );
        })}
        <li class={`chain-end${chain.open ? ' open' : ''}`}>{chain.outcome}</li>
      </ol>
    </section>
  );
}
