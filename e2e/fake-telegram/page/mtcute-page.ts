// The page of an app that keeps mtcute in a dedicated Worker (mtcute-worker.ts) and talks to it
// through mtcute's TelegramWorkerPort: it imports the fake's pre-shared session for DC 2, then
// calls messages.sendMessage, which the test's script answers with a FLOOD_WAIT longer than
// mtcute's floodSleepThreshold (10 s by default), so mtcute passes it on to the page. With
// ?wait=1 the run starts on window.__start() (a test first turns "Capture inside workers" on).
// ?kind=shared runs mtcute in a SharedWorker (TelegramWorker supports both), created at load as
// Web K's is; the dedicated Worker is created on start, so it begins under the debugger's
// auto-attach.

import { TelegramWorkerPort, type tl } from '@mtcute/web';
import Long from 'long';

/** What the page saw of each call: mtcute's RpcError fields, or ok. */
export interface MtcuteOutcome {
  method: string;
  ok: boolean;
  name?: string;
  code?: number;
  text?: string;
  seconds?: number;
}

export interface MtcutePageResult {
  done: true;
  outcomes: MtcuteOutcome[];
  /** ?plan=burst: every call the page made through the port, in order, with when it made it. */
  calls?: (MtcuteOutcome & { at: number })[];
  /** ?plan=close: when the page disconnected the client. */
  closedAt?: number;
  error?: string;
}

const page = window as unknown as { __result?: MtcutePageResult; __start?: () => void };
const status = document.getElementById('status')!;

const bytesOfHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g)!, (b) => parseInt(b, 16));

async function outcomeOf(method: string, call: Promise<unknown>): Promise<MtcuteOutcome> {
  try {
    await call;
    return { method, ok: true };
  } catch (e) {
    const error = e as tl.RpcError & { seconds?: number };
    return { method, ok: false, name: error.constructor.name, code: error.code, text: error.text, seconds: error.seconds };
  }
}

async function main(): Promise<void> {
  const config = (await (await fetch('/fake-telegram/session.json')).json()) as { keys: Record<number, string> };
  const workerUrl = new URL('mtcute-worker.js', location.href);
  const shared = new URLSearchParams(location.search).get('kind') === 'shared' ? new SharedWorker(workerUrl, { type: 'module', name: 'mtcute' }) : null;
  if (new URLSearchParams(location.search).has('wait')) {
    status.textContent = 'waiting';
    await new Promise<void>((resolve) => (page.__start = resolve));
  }
  status.textContent = 'running';
  const port = new TelegramWorkerPort({ worker: shared ?? new Worker(workerUrl, { type: 'module' }) });
  const dc = { id: 2, ipAddress: '149.154.167.50', port: 443 };
  const importedAt = Date.now();
  await port.importSession({ primaryDcs: { main: dc, media: dc }, self: null, authKey: bytesOfHex(config.keys[2]) }, true);
  if (new URLSearchParams(location.search).get('plan') === 'burst') return burst(port, importedAt);
  if (new URLSearchParams(location.search).get('plan') === 'close') return closeWhileWaiting(port, importedAt);
  const randomId = Long.fromBits((Math.random() * 2 ** 32) | 0, (Math.random() * 2 ** 31) | 0);
  // One call first (it opens the connection), then several at once, as an app's start-up does.
  const outcomes = [
    await outcomeOf('messages.sendMessage', port.call({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'hello', randomId })),
  ];
  outcomes.push(
    ...(await Promise.all([
      outcomeOf('contacts.resolveUsername', port.call({ _: 'contacts.resolveUsername', username: 'durov' })),
      outcomeOf('contacts.getContacts', port.call({ _: 'contacts.getContacts', hash: Long.ZERO })),
      outcomeOf('updates.getState', port.call({ _: 'updates.getState' })),
      outcomeOf('help.getNearestDc', port.call({ _: 'help.getNearestDc' })),
    ])),
  );
  // The app tries again: mtcute answers from the wait it stored (floodWaiter's store), without a request.
  outcomes.push(
    await outcomeOf(
      'messages.sendMessage',
      port.call({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'hello again', randomId: randomId.add(1) }),
    ),
  );
  page.__result = { done: true, outcomes };
  status.textContent = 'done';
  document.getElementById('out')!.textContent = JSON.stringify(outcomes, null, 1);
}

/**
 * ?plan=burst, for the call log's e2e (e2e/specs/calls/calls-mtcute.spec.ts): calls one after
 * another, updates.getState, two help.getNearestDc, a contacts.resolveUsername (the test's script
 * fails it), then 11 s later seven help.getNearestDc (the script floods the seventh), and one
 * updates.getState after it.
 */
async function burst(port: Pick<TelegramWorkerPort<never>, 'call'>, importedAt: number): Promise<void> {
  const calls: (MtcuteOutcome & { at: number })[] = [{ method: 'client.importSession', ok: true, at: importedAt }];
  const plan: [string, number, tl.RpcMethod][] = [
    ['updates.getState', 1, { _: 'updates.getState' }],
    ['help.getNearestDc', 2, { _: 'help.getNearestDc' }],
    ['contacts.resolveUsername', 1, { _: 'contacts.resolveUsername', username: 'nobody_here' }],
    ['pause', 11_000, { _: 'help.getNearestDc' }],
    ['help.getNearestDc', 7, { _: 'help.getNearestDc' }],
    ['updates.getState', 1, { _: 'updates.getState' }],
  ];
  for (const [method, times, request] of plan) {
    if (method === 'pause') {
      await new Promise((resolve) => setTimeout(resolve, times));
      continue;
    }
    for (let i = 0; i < times; i++) {
      const at = Date.now();
      calls.push({ ...(await outcomeOf(method, port.call(request))), at });
    }
  }
  page.__result = { done: true, outcomes: calls.map(({ at: _at, ...outcome }) => outcome), calls };
  status.textContent = 'done';
}

/**
 * ?plan=close (calls-mtcute.spec.ts): updates.getState, then a help.getNearestDc the test's
 * script answers only after minutes, and the client disconnects (its socket closes) while that
 * call waits. `closedAt`: when the page asked for the disconnect.
 */
async function closeWhileWaiting(port: Pick<TelegramWorkerPort<never>, 'call' | 'disconnect'>, importedAt: number): Promise<void> {
  const calls: (MtcuteOutcome & { at: number })[] = [{ method: 'client.importSession', ok: true, at: importedAt }];
  const at = Date.now();
  calls.push({ ...(await outcomeOf('updates.getState', port.call({ _: 'updates.getState' }))), at });
  void port.call({ _: 'help.getNearestDc' }).catch(() => undefined);
  await new Promise((resolve) => setTimeout(resolve, 1_500));
  const closedAt = Date.now();
  // mtcute's disconnect may wait on the call in flight: the socket's close is what matters here.
  await Promise.race([port.disconnect(), new Promise((resolve) => setTimeout(resolve, 3_000))]);
  page.__result = { done: true, outcomes: calls.map(({ at: _at, ...outcome }) => outcome), calls, closedAt };
  status.textContent = 'done';
}

main().catch((e: unknown) => {
  page.__result = { done: true, outcomes: [], error: String((e as Error)?.stack ?? e) };
  status.textContent = 'failed';
});
