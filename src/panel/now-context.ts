// One clock for every live countdown: rows read the time from context instead of each
// running its own timer, and the clock only ticks while some wait is still running.

import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';

export const NowContext = createContext<number>(Date.now());

export function useNow(): number {
  return useContext(NowContext);
}

export function useTicker(active: boolean, intervalMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
  return now;
}
