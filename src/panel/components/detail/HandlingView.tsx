import { useMemo } from 'preact/hooks';
import type { ErrorRecord } from '../../../core/record.ts';
import { formatTime } from '../../model/format.ts';
import { recordsByRequest, VERDICT_WORDS, whatHappenedNext } from '../../model/handling-words.ts';
import { HandlingMark } from '../timeline/ErrorRow.tsx';

interface Props {
  record: ErrorRecord;
  /** The whole log: evidence requests answered by an error link to its record. */
  records: readonly ErrorRecord[];
  onSelect: (id: number) => void;
}

/** The handling audit's verdict in words: rule, what the client did, and the requests it rests on. */
export function HandlingView({ record, records, onSelect }: Props) {
  const byRequest = useMemo(() => recordsByRequest(records), [records]);
  const h = record.handling;
  if (h === undefined) {
    return (
      <section class="detail-section" aria-label="Handling">
        <h4>Handling</h4>
        <p class="dim">Not audited (recorded before the audit, or imported without it).</p>
      </section>
    );
  }
  const next = whatHappenedNext(record, (id) => byRequest.get(id) ?? null);
  return (
    <section class="detail-section" aria-label="Handling">
      <h4>Handling</h4>
      <p class={`handling-verdict${h.verdict === 'violation' ? ' is-violation' : ''}`}>
        <HandlingMark record={record} />
        <strong>{VERDICT_WORDS[h.verdict]}</strong>: {h.detail}
        {h.count !== undefined && h.count > 0 ? ` (${h.count} counted)` : ''}
      </p>
      {next !== null ? <p class="handling-next">What happened next: {next}.</p> : null}
      <p class="dim">
        Rule: {h.rule.text}
        {!h.final && h.pendingUntil
          ? h.decidedAt !== null
            ? ` Certain since ${formatTime(h.decidedAt)}; counted until ${formatTime(h.pendingUntil)}, when it becomes final.`
            : ` Decided by ${formatTime(h.pendingUntil)} at the latest.`
          : ''}
      </p>
      {h.evidence.length > 0 ? (
        <>
          <p class="dim">The requests it rests on:</p>
          <ol class="handling-evidence" aria-label="Evidence requests">
            {h.evidence.map((ref, i) => {
              const answer = byRequest.get(ref.requestId) ?? null;
              const text = `${formatTime(ref.at)} ${ref.method ?? 'unknown method'} · DC ${ref.dc ?? '?'}`;
              return (
                <li key={`${ref.requestId}:${i}`}>
                  {text}
                  {answer !== null && answer.id !== record.id ? (
                    <>
                      {' '}
                      →{' '}
                      <button
                        type="button"
                        class="link-button"
                        onClick={() => onSelect(answer.id)}
                        aria-label={`Show the error that answered it: #${answer.id} ${answer.type ?? answer.message}`}
                      >
                        #{answer.id} {answer.type ?? answer.message}
                      </button>
                    </>
                  ) : answer !== null ? (
                    <span class="dim"> (answered by this error)</span>
                  ) : (
                    <span class="dim"> (no error came back)</span>
                  )}
                </li>
              );
            })}
          </ol>
        </>
      ) : null}
    </section>
  );
}
