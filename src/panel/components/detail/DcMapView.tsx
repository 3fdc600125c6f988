import { ROLE_WORDS, type DcMap } from '../../model/dc-map.ts';

/** A small map of the DCs: what each holds, as the session's redirects taught. */
export function DcMapView({ map, highlight }: { map: DcMap; highlight: number | null }) {
  const dcs = Array.from({ length: map.count }, (_, i) => i + 1);
  return (
    <section class="detail-section" aria-label="DC map">
      <h4>DC map (what this session taught)</h4>
      <ul class="dc-map">
        {dcs.map((dc) => {
          const roles = map.roles.get(dc) ?? [];
          return (
            <li key={dc} class={`dc-cell${roles.length ? ' known' : ''}${map.seen.has(dc) ? ' seen' : ''}${highlight === dc ? ' highlight' : ''}`}>
              <strong>DC {dc}</strong>
              <span class="dc-roles">{roles.length ? roles.map((r) => ROLE_WORDS[r]).join(', ') : map.seen.has(dc) ? 'answered' : '—'}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
