// A GramJS client on the page's main thread that only listens: the fake server pushes it a
// stream of encrypted messages (scripts/bench-gramjs-cpu.ts), which GramJS decrypts, parses
// and dispatches to a Raw update handler, as an app that shows incoming messages has one.
// No page-to-bench channel of its own: the page talks through GramJS calls the fake server
// logs (users.getUsers when ready, help.getNearestDc at the end of each phase), so the profile
// holds nothing but the client's own work and the hook's.
// Bundled by build-page.ts; served as gramjs-stream.html.

import './buffer-global.ts';
import { Api, TelegramClient } from 'telegram';
import { Raw } from 'telegram/events/index.js';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import { usePresharedKeys } from '../preshared-session.ts';

declare global {
  interface Window {
    /** The stream's updates the handler has seen (the bench's markers included). */
    __updates?: number;
    /** Characters of keys the inspector's content script handed this page (-1: none yet; set by the HTML). */
    __keyChars?: number;
  }
}

// The keys arrive from the content script a moment after the page starts (gramjs-stream.html
// counts them); the client connects after that, as on a page whose user gave the keys before.

async function main(): Promise<void> {
  for (let i = 0; window.__keyChars! < 0 && i < 250; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  const config = (await (await fetch('/fake-telegram/session.json')).json()) as {
    dcId: number;
    serverAddress: string;
    port: number;
    keys: Record<number, string>;
  };
  // In memory: a StoreSession would add localStorage writes of the entities of every update.
  const session = new StringSession('');
  await usePresharedKeys(session, config.keys);
  session.setDC(config.dcId, config.serverAddress, config.port);
  const client = new TelegramClient(session, 1, 'fake-api-hash', { connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE) });
  await client.connect();
  window.__updates = 0;
  client.addEventHandler((update: Api.TypeUpdate) => {
    // The stream's updates only (not GramJS's own connection-state events).
    if (update instanceof Api.UpdateNewMessage || update instanceof Api.UpdateConfig) window.__updates!++;
    // The bench ends each phase with an updateConfig: all before it has been read (one socket, in order).
    if (update instanceof Api.UpdateConfig) void client.invoke(new Api.help.GetNearestDc());
  }, new Raw({}));
  // getMe sets the client's own peer, which every dispatched update would otherwise ask for.
  await client.getMe();
  document.getElementById('status')!.textContent = 'listening';
}

main().catch((error: unknown) => {
  document.getElementById('status')!.textContent = `failed: ${String(error)}`;
});
