import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { KEEP_ENDED_MS, publishNow } from './now-context.ts';

interface Props {
  /** The latest retry time of any wait (RecordIndex.latestRetry): the clock runs until it has passed. */
  latestRetry: number;
  /** Changes when the waits may have changed: the clock then restarts from the current time. */
  waitsVersion: number;
  children: ComponentChildren;
}

const TICK_MS = 250;

/**
 * The single timer behind every countdown and the active-limits strip. A tick renders nothing
 * here: only the countdowns and the strip, which read the clock, update. It stops once every
 * wait has ended (plus the time an ended one stays shown).
 */
export function ClockProvider({ latestRetry, waitsVersion, children }: Props) {
  // The first rows show the time the panel opened.
  useState(() => publishNow(Date.now()));
  useEffect(() => {
    // Some wait still runs (or ended less than KEEP_ENDED_MS ago) while its retry time is ahead of this.
    const running = (t: number) => latestRetry > t - KEEP_ENDED_MS;
    publishNow(Date.now());
    if (!running(Date.now())) return;
    const timer = setInterval(() => {
      const t = Date.now();
      publishNow(t);
      if (!running(t)) clearInterval(timer);
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [latestRetry, waitsVersion]);
  return <>{children}</>;
}
