// Entry point for tests that need a fake Telegram: the server, its DCs and keys, the Chromium
// flags that route Telegram's web hosts to it, the standard scenario and its checks.

export { startFakeTelegram, sessionConfig, type FakeTelegram, type FakeTelegramOptions } from './server.ts';
export { DC_HOSTS, PRESHARED_KEYS, presharedAuthKey, dcOfHost, hostResolverRules, fakeTelegramChromiumArgs } from './dcs.ts';
export type { Answer, Rule, FakeTelegramLog, ConnectionLogEntry, CallLogEntry, SentErrorEntry } from './script.ts';
export { SCRIPT, type Outcome } from './scenario.ts';
export { EXPECTED_OUTCOMES, checkOutcomes, checkLog, checkRun } from './expect.ts';
export { buildPage, PAGE_DIR } from './build-page.ts';
/** localStorage keys the page's GramJS StoreSession writes (values as store2 stores them: JSON). */
export const STORE_SESSION_KEYS = ['fake_telegram:authKey', 'fake_telegram:dcId', 'fake_telegram:serverAddress', 'fake_telegram:port'] as const;
