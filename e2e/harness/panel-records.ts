// Realistic error records for the panel's e2e tests, screenshots and benchmark, made by the
// real classifier (so types, meanings, actions and params are what live capture produces)
// and linked into redirect chains by the real chain linker.

import { classifyRpcError } from '../../src/core/errors/classify.ts';
import { buildExportFile } from '../../src/core/export-format.ts';
import { linkRedirect, type PendingRedirect } from '../../src/core/errors/redirect-chains.ts';
import type { Channel, Dialect, ErrorRecord, Evidence } from '../../src/core/record.ts';

interface Sample {
  code: number;
  message: string;
  method: string;
  channel: Channel;
  dialect: Dialect;
  dc: number | null;
  /** Relative weight in a generated log. */
  weight: number;
}

const SAMPLES: Sample[] = [
  { code: 400, message: 'PEER_ID_INVALID', method: 'messages.getHistory', channel: 'websocket', dialect: 'mtproto', dc: 2, weight: 14 },
  { code: 420, message: 'FLOOD_WAIT_17', method: 'messages.sendMessage', channel: 'websocket', dialect: 'mtproto', dc: 2, weight: 8 },
  { code: 420, message: 'FLOOD_WAIT_3600', method: 'contacts.resolveUsername', channel: 'websocket', dialect: 'mtproto', dc: 2, weight: 2 },
  { code: 400, message: 'MESSAGE_ID_INVALID', method: 'messages.editMessage', channel: 'websocket', dialect: 'mtproto', dc: 2, weight: 6 },
  { code: 400, message: 'FILE_REFERENCE_EXPIRED', method: 'upload.getFile', channel: 'websocket', dialect: 'mtproto', dc: 4, weight: 8 },
  { code: 303, message: 'FILE_MIGRATE_4', method: 'upload.getFile', channel: 'websocket', dialect: 'mtproto', dc: 2, weight: 5 },
  { code: 401, message: 'AUTH_KEY_UNREGISTERED', method: 'updates.getState', channel: 'websocket', dialect: 'mtproto', dc: 5, weight: 2 },
  { code: 403, message: 'CHAT_WRITE_FORBIDDEN', method: 'messages.sendMessage', channel: 'websocket', dialect: 'mtproto', dc: 2, weight: 4 },
  { code: 406, message: 'UPDATE_APP_TO_LOGIN', method: 'auth.signIn', channel: 'fetch', dialect: 'tl-json', dc: 2, weight: 1 },
  { code: 500, message: 'INTERDC_2_CALL_ERROR', method: 'channels.getMessages', channel: 'websocket', dialect: 'mtproto', dc: 4, weight: 2 },
  { code: 400, message: 'USERNAME_INVALID', method: 'contacts.resolveUsername', channel: 'fetch', dialect: 'tl-json', dc: 2, weight: 4 },
  { code: 429, message: 'Too Many Requests: retry after 35', method: 'sendMessage', channel: 'fetch', dialect: 'bot-api', dc: null, weight: 3 },
  { code: 404, message: 'Not Found', method: 'getUpdates', channel: 'fetch', dialect: 'bot-api', dc: null, weight: 1 },
  { code: -503, message: 'Timeout', method: 'help.getConfig', channel: 'xhr', dialect: 'tl-json', dc: 1, weight: 2 },
  { code: 400, message: 'CHANNEL_PRIVATE', method: 'channels.getFullChannel', channel: 'websocket', dialect: 'mtproto', dc: 2, weight: 3 },
];

const URLS: Record<Channel, string> = {
  websocket: 'wss://kws2.web.telegram.org/apiws',
  fetch: 'https://venus.web.telegram.org/apiw1',
  xhr: 'https://pluto.web.telegram.org/apiw1',
  eventsource: 'https://venus.web.telegram.org/events',
  worker: 'worker://sw',
  import: '',
};

function tlString(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  const out = [bytes.length, ...bytes];
  while (out.length % 4 !== 0) out.push(0);
  return out;
}

const int32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const hex = (bytes: number[]) => bytes.map((b) => b.toString(16).padStart(2, '0')).join('');

/** A decrypted MTProto message: salt, session, msg_id, seqno, length, rpc_result{ rpc_error }. */
function bytesEvidence(code: number, message: string, seed: number): Evidence {
  const rpcError = [...int32(0x2144ca19), ...int32(code), ...tlString(message)];
  const body = [...int32(0xf35c6d01), ...int32(seed * 4 + 1), ...int32(0x65000000), ...rpcError];
  const header = [
    ...int32(0x1a2b3c4d),
    ...int32(seed),
    ...int32(0x0badf00d),
    ...int32(0x11223344),
    ...int32(seed * 4 + 1),
    ...int32(0x65000001),
    ...int32(seed * 2 + 1),
    ...int32(body.length),
  ];
  const frame = [...header, ...body];
  return { kind: 'bytes', hex: hex(frame), markStart: header.length + 12, markLength: rpcError.length, path: ['rpc_result', 'rpc_error'], truncated: false };
}

