// The handling demo page: a GramJS app that mishandles errors (?mode=misbehaving) or one that
// handles them (?mode=well-behaved), against the fake Telegram. Like the fake's own page: the
// session is stored first and, with ?wait=1, the app starts only when window.__start() is called
// (a test gives the inspector the keys first). The outcome goes to window.__handlingResult.

import '../../../fake-telegram/page/buffer-global.ts';
import { TelegramClient } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StoreSession } from 'telegram/sessions/index.js';
import { usePresharedKeys } from '../../../fake-telegram/preshared-session.ts';
import { runMisbehaving, runWellBehaved, runWorkerRestart, type HandlingMode, type StepOutcome } from '../scenarios.ts';

const SESSION_NAME = 'fake_telegram';

declare global {
  interface Window {
    __handlingResult?: { done: true; mode: HandlingMode; steps: StepOutcome[]; error?: string };
    __start?: () => void;
  }
}

const params = new URLSearchParams(location.search);
const asked = params.get('mode');
const mode: HandlingMode = asked === 'misbehaving' || asked === 'worker-restart' ? asked : 'well-behaved';

function startSignal(): Promise<void> {
  if (!params.has('wait')) return Promise.resolve();
  document.getElementById('status')!.textContent = 'waiting';
  return new Promise((resolve) => (window.__start = resolve));
}

async function main(): Promise<NonNullable<Window['__handlingResult']>> {
  document.title = `GramJS ${mode} app`;
  document.getElementById('mode')!.textContent = mode;
  const config = (await (await fetch('/fake-telegram/session.json')).json()) as {
    dcId: number;
    serverAddress: string;
    port: number;
    keys: Record<number, string>;
  };
  const session = new StoreSession(SESSION_NAME);
  await usePresharedKeys(session, config.keys);
  session.setDC(config.dcId, config.serverAddress, config.port);
  const stored = session.getAuthKey(config.dcId);
  if (stored) session.setAuthKey(stored, config.dcId);
  await startSignal();
  const client = new TelegramClient(session, 1, 'fake-api-hash', {
    connectionRetries: 1,
    baseLogger: new Logger(LogLevel.NONE),
    // The misbehaving app handles flood waits itself (badly).
    ...(mode === 'misbehaving' ? { floodSleepThreshold: 0 } : {}),
  });
  let steps: StepOutcome[] = [];
  let error: string | undefined;
  try {
    await client.connect();
    steps = mode === 'misbehaving' ? await runMisbehaving(client) : mode === 'worker-restart' ? await runWorkerRestart(client) : await runWellBehaved(client);
  } catch (e) {
    error = String((e as Error)?.stack ?? e);
  } finally {
    await client.destroy().catch(() => undefined);
  }
  return { done: true, mode, steps, ...(error ? { error } : {}) };
}

void main().then((result) => {
  window.__handlingResult = result;
  document.getElementById('status')!.textContent = result.error ? 'failed' : 'done';
  document.getElementById('out')!.textContent = JSON.stringify(result.steps, null, 1);
});
