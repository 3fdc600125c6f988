// Page-world hook (MAIN world, document_start): watches the page's own traffic and
// hands anything that passes a cheap prefilter to the isolated content script.
// Every watcher installs independently; a missing API or a failure in one leaves the
// others and the page untouched.

import { createPageReporter, type Reporter } from './report.ts';
import { watchEventSource } from './watch-eventsource.ts';
import { watchFetch } from './watch-fetch.ts';
import { watchWebSocket } from './watch-websocket.ts';
import { watchWorkers } from './watch-workers.ts';
import { watchXhr } from './watch-xhr.ts';

const watchers: ReadonlyArray<(report: Reporter) => void> = [
  watchFetch,
  watchXhr,
  watchWebSocket,
  watchEventSource,
  watchWorkers,
];

function install(): void {
  let report: Reporter;
  try {
    report = createPageReporter();
  } catch {
    return;
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
