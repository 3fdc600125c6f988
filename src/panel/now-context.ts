// One clock for every live countdown: rows read the time from context instead of each
// running its own timer (see components/ClockProvider.tsx, the only place it ticks).

import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export const NowContext = createContext<number>(Date.now());

export function useNow(): number {
  return useContext(NowContext);
}

/** How long an ended limit stays on screen, marked as ended, before it goes. */
export const KEEP_ENDED_MS = 5000;
