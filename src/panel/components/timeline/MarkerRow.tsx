import type { NavigationMarker } from '../../../shared/messages.ts';
import { formatTime } from '../../model/format.ts';

/** The divider "Preserve log" draws where the page loaded again. */
export function MarkerRow({ marker, top }: { marker: NavigationMarker; top: number }) {
  return (
    <div class="row marker-row" role="row" style={{ transform: `translateY(${top}px)` }}>
      <span role="gridcell" class="marker-text">
        Page loaded {formatTime(marker.at)}: <span class="marker-url">{marker.url}</span>
      </span>
    </div>
  );
}
