import { useMemo, useState } from 'preact/hooks';
import type { ErrorRecord } from '../../../core/record.ts';
import { lookupTemplate, methodsThatThrow } from '../../../core/errors/catalog.ts';
import { adviceFor } from '../../model/advice.ts';
import { buildDcMap } from '../../model/dc-map.ts';
import { CLASS_LABEL } from '../timeline/ErrorRow.tsx';
import { DcMapView } from './DcMapView.tsx';
import { EvidenceView } from './EvidenceView.tsx';
import { FloodCountdown } from '../timeline/FloodCountdown.tsx';
import { RedirectChainView } from './RedirectChainView.tsx';
import { HandlingView } from './HandlingView.tsx';
import { RetryChainView } from './RetryChainView.tsx';
import { BeforeView } from './BeforeView.tsx';
import type { CallRecord } from '../../../core/calls/call.ts';

interface Props {
  record: ErrorRecord;
  /** The whole log, for the redirect chain and the DC map. */
  records: readonly ErrorRecord[];
  onClose: () => void;
  onSelect: (id: number) => void;
  onCopy: (text: string) => Promise<boolean>;
  /** The call log, for "Before" (absent: none). */
  calls?: readonly CallRecord[];
  /** Opens the Calls view filtered to a method's calls in a time window. */
  onShowCalls?: (method: string | null, from: number, to: number) => void;
}

const SOURCE_WORDS: Record<string, string> = {
  catalog: 'Telegram’s schema errors (@mtcute/tl)',
  seed: 'Telegram’s error-handling page',
  notes: 'known numbered forms',
  derived: 'derived from the name',
};

/** Methods shown before "show all": the catalog lists hundreds for common errors. */
const METHODS_SHOWN = 12;

/**
 * Request parameters, when the background sends them with the record (a `request` field it
 * does not send yet): rendered when present, so the panel needs no change when it does.
 */
function requestParamsOf(record: ErrorRecord): unknown {
  const extra = record as ErrorRecord & { request?: { params?: unknown } };
  return extra.request?.params;
}

const NO_CALLS: readonly CallRecord[] = [];

