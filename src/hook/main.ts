// Page-world hook (MAIN world, document_start): watches the page's own traffic and
// hands anything that passes a cheap prefilter to the isolated content script.
// Every watcher installs independently; a missing API or a failure in one leaves the
// others and the page untouched. Each channel's folder (common/, http/, websocket/,
// workers/) opens with an index.ts saying what it watches and what it hands on.

import { createPageReporter, listenForPageKeys, type Reporter } from './common/index.ts';
import { watchEventSource, watchFetch, watchXhr } from './http/index.ts';
import { watchWebSocket } from './websocket/index.ts';
import { watchWorkers } from './workers/index.ts';

const watchers: ReadonlyArray<(report: Reporter) => void> = [watchFetch, watchXhr, watchWebSocket, watchEventSource, watchWorkers];

function install(): void {
  let report: Reporter;
  try {
    report = createPageReporter();
  } catch {
    return;
  }
  try {
    listenForPageKeys();
  } catch {
    // encrypted frames then stay skipped
  }
  for (let i = 0; i < watchers.length; i++) {
    try {
      watchers[i](report);
    } catch {
      // skip this channel
    }
  }
}

install();
