// The worker variants of the client page: GramJS runs in a dedicated Worker (?kind=worker) or
// a SharedWorker (?kind=shared) and the page only starts it and shows what it posts back. With
// ?wait=1 the run starts when window.__start() is called (a test gives the inspector the keys
// and turns on "Capture inside workers" first). The dedicated worker is created on start (so
// it begins under the debugger's auto-attach); the SharedWorker at load, as Web K's is.

import type { Outcome } from '../scenario.ts';

export interface WorkersPageResult {
  done: true;
  kind: string;
  outcomes: Outcome[];
  /** Errors the worker passed to the page as they happened. */
  errors: { code?: number; errorMessage?: string; message?: string }[];
  error?: string;
}

const kind = new URLSearchParams(location.search).get('kind') === 'shared' ? 'shared' : 'worker';
const page = window as unknown as { __result?: WorkersPageResult; __start?: () => void };
const status = document.getElementById('status')!;
const workerUrl = new URL('gramjs-worker.js', location.href).href;
const errors: WorkersPageResult['errors'] = [];

function connect(): { post(message: unknown): void; onMessage(handler: (data: unknown) => void): void } {
  if (kind === 'shared') {
    const shared = new SharedWorker(workerUrl, { type: 'module', name: 'gramjs' });
    shared.port.start();
    return { post: (m) => shared.port.postMessage(m), onMessage: (h) => shared.port.addEventListener('message', (e) => h(e.data)) };
  }
  const worker = new Worker(workerUrl, { type: 'module' });
  return { post: (m) => worker.postMessage(m), onMessage: (h) => worker.addEventListener('message', (e) => h(e.data)) };
}

async function main(): Promise<void> {
  const config = await (await fetch('/fake-telegram/session.json')).json();
  let channel = kind === 'shared' ? connect() : null;
  if (new URLSearchParams(location.search).has('wait')) {
    status.textContent = 'waiting';
    await new Promise<void>((resolve) => (page.__start = resolve));
  }
  channel ??= connect();
  status.textContent = 'running';
  channel.onMessage((data) => {
    const message = data as { type: string; error?: WorkersPageResult['errors'][number] };
    if (message.type === 'error' && message.error) errors.push(message.error);
    if (message.type === 'done') {
      const done = JSON.parse(decodeURIComponent(escape(atob((data as { summary: string }).summary)))) as { outcomes: Outcome[]; error?: string };
      page.__result = { done: true, kind, outcomes: done.outcomes, errors, ...(done.error ? { error: done.error } : {}) };
      status.textContent = done.error ? 'failed' : 'done';
      document.getElementById('out')!.textContent = JSON.stringify(done.outcomes, null, 1);
    }
  });
  channel.post({ type: 'start', config });
}

void main();
