import type { ErrorRecord } from '../../core/record.ts';

const ACTION_ADVICE: Record<ErrorRecord['action']['kind'], string> = {
  redirect: 'Repeat the query on the data center named in the error.',
  wait: 'Do not repeat the call before the wait is over.',
  'fix-input': 'The request data is wrong: the user must correct it before the query is repeated.',
  reauthorize: 'The authorization is no longer valid: log in again (a new auth key is needed).',
  forbidden: 'A privacy or permission rule forbids this call for this user.',
  'not-found': 'The object or method does not exist.',
  silent: 'Show nothing to the user; wait for the service notification (updateServiceNotification).',
  report: 'Server-side failure: collect the query and the error and report it to Telegram.',
};

interface Props {
  record: ErrorRecord;
  onClose: () => void;
}

export function DetailPane({ record, onClose }: Props) {
  const fields = Object.entries(record).filter(([key]) => key !== 'evidence');
  return (
    <aside class="detail" aria-label="Error details">
      <div class="detail-head">
        <strong>{record.type ?? record.message}</strong>
        <button type="button" class="tool-button" onClick={onClose} aria-label="Close details">
          ✕
        </button>
      </div>
      <p class="advice">{ACTION_ADVICE[record.action.kind]}</p>
      {record.meaning ? (
        <p class="meaning">
          {record.meaning}
          {record.meaningSource === 'derived' ? <em> (derived from the name)</em> : null}
        </p>
      ) : null}
      <dl class="fields">
        {fields.map(([key, value]) => (
          <>
            <dt>{key}</dt>
            <dd>{typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}</dd>
          </>
        ))}
      </dl>
      {record.evidence ? (
        <>
          <h4>Evidence</h4>
          <pre class="evidence">{record.evidence.kind === 'json' ? record.evidence.excerpt : record.evidence.hex}</pre>
        </>
      ) : null}
    </aside>
  );
}
