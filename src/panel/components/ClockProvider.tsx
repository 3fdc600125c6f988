import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { KEEP_ENDED_MS, NowContext } from '../now-context.ts';

interface Props {
  /** The latest retry time of any wait (RecordIndex.latestRetry): the clock runs until it has passed. */
  latestRetry: number;
  /** Changes when the waits may have changed: the clock then restarts from the current time. */
  waitsVersion: number;
  children: ComponentChildren;
}

const TICK_MS = 250;

/**
 * The single timer behind every countdown and the active-limits strip. Only this provider
 * re-renders on a tick; its children are the same elements, so only the countdowns that read
 * the clock update. It stops once every wait has ended (plus the time an ended one stays shown).
 */
export function ClockProvider({ latestRetry, waitsVersion, children }: Props) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    // Some wait still runs (or ended less than KEEP_ENDED_MS ago) while its retry time is ahead of this.
    const running = (t: number) => latestRetry > t - KEEP_ENDED_MS;
    setNow(Date.now());
    if (!running(Date.now())) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (!running(t)) clearInterval(timer);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [latestRetry, waitsVersion]);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}
