// GramJS inside a worker, as Web A (dedicated Worker) and Web K (SharedWorker) keep their
// MTProto: the page posts {type: 'start', config}; the worker plays the standard scenario
// against the fake Telegram and posts back each error the app sees as it happens (GramJS's
// RPCError fields: the page-worker boundary the extension's hook reads), then the outcomes.
// Works as a dedicated worker (self.onmessage) and as a SharedWorker (onconnect, one port).

import './worker-globals.ts';
import { TelegramClient } from 'telegram';
import { Logger, LogLevel } from 'telegram/extensions/Logger.js';
import { StringSession } from 'telegram/sessions/index.js';
import { usePresharedKeys } from '../preshared-session.ts';
import { runScenario, type Outcome } from '../scenario.ts';

interface Config {
  dcId: number;
  serverAddress: string;
  port: number;
  keys: Record<number, string>;
}

interface Port {
  postMessage(message: unknown): void;
}

async function play(port: Port, config: Config): Promise<void> {
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
  let outcomes: Outcome[] = [];
  let error: string | undefined;
  try {
    await client.connect();
    outcomes = await runScenario(client);
  } catch (e) {
    error = String((e as Error)?.stack ?? e);
  } finally {
    await client.destroy().catch(() => undefined);
  }
  port.postMessage({ type: 'done', outcomes, ...(error ? { error } : {}) });
}

function listen(port: Port & { onmessage: ((event: MessageEvent) => void) | null }): void {
  port.onmessage = (event) => {
    const data = event.data as { type?: string; config?: Config };
    if (data?.type === 'start' && data.config) void play(port, data.config);
  };
}

const scope = globalThis as unknown as { onconnect?: unknown; postMessage: Port['postMessage']; onmessage: ((event: MessageEvent) => void) | null };
if ('SharedWorkerGlobalScope' in globalThis) {
  scope.onconnect = (event: MessageEvent) => listen(event.ports[0] as unknown as Port & { onmessage: ((event: MessageEvent) => void) | null });
} else {
  listen(scope);
}
