// mtcute (npm @mtcute/web) in a dedicated Worker, as its docs set it up: a BaseTelegramClient
// (WebSocket obfuscated intermediate transport to wss://<pluto|venus|...>.web.telegram.org/apiws,
// wasm crypto) handed to a TelegramWorker, which serves the page's TelegramWorkerPort. The
// session (the fake's pre-shared key of DC 2) is imported by the page through the port. No
// updates: the fake has no update state to give.

import { BaseTelegramClient, MemoryStorage, TelegramWorker } from '@mtcute/web';

const client = new BaseTelegramClient({ apiId: 1, apiHash: 'fake-telegram', storage: new MemoryStorage(), disableUpdates: true });
new TelegramWorker({ client });
