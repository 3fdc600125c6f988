import type { MethodPick, MethodRow } from '../../model/call-view.ts';
import { isPicked, methodLabel } from '../../model/call-view.ts';
import type { ErrorClass } from '../../../core/record.ts';
import { CLASS_LABEL } from '../timeline/ErrorRow.tsx';

interface Props {
  rows: MethodRow[];
  activeMethod: MethodPick | null;
  /** A method picked (the unknown one too), or null for any. */
  onPick: (method: MethodPick | null) => void;
}

const ms = (v: number | null) => (v === null ? '—' : `${v} ms`);

/** Per method, as Wireshark's Service Response Time table: a row picks the method as the filter. */
export function MethodTable({ rows, activeMethod, onPick }: Props) {
  return (
    <div class="method-table-wrap">
      <table class="method-table" aria-label="Calls per method">
        <thead>
          <tr>
            <th scope="col">Method</th>
            <th scope="col" class="num">
              Calls
            </th>
            <th scope="col">Errors by class</th>
            <th scope="col" class="num" title="Median duration of the calls answered ok">
              p50
            </th>
            <th scope="col" class="num" title="95th percentile duration of the calls answered ok">
              p95
            </th>
            <th scope="col" class="num" title="The most calls of the method in any 10 seconds">
              Densest 10 s
            </th>
            <th scope="col" title="The last FLOOD_WAIT of the method, and the most calls of it in a 10 s span of the minute before">
              Last flood wait
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const errors = Object.entries(row.errors)
              .map(([cls, n]) => `${CLASS_LABEL[cls as ErrorClass]} ${n}`)
              .join(', ');
            const active = isPicked(activeMethod, row.method);
            return (
              <tr key={row.method ?? ''} class={active ? 'active' : undefined}>
                <th scope="row">
                  <button type="button" class="link-button mono" aria-pressed={active} onClick={() => onPick(active ? null : { name: row.method })}>
                    {methodLabel(row.method)}
                  </button>
                </th>
                <td class="num">{row.calls}</td>
                <td>{errors || '—'}</td>
                <td class="num">{ms(row.p50)}</td>
                <td class="num">{ms(row.p95)}</td>
                <td class="num">{row.maxPer10s}</td>
                <td>{row.lastFlood ? `${row.lastFlood.seconds ?? '?'} s wait, after ${row.lastFlood.maxPer10s} calls in the densest 10 s` : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