export function DetailPane({ record, records, onClose, onSelect, onCopy, calls = NO_CALLS, onShowCalls = () => undefined }: Props) {
  const [allMethods, setAllMethods] = useState(false);
  const [copied, setCopied] = useState<string | null>(null);
  const catalogKey = record.template ?? record.type ?? record.message;
  const catalog = lookupTemplate(catalogKey);
  const throwers = methodsThatThrow(catalogKey);
  const shownMethods = allMethods ? throwers : throwers.slice(0, METHODS_SHOWN);
  const dcMap = useMemo(() => (record.chainId !== null || record.action.kind === 'redirect' ? buildDcMap(records) : null), [records, record]);
  const requestParams = requestParamsOf(record);

  const copy = async () => {
    const ok = await onCopy(JSON.stringify(record, null, 2));
    setCopied(ok ? 'Copied' : 'Copy failed');
    setTimeout(() => setCopied(null), 1500);
  };

  return (
    <aside class="detail" aria-label="Error details" onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onClose())}>
      <div class="detail-head">
        <strong class="detail-type">{record.type ?? record.message}</strong>
        <span class="detail-actions">
          <button type="button" class="tool-button" onClick={() => void copy()}>
            Copy as JSON
          </button>
          <span class="copied" role="status">
            {copied ?? ''}
          </span>
          <button type="button" class="tool-button" onClick={onClose} aria-label="Close details" title="Close (Esc)">
            ✕
          </button>
        </span>
      </div>
      <p class={`detail-code cls-${record.class}`}>
        <span class="c-code">{record.code}</span> <span class="class-pill">{CLASS_LABEL[record.class]}</span>
        {record.treatedAs500 ? <span class="note"> undocumented code, handled as 500</span> : null}
        {record.action.kind === 'wait' && record.action.retryAt ? (
          <>
            {' '}
            <FloodCountdown capturedAt={record.capturedAt} retryAt={record.action.retryAt} />
          </>
        ) : null}
      </p>

      <section class="detail-section" aria-label="What to do">
        <h4>What to do</h4>
        <p class="advice">{adviceFor(record)}</p>
      </section>

      <HandlingView record={record} records={records} onSelect={onSelect} />
      <RetryChainView record={record} onSelect={onSelect} />

      <BeforeView record={record} calls={calls} onShowCalls={onShowCalls} />

      <section class="detail-section" aria-label="Meaning">
        <h4>Meaning</h4>
        {record.meaning ? (
          <p class="meaning">
            {record.meaning}
            {record.meaningSource !== 'none' ? <span class="source"> ({SOURCE_WORDS[record.meaningSource] ?? record.meaningSource})</span> : null}
          </p>
        ) : (
          <p class="meaning">No description is known for this error.</p>
        )}
        {catalog ? (
          <p class="catalog">
            Catalog: <code>{catalog.template}</code> ({catalog.code})
            {catalog.description && catalog.description !== record.meaning ? ` — ${catalog.description}` : ''}{' '}
            <span class="source">({SOURCE_WORDS[catalog.source]})</span>
          </p>
        ) : (
          <p class="catalog">Not in the catalog.</p>
        )}
      </section>

      <section class="detail-section" aria-label="Documented to raise it">
        <h4>Methods documented to raise it ({throwers.length})</h4>
        {throwers.length === 0 ? (
          <p class="dim">The schema lists no method for this error.</p>
        ) : (
          <>
            <ul class="method-list">
              {shownMethods.map((m) => (
                <li key={m} class={m === record.method ? 'current' : undefined}>
                  <code>{m}</code>
                </li>
              ))}
            </ul>
            {throwers.length > METHODS_SHOWN ? (
              <button type="button" class="link-button" onClick={() => setAllMethods(!allMethods)} aria-expanded={allMethods}>
                {allMethods ? 'Show fewer' : `Show all ${throwers.length}`}
              </button>
            ) : null}
          </>
        )}
      </section>

      <section class="detail-section" aria-label="Request">
        <h4>Request</h4>
        <dl class="fields">
          <dt>method</dt>
          <dd>{record.method ?? 'unknown'}</dd>
          <dt>DC</dt>
          <dd>{record.dc ?? 'unknown'}</dd>
          <dt>where</dt>
          <dd>
            {record.channel} {record.direction === 'in' ? 'received' : 'sent'} · {record.dialect}
          </dd>
          {record.reachedPage ? (
            <>
              <dt>then</dt>
              <dd>
                reached the page as <code>{record.reachedPage.message}</code> ({record.reachedPage.channel} · {record.reachedPage.dialect}
                {record.reachedPage.clientCall
                  ? ` · ${record.reachedPage.clientCall}`
                  : record.reachedPage.method && record.reachedPage.method !== record.method
                    ? ` · ${record.reachedPage.method}`
                    : ''}
                )
              </dd>
            </>
          ) : null}
          {record.sharedWorker ? (
            <>
              <dt>worker</dt>
              <dd>
                a SharedWorker {record.sharedWorker.tabs} tabs read
                {record.reachedPage
                  ? ": it answered this tab's call, so only this tab lists it"
                  : ': no page told whose call it answered, so each of those tabs lists it'}
              </dd>
            </>
          ) : null}
          <dt>URL</dt>
          <dd>{record.url ?? '—'}</dd>
          <dt>error params</dt>
          <dd>{Object.keys(record.params).length ? JSON.stringify(record.params) : '—'}</dd>
          <dt>request params</dt>
          <dd>{requestParams !== undefined ? <pre class="inline-json">{JSON.stringify(requestParams, null, 2)}</pre> : 'not captured'}</dd>
        </dl>
      </section>

      <RedirectChainView records={records} record={record} onSelect={onSelect} />
      {dcMap ? <DcMapView map={dcMap} highlight={record.action.dc ?? record.dc} /> : null}

      <section class="detail-section" aria-label="Evidence">
        <h4>Raw evidence</h4>
        {record.evidence ? <EvidenceView evidence={record.evidence} /> : <p class="dim">No raw evidence was kept for this error.</p>}
      </section>

      <section class="detail-section" aria-label="All fields">
        <h4>All fields</h4>
        <dl class="fields">
          {Object.entries(record)
            .filter(([key]) => key !== 'evidence')
            .map(([key, value]) => (
              <>
                <dt>{key}</dt>
                <dd>{typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)}</dd>
              </>
            ))}
        </dl>
      </section>
    </aside>
  );
}
