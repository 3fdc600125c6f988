// The client page: a GramJS app as a web developer would write it (TelegramClient with a
// StoreSession, browser defaults for transport and hosts), playing the standard scenario.
// Bundled by build-page.ts; the result is left in window.__result for the test.

import './buffer-global.ts';
import { TelegramClient } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StoreSession, StringSession } from 'telegram/sessions/index.js';
import { usePresharedKeys } from '../preshared-session.ts';
import { playScenario, type Outcome } from '../scenario.ts';

/** StoreSession name: localStorage keys are `fake_telegram:authKey`, `:dcId`, `:serverAddress`, `:port`. */
const SESSION_NAME = 'fake_telegram';

export interface PageResult {
  done: true;
  outcomes: Outcome[];
  /** The StoreSession's localStorage entries after the run, raw strings as stored. */
  storage: Record<string, string | null>;
  error?: string;
}

declare global {
  interface Window {
    __result?: PageResult;
    /** With ?wait=1: the session is stored, and the client connects only when this is called. */
    __start?: () => void;
  }
}

/** With ?wait=1 the page stops before connecting: a test gives the inspector the keys first. */
function startSignal(): Promise<void> {
  if (!new URLSearchParams(location.search).has('wait')) return Promise.resolve();
  document.getElementById('status')!.textContent = 'waiting';
  return new Promise((resolve) => (window.__start = resolve));
}

async function main(): Promise<PageResult> {
  const config = (await (await fetch('/fake-telegram/session.json')).json()) as {
    dcId: number;
    serverAddress: string;
    port: number;
    keys: Record<number, string>;
  };
  // ?store=own: an app that keeps its keys under names of its own, localStorage['<dc>authKey']
  // (e.g. '2authKey') as a JSON array of 256 numbers (a format no known client uses), and its
  // session in memory.
  const ownStore = new URLSearchParams(location.search).get('store') === 'own';
  const session = ownStore ? new StringSession('') : new StoreSession(SESSION_NAME);
  await usePresharedKeys(session, config.keys);
  if (ownStore) for (const [dc, hex] of Object.entries(config.keys)) localStorage.setItem(`${dc}authKey`, JSON.stringify([...Buffer.from(hex, 'hex')]));
  // As a StoreSession app that logged in before has it: DC, address and port stored, and the
  // current DC's key in localStorage.
  session.setDC(config.dcId, config.serverAddress, config.port);
  const stored = session.getAuthKey(config.dcId);
  if (stored) session.setAuthKey(stored, config.dcId);
  await startSignal();
  const client = new TelegramClient(session, 1, 'fake-api-hash', { connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE) });
  const { outcomes, error } = await playScenario(client);
  const storage = Object.fromEntries(
    Object.keys(localStorage)
      .filter((k) => k.startsWith(`${SESSION_NAME}:`))
      .map((k) => [k, localStorage.getItem(k)]),
  );
  return { done: true, outcomes, storage, ...(error ? { error } : {}) };
}

void main().then((result) => {
  window.__result = result;
  document.getElementById('status')!.textContent = result.error ? 'failed' : 'done';
  document.getElementById('out')!.textContent = JSON.stringify(result.outcomes, null, 1);
});
