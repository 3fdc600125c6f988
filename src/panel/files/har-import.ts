// A HAR saved from DevTools' Network panel, turned into the captures the page hook would
// have made (response bodies, WebSocket messages), then decoded and classified by the same
// core code as live traffic, and linked into redirect chains the way the background does.

import type { Channel, ErrorRecord } from '../../core/record.ts';
import type { HookCapture } from '../../shared/messages.ts';
import { CaptureSession, decodeCapture } from '../../core/capture/decode-capture.ts';
import { linkRedirect, type PendingRedirect } from '../../core/errors/redirect-chains.ts';
import { fromBase64, toHex } from '../../core/mtproto/bytes.ts';
import { CallLog, type CallRecord } from '../../core/calls/index.ts';
import { callsOfRequests, errorSeenOf } from '../../core/calls/from-capture.ts';

/** The parts of HAR 1.2 (and Chrome's `_webSocketMessages` extension) that are read. */
export interface HarLike {
  log: {
    pages?: { title?: string }[];
    entries: HarEntry[];
  };
}

interface HarEntry {
  startedDateTime?: string;
  _resourceType?: string;
  request?: { url?: string; method?: string };
  response?: { status?: number; content?: { text?: string; encoding?: string; mimeType?: string } };
  _webSocketMessages?: { type?: string; time?: number; opcode?: number; data?: string }[];
}

/** Bytes of a connection's first client message kept to recognise the transport, as the hook does. */
const CLIENT_HEAD_BYTES = 64;

/**
 * The HAR's errors, and the calls it shows (requests read from MTProto frames and /apiw1 bodies
 * it kept, their answers, and the calls the errors answer), linked as the background links them.
 */
export function recordsFromHar(har: HarLike): { records: ErrorRecord[]; calls: CallRecord[]; scanned: number; pageUrl: string | null } {
  const captures: HookCapture[] = [];
  // A hand-edited or foreign file may hold anything where an entry or a message should be.
  har.log.entries.forEach((entry, index) => {
    if (typeof entry === 'object' && entry !== null) captures.push(...capturesOfEntry(entry, index));
  });
  // Decode in time order, so ids and redirect chains follow what happened.
  captures.sort((a, b) => a.at - b.at);
  const records: ErrorRecord[] = [];
  const pending: PendingRedirect[] = [];
  const calls = new CallLog(Number.MAX_SAFE_INTEGER);
  const session = new CaptureSession();
  for (const capture of captures) {
    const decoded = decodeCapture(capture, session);
    for (const call of callsOfRequests(capture, decoded.requests)) calls.add(call);
    for (const answer of decoded.answers ?? []) calls.answered(answer.reqMsgId, answer.at);
    for (const found of decoded.records) {
      const record: ErrorRecord = { ...found, id: records.length + 1 };
      record.before = calls.linkError({ ...errorSeenOf(found), id: record.id }).before;
      linkRedirect(pending, record);
      records.push(record);
    }
  }
  // What a saved file leaves without an answer stays pending: the HAR ends, not the connection.
  const title = har.log.pages?.[0]?.title;
  return { records, calls: calls.calls(), scanned: captures.length, pageUrl: typeof title === 'string' && /^[a-z]+:\/\//.test(title) ? title : null };
}

function channelOf(entry: HarEntry): Channel {
  const mime = String(entry.response?.content?.mimeType ?? '');
  if (mime.startsWith('text/event-stream') || entry._resourceType === 'eventsource') return 'eventsource';
  return entry._resourceType === 'xhr' ? 'xhr' : 'fetch';
}

function capturesOfEntry(entry: HarEntry, index: number): HookCapture[] {
  const url = entry.request?.url;
  if (typeof url !== 'string') return [];
  const at = Date.parse(entry.startedDateTime ?? '') || 0;
  if (Array.isArray(entry._webSocketMessages)) return webSocketCaptures(entry._webSocketMessages, url, at, index);
  const content = entry.response?.content;
  if (typeof content?.text !== 'string' || content.text === '') return [];
  const base = { v: 1 as const, channel: channelOf(entry), direction: 'in' as const, url, at, status: entry.response?.status };
  if (content.encoding === 'base64') {
    // Text bodies saved as base64 are scanned as text; anything else as binary (MTProto over HTTP).
    if (/json|text|javascript/.test(String(content.mimeType ?? ''))) {
      const bytes = fromBase64(content.text);
      if (bytes) return [{ ...base, kind: 'text', data: new TextDecoder().decode(bytes) }];
    }
    return [{ ...base, kind: 'binary', data: content.text }];
  }
  return [{ ...base, kind: 'text', data: content.text }];
}

function webSocketCaptures(messages: NonNullable<HarEntry['_webSocketMessages']>, url: string, fallbackAt: number, index: number): HookCapture[] {
  const conn = `har-ws-${index}`;
  const offsets = { in: 0, out: 0 };
  let clientHead: string | undefined;
  const captures: HookCapture[] = [];
  for (const message of messages) {
    if (typeof message !== 'object' || message === null || typeof message.data !== 'string') continue;
    const direction = message.type === 'send' ? 'out' : 'in';
    const at = typeof message.time === 'number' ? Math.round(message.time * 1000) : fallbackAt;
    if (message.opcode === 2) {
      const bytes = fromBase64(message.data);
      if (!bytes) continue;
      if (direction === 'out' && clientHead === undefined) clientHead = toHex(bytes, 0, Math.min(bytes.length, CLIENT_HEAD_BYTES));
      captures.push({ v: 1, channel: 'websocket', direction, url, at, kind: 'binary', data: message.data, conn, offset: offsets[direction], clientHead });
      offsets[direction] += bytes.length;
    } else {
      captures.push({ v: 1, channel: 'websocket', direction, url, at, kind: 'text', data: message.data, conn });
    }
  }
  return captures;
}
