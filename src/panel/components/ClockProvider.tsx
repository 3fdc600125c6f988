import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ErrorRecord } from '../../core/record.ts';
import { hasRunningWait } from '../active-limits.ts';
import { KEEP_ENDED_MS, NowContext } from '../now-context.ts';

interface Props {
  /** The records with a retry time; the clock runs while one of them has not ended. */
  waits: readonly ErrorRecord[];
  children: ComponentChildren;
}

const TICK_MS = 250;

/**
 * The single timer behind every countdown and the active-limits strip. Only this provider
 * re-renders on a tick; its children are the same elements, so only the countdowns that read
 * the clock update. It stops once every wait has ended (plus the time an ended one stays shown).
 */
export function ClockProvider({ waits, children }: Props) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    setNow(Date.now());
    if (!hasRunningWait(waits, Date.now(), KEEP_ENDED_MS)) return;
    const timer = setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (!hasRunningWait(waits, t, KEEP_ENDED_MS)) clearInterval(timer);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [waits]);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}
