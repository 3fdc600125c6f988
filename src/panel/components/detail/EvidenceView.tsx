import type { Evidence } from '../../../core/record.ts';
import { hexDump, prettyJson } from '../../model/hex-dump.ts';

/** The raw evidence: the JSON excerpt, or a hex dump with the rpc_error's bytes marked. */
export function EvidenceView({ evidence }: { evidence: Evidence }) {
  if (evidence.kind === 'json') {
    return (
      <pre class="evidence" aria-label="JSON excerpt">
        {prettyJson(evidence.excerpt)}
      </pre>
    );
  }
  const lines = hexDump(evidence.hex, evidence.markStart, evidence.markLength);
  return (
    <>
      <p class="evidence-path">
        {evidence.path.join(' › ')}
        {evidence.truncated ? ' (excerpt of a longer frame)' : ''} · rpc_error at byte {evidence.markStart}, {evidence.markLength} bytes
      </p>
      <pre class="evidence hexdump" aria-label="Hex dump, rpc_error bytes marked">
        {lines.map((line) => (
          <div key={line.offset}>
            <span class="hex-offset">{line.offset}</span>
            {'  '}
            {line.bytes.map((b, i) => (b.marked ? <mark key={i}>{b.hex} </mark> : <span key={i}>{b.hex} </span>))}
            {'   '.repeat(16 - line.bytes.length)} <span class="hex-ascii">{line.ascii}</span>
          </div>
        ))}
      </pre>
    </>
  );
}
