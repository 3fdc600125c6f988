// Benchmark (not a test): classifies 1,000,000 realistic errors and prints errors/second.
// Run: npx tsx scripts/bench-classify.ts [count]   target: >= 1,000,000 errors/s

import { classifyRpcError, type CaptureContext, type RpcErrorInput } from '../src/core/errors/classify.ts';
import type { Dialect } from '../src/core/record.ts';

const COUNT = Number(process.argv[2] ?? 1_000_000);

/** A fixed pseudo-random sequence so runs are comparable. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const random = rng(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];

// Roughly what a busy client sees: mostly flood waits and bad input, some redirects, auth,
// internal errors, free-text server messages, Bot API 429s, and names no catalog knows.
const makers: ReadonlyArray<() => RpcErrorInput> = [
  () => ({ code: 420, message: `FLOOD_WAIT_${1 + Math.floor(random() * 3600)}`, dialect: 'tl-json' }),
  () => ({ code: 420, message: `SLOWMODE_WAIT_${1 + Math.floor(random() * 300)}`, dialect: 'gramjs' }),
  () => ({
    code: 400,
    message: pick(['PEER_ID_INVALID', 'MESSAGE_ID_INVALID', 'CHAT_ADMIN_REQUIRED', 'USERNAME_NOT_OCCUPIED', 'MESSAGE_NOT_MODIFIED']),
    dialect: 'tl-json',
  }),
  () => ({ code: 400, message: 'CHANNEL_INVALID: The provided channel is invalid', dialect: 'tdlib' }),
  () => ({ code: 303, message: `${pick(['FILE', 'USER', 'PHONE', 'NETWORK'])}_MIGRATE_${1 + Math.floor(random() * 5)}`, dialect: 'tl-json' }),
  () => ({ code: 400, message: `FILE_PART_${Math.floor(random() * 4000)}_MISSING`, dialect: 'tl-json' }),
  () => ({ code: 401, message: pick(['AUTH_KEY_UNREGISTERED', 'SESSION_REVOKED', 'SESSION_PASSWORD_NEEDED']), dialect: 'webk' }),
  () => ({ code: 403, message: pick(['CHAT_WRITE_FORBIDDEN', 'USER_PRIVACY_RESTRICTED']), dialect: 'weba' }),
  () => ({ code: 406, message: pick(['AUTH_KEY_DUPLICATED', 'FRESH_CHANGE_ADMINS_FORBIDDEN']), dialect: 'tl-json' }),
  () => ({ code: 500, message: pick(['RPC_CALL_FAIL', 'INTERDC_2_CALL_ERROR', 'WORKER_BUSY_TOO_LONG_RETRY']), dialect: 'mtproto' }),
  () => ({ code: pick([-503, -500]), message: pick(['Timeout', 'No workers running', 'MSG_WAIT_TIMEOUT']), dialect: 'mtproto' }),
  () => {
    const n = 1 + Math.floor(random() * 120);
    return { code: 429, message: `Too Many Requests: retry after ${n}`, dialect: 'bot-api', retryAfter: n };
  },
  () => ({ code: 400, message: 'Bad Request: chat not found', dialect: 'bot-api' }),
  () => ({ code: null, message: `SOME_NEW_THING_${pick(['INVALID', 'EXPIRED', 'TOO_LONG'])}`, dialect: 'tl-json' }),
];

const urls = [
  'https://api.telegram.org/bot123456789:AAHfiqksKZ8WmR2zSjiQ7_v4TMAKdiHm9T0/sendMessage',
  'wss://zws2.web.telegram.org/apiws',
  'https://venus.web.telegram.org/apiw1?session=abc&hash=deadbeef',
  null,
];
const dialectChannels: Partial<Record<Dialect, CaptureContext['channel']>> = { 'bot-api': 'fetch', tdlib: 'worker', webk: 'worker', weba: 'worker' };

const POOL = 20_000;
const inputs: RpcErrorInput[] = [];
const contexts: CaptureContext[] = [];
const base = Date.UTC(2025, 0, 1);
for (let i = 0; i < POOL; i++) {
  const input = makers[Math.floor(random() * makers.length)]();
  inputs.push(input);
  contexts.push({
    capturedAt: base + i * 7,
    channel: dialectChannels[input.dialect] ?? 'websocket',
    direction: 'in',
    url: pick(urls),
    method: pick(['messages.sendMessage', 'upload.getFile', 'sendMessage', null]),
    dc: pick([1, 2, 4, null]),
    evidence: { kind: 'json', excerpt: JSON.stringify({ _: 'rpc_error', error_code: input.code, error_message: input.message }) },
  });
}

function run(count: number): number {
  let checksum = 0;
  for (let i = 0; i < count; i++) {
    const k = i % POOL;
    const record = classifyRpcError(inputs[k], contexts[k], i);
    checksum += record.code + record.action.kind.length;
  }
  return checksum;
}

run(200_000); // warm up the JIT and the per-type caches
const started = performance.now();
const checksum = run(COUNT);
const ms = performance.now() - started;
const perSecond = Math.round(COUNT / (ms / 1000));
const fmt = (n: number): string => n.toLocaleString('en-US');
console.log(`classify: ${fmt(perSecond)} errors/s (${fmt(COUNT)} errors in ${Math.round(ms)} ms) [checksum ${checksum}]`);
if (perSecond < 1_000_000) {
  console.log('classify: below the target of 1,000,000 errors/s');
  process.exitCode = 1;
}
