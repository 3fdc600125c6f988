import type { WorkerCaptureMessage, WorkerKind } from '../../../shared/messages.ts';
import { plural } from '../../model/format.ts';

/**
 * Why the switch cannot exist here: the browser offers no chrome.debugger to extensions
 * (Firefox), or this build does not ask for the `debugger` permission (the Chrome lite build).
 */
export type WorkerCaptureUnavailable = { reason: 'browser'; browserName: string } | { reason: 'build' };

/** From extension-api's `capabilities`: null where the switch can work. */
export function workerCaptureUnavailable(caps: { debugger: boolean; debuggerPermission: boolean; browserName: string }): WorkerCaptureUnavailable | null {
  if (caps.debugger) return null;
  // In Chrome, chrome.debugger is missing only when the manifest does not ask for it.
  if (caps.browserName !== 'Firefox' && !caps.debuggerPermission) return { reason: 'build' };
  return { reason: 'browser', browserName: caps.browserName };
}

interface Props {
  state: WorkerCaptureMessage | null;
  unavailable?: WorkerCaptureUnavailable | null;
  onSwitch: (on: boolean) => void;
  onReconnect: () => void;
}

const KIND_NAMES: Record<WorkerKind, string> = { worker: 'worker', 'shared-worker': 'SharedWorker', 'service-worker': 'service worker' };

/**
 * The "Capture inside workers" switch (chrome.debugger) and what it says: how many workers and
 * sockets it reads, why it could not start or stopped (Cancel on the browser's bar), and each
 * connection it cannot read with how to fix that.
 */
export function WorkerCaptureBar({ state, unavailable = null, onSwitch, onReconnect }: Props) {
  if (unavailable) {
    return (
      <div class="worker-capture">
        <div class="worker-capture-row">
          <span class="worker-capture-info" role="note">
            {unavailable.reason === 'build'
              ? 'Capture inside workers is not in this lite build (it has no debugger permission): install the full build to read sockets inside workers.'
              : `Capture inside workers is not available in ${unavailable.browserName}: it reads workers through the browser's debugger (chrome.debugger), which ${unavailable.browserName} does not offer to extensions.`}{' '}
            Errors crossing between the page and its workers are still captured.
          </span>
        </div>
      </div>
    );
  }
  const on = state?.on ?? false;
  const status = state?.status ?? 'off';
  const unreadable = state?.unreadable ?? [];
  const shared = unreadable.some((u) => u.kind === 'shared-worker');
  const sharedTabs = Math.max(0, ...(state?.workers ?? []).map((w) => w.tabs ?? 0));
  return (
    <div class="worker-capture">
      <div class="worker-capture-row">
        <label
          class="check"
          title="Read the WebSocket traffic of this tab's workers, SharedWorkers and service workers (through the browser's debugger: the browser shows a bar while it is on)"
        >
          <input type="checkbox" checked={on} disabled={status === 'starting'} onChange={(e) => onSwitch((e.currentTarget as HTMLInputElement).checked)} />
          Capture inside workers
        </label>
        {status === 'starting' ? <span class="worker-capture-info">Attaching…</span> : null}
        {status === 'on' && state ? (
          <span class="worker-capture-info" role="status">
            {plural(state.workers.length, 'worker')} attached, reading {plural(state.reading, 'open socket')}
            {state.workers.length > 0 ? ` (${[...new Set(state.workers.map((w) => KIND_NAMES[w.kind]))].join(', ')})` : ''}
            {sharedTabs > 1 ? `; the SharedWorker is read for ${plural(sharedTabs - 1, 'other tab')} too` : ''}
          </span>
        ) : null}
      </div>
      {(status === 'canceled' || status === 'failed') && state?.problem ? (
        <div class="banner banner-error" role="alert">
          {state.problem}
        </div>
      ) : null}
      {on && unreadable.length > 0 ? (
        <div class="banner banner-keys" role="alert" aria-label="Connections that cannot be read">
          <span>
            {unreadable.length === 1 ? 'This connection cannot be read' : `${unreadable.length} connections cannot be read`}:{' '}
            {unreadable.slice(0, 3).map((u, i) => (
              <span key={i}>
                {i > 0 ? '; ' : ''}
                <code>{u.url ?? 'a socket'}</code> in the {KIND_NAMES[u.kind]} <code>{u.worker || '(unknown)'}</code> ({u.reason})
              </span>
            ))}
            {unreadable.length > 3 ? ` and ${unreadable.length - 3} more` : ''}. Its obfuscation keys are in the first bytes the client sent. Reload the page,
            or{' '}
          </span>
          <button type="button" class="link-button" onClick={onReconnect}>
            Reconnect worker sockets
          </button>
          <span> (closes them; the client opens new ones, read from their start).</span>
          {shared ? (
            <span>
              {' '}
              Telegram Web K keeps its socket in a SharedWorker, which cannot be caught before it starts: open it with <code>?noSharedWorker=1</code> so it runs
              in a dedicated worker, read from its first frame.
            </span>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
