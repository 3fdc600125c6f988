// One clock for every live countdown: rows read the time from it instead of each running its
// own timer (see components/ClockProvider.tsx, the only place it ticks).
//
// A small store rather than a Preact context: a context consumer subscribes on mount by
// patching its component's componentWillUnmount, which showed as several milliseconds per
// filter change when a new screen of rows (and countdowns) mounts. Here a consumer is one
// entry in a set, added and removed by a layout effect.

import { useLayoutEffect, useState } from 'preact/hooks';

type Listener = (now: number) => void;

const listeners = new Set<Listener>();
let current = Date.now();

/** Sets the time every countdown shows; only the components that read it render again. */
export function publishNow(now: number): void {
  if (now === current) return;
  current = now;
  for (const listener of listeners) listener(now);
}

export function useNow(): number {
  const [now, setNow] = useState(current);
  useLayoutEffect(() => {
    listeners.add(setNow);
    // The clock may have ticked between this render and the effect.
    setNow(current);
    return () => void listeners.delete(setNow);
  }, []);
  return now;
}

/** How long an ended limit stays on screen, marked as ended, before it goes. */
export const KEEP_ENDED_MS = 5000;