function jsonEvidence(code: number, message: string, dialect: Dialect): Evidence {
  const excerpt =
    dialect === 'bot-api'
      ? JSON.stringify({ ok: false, error_code: code, description: message })
      : JSON.stringify({ _: 'rpc_error', error_code: code, error_message: message });
  return { kind: 'json', excerpt };
}

/** Deterministic pseudo-random numbers, so screenshots and figures are repeatable. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export interface GenerateOptions {
  /** Epoch ms of the newest record. */
  endAt: number;
  /** How far back the oldest record is. */
  spanMs: number;
  seed?: number;
}

/** `count` records spread over the span, weighted like a busy client's errors. */
export function generateRecords(count: number, opts: GenerateOptions): ErrorRecord[] {
  const next = random(opts.seed ?? 7);
  const totalWeight = SAMPLES.reduce((n, s) => n + s.weight, 0);
  const start = opts.endAt - opts.spanMs;
  const planned: { sample: Sample; at: number }[] = [];
  for (let i = 0; i < count; i++) {
    let pick = next() * totalWeight;
    const sample = SAMPLES.find((s) => (pick -= s.weight) < 0) ?? SAMPLES[0];
    planned.push({ sample, at: Math.round(start + opts.spanMs * (i / Math.max(1, count - 1)) * (0.97 + next() * 0.03)) });
  }
  // Ids follow capture order and chains are linked in that order, as in a live log.
  planned.sort((a, b) => a.at - b.at);
  const pending: PendingRedirect[] = [];
  // Bot API calls go to api.telegram.org (the token masked, as the extension stores it), not to a DC.
  const urlOf = (sample: { dialect: string; channel: keyof typeof URLS; method: string | null }) =>
    sample.dialect === 'bot-api' ? `https://api.telegram.org/bot123456:***/${sample.method}` : URLS[sample.channel];
  const records = planned.map(({ sample, at }, i) => {
    const evidence =
      sample.dialect === 'mtproto' ? bytesEvidence(sample.code, sample.message, i + 1) : jsonEvidence(sample.code, sample.message, sample.dialect);
    const record = classifyRpcError(
      { code: sample.code, message: sample.message, dialect: sample.dialect },
      { capturedAt: at, channel: sample.channel, direction: 'in', url: urlOf(sample), method: sample.method, dc: sample.dc, evidence },
      i + 1,
    );
    linkRedirect(pending, record);
    return record;
  });
  return records;
}

/**
 * A short session that teaches the DC map and shows a full redirect chain: auth.sendCode on
 * DC 2 answered PHONE_MIGRATE_4, its repeat on DC 4 hit a flood wait; files live on DC 4,
 * the user on DC 4, stats on DC 5. Waits end in the future, so countdowns run.
 */
export function redirectSession(endAt: number): ErrorRecord[] {
  const steps: [offsetMs: number, code: number, message: string, method: string, dc: number][] = [
    [-9000, 303, 'PHONE_MIGRATE_4', 'auth.sendCode', 2],
    [-8200, 420, 'FLOOD_WAIT_95', 'auth.sendCode', 4],
    [-7000, 303, 'USER_MIGRATE_4', 'users.getFullUser', 2],
    [-6100, 303, 'FILE_MIGRATE_4', 'upload.getFile', 2],
    [-5200, 400, 'FILE_REFERENCE_EXPIRED', 'upload.getFile', 4],
    [-4000, 303, 'STATS_MIGRATE_5', 'stats.getBroadcastStats', 4],
    [-3000, 420, 'FLOOD_WAIT_600', 'messages.sendMessage', 4],
    [-2000, 420, 'SLOWMODE_WAIT_40', 'messages.sendMedia', 4],
    [-1000, 420, 'FLOOD_WAIT_90000', 'contacts.importContacts', 4],
    [-500, 400, 'PEER_ID_INVALID', 'messages.getHistory', 4],
  ];
  const pending: PendingRedirect[] = [];
  return steps.map(([offset, code, message, method, dc], i) => {
    const record = classifyRpcError(
      { code, message, dialect: 'mtproto' },
      {
        capturedAt: endAt + offset,
        channel: 'websocket',
        direction: 'in',
        url: `wss://kws${dc}.web.telegram.org/apiws`,
        method,
        dc,
        evidence: bytesEvidence(code, message, i + 1),
      },
      i + 1,
    );
    linkRedirect(pending, record);
    return record;
  });
}

/** Our export format, as the panel's Export writes it. */
export function exportText(records: ErrorRecord[], pageUrl = 'https://web.telegram.org/k/'): string {
  return JSON.stringify(buildExportFile(records, pageUrl, new Date()));
}
