// The worker's GramJS run (loaded by gramjs-worker.ts once the globals are set): the standard
// scenario against the fake Telegram; each error the app sees is posted to the page as it
// happens (GramJS's RPCError fields: the page-worker boundary the extension's hook reads), then
// the outcomes.

import { TelegramClient } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import { usePresharedKeys } from '../preshared-session.ts';
import { playScenario } from '../scenario.ts';

export interface Config {
  dcId: number;
  serverAddress: string;
  port: number;
  keys: Record<number, string>;
}

export interface Port {
  postMessage(message: unknown): void;
}

export async function play(port: Port, config: Config): Promise<void> {
  const session = new StringSession('');
  await usePresharedKeys(session, config.keys);
  session.setDC(config.dcId, config.serverAddress, config.port);
  const client = new TelegramClient(session, 1, 'fake-api-hash', { connectionRetries: 1, baseLogger: new Logger(LogLevel.NONE) });
  // Each error the app receives crosses to the page at once, as a worker client passes it on.
  const invoke = client.invoke.bind(client);
  client.invoke = (async (request: Parameters<typeof invoke>[0]) => {
    try {
      return await invoke(request);
    } catch (e) {
      const err = e as { code?: number; errorMessage?: string; message?: string };
      port.postMessage({ type: 'error', error: { code: err.code, errorMessage: err.errorMessage, message: err.message } });
      throw e;
    }
  }) as typeof client.invoke;
  const { outcomes, error } = await playScenario(client);
  // The summary is the test's channel, not the app's: sent as base64 so the inspector does not
  // read it as the app passing its errors on a second time (each was passed on above, once).
  port.postMessage({ type: 'done', summary: btoa(unescape(encodeURIComponent(JSON.stringify({ outcomes, ...(error ? { error } : {}) })))) });
}
