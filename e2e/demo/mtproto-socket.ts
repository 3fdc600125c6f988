// The demo's binary MTProto endpoint (`/apiws`): reads the client's transport tag and
// unencrypted requests, answers each like a DC would, with errors inside rpc_result.
// Every answer is a pure function of the request and the connection's own counters,
// so two runs produce identical bytes.

import type { WebSocket } from 'ws';
import {
  CTOR,
  ClientStreamReader,
  frame,
  gzipPacked,
  msgContainer,
  msgsAck,
  nearestDc,
  pong,
  rpcError,
  rpcResult,
  unencryptedMessage,
  uploadFile,
  parseUnencrypted,
  type TransportKind,
  type UnencryptedRequest,
  badMsgNotification,
  transportError,
} from './tl-frames.ts';
import { openObfuscatedStream, type ObfuscatedStream } from './obfuscated-stream.ts';

/** Fixed time base so server msg_ids are the same on every run. */
const SERVER_TIME_BASE = 1_700_000_000n << 32n;

/** A file body whose bytes happen to contain an rpc_error constructor: data, not an error. */
export function decoyFileBytes(): Buffer {
  const bytes = Buffer.alloc(600);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
  rpcError(420, 'FLOOD_WAIT_99').copy(bytes, 100);
  return bytes;
}

/** True when the stream opens with a plain transport tag (else it is obfuscated). */
function startsWithTag(first: Buffer): boolean {
  return first[0] === 0xef || (first.length >= 4 && first.readUInt32LE(0) === 0xeeeeeeee);
}

export function attachMtprotoSocket(socket: WebSocket): void {
  const reader = new ClientStreamReader();
  let counter = 0;
  // Responses get msg_id % 4 == 1, other server messages % 4 == 3, as the protocol requires.
  const nextMsgId = (isResponse: boolean): bigint => SERVER_TIME_BASE + BigInt(++counter * 4 + (isResponse ? 1 : 3));
  let head = Buffer.alloc(0);
  let obfuscated: ObfuscatedStream | null = null;
  let plain: boolean | null = null;
  const send = (bytes: Buffer) => socket.send(obfuscated ? obfuscated.encrypt(bytes) : bytes);

  socket.on('message', (data: Buffer) => {
    let clear = data;
    if (plain === null) {
      head = Buffer.concat([head, data]);
      if (startsWithTag(head)) {
        plain = true;
        clear = head;
      } else if (head.length >= 64) {
        obfuscated = openObfuscatedStream(head);
        if (!obfuscated) return void socket.close(1002, 'bad obfuscation init');
        plain = false;
        reader.transport = obfuscated.transport;
        clear = obfuscated.decrypt(head.subarray(64));
      } else {
        return;
      }
    } else if (obfuscated) {
      clear = obfuscated.decrypt(data);
    }
    let payloads: Buffer[];
    try {
      payloads = reader.push(clear);
    } catch {
      socket.close(1002, 'bad transport');
      return;
    }
    if (payloads.length === 0 || !reader.transport) return;
    const transport = reader.transport;
    const framed = payloads.map((p) => answer(parseUnencrypted(p), transport, nextMsgId, obfuscated !== null));
    const chunks = framed.flat();
    // Several requests in one client message get their answers in one message too:
    // frame boundaries and WebSocket message boundaries are independent.
    if (payloads.length > 1) send(Buffer.concat(chunks));
    else for (const chunk of chunks) send(chunk);
  });
}

/** A payload that begins with a non-zero auth_key_id: encrypted traffic the inspector must pass over. */
function encryptedLookingPayload(seed: number): Buffer {
  const bytes = Buffer.alloc(120);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (seed + i * 31) & 0xff || 1;
  return bytes;
}

/** Returns the WebSocket messages to send for one request (usually one). */
function answer(req: UnencryptedRequest, transport: TransportKind, nextMsgId: (isResponse: boolean) => bigint, obfuscated: boolean): Buffer[] {
  const respond = (body: Buffer, isResponse = true) => frame(transport, unencryptedMessage(nextMsgId(isResponse), body));
  if (obfuscated) return answerObfuscated(req, transport, respond);
  switch (req.method) {
    case CTOR.helpGetNearestDc:
      return [respond(rpcResult(req.msgId, nearestDc('NL', 2, 2)))];
    case CTOR.ping:
      return [respond(pong(req.msgId, req.body.readBigInt64LE(4)))];
    case CTOR.messagesSendMessage:
      return [respond(rpcResult(req.msgId, rpcError(420, 'FLOOD_WAIT_30')))];
    case CTOR.messagesGetHistory: {
      // A gzip-packed error, delivered in two WebSocket messages cut mid-frame.
      const whole = respond(rpcResult(req.msgId, gzipPacked(rpcError(500, 'INTERDC_2_CALL_ERROR'))));
      const cut = Math.floor(whole.length / 2);
      return [whole.subarray(0, cut), whole.subarray(cut)];
    }
    case CTOR.authSendCode: {
      const ack = { msgId: nextMsgId(false), seqno: 0, body: msgsAck([req.msgId]) };
      const result = { msgId: nextMsgId(true), seqno: 1, body: rpcResult(req.msgId, rpcError(400, 'PHONE_NUMBER_INVALID')) };
      return [respond(msgContainer([ack, result]), false)];
    }
    case CTOR.uploadGetFile:
      return [respond(rpcResult(req.msgId, uploadFile(1_700_000_000, decoyFileBytes())))];
    default:
      return [respond(rpcResult(req.msgId, rpcError(400, 'INPUT_METHOD_INVALID')))];
  }
}

/** What the demo's obfuscated connections meet: other errors, so each row tells its origin. */
function answerObfuscated(req: UnencryptedRequest, transport: TransportKind, respond: (body: Buffer, isResponse?: boolean) => Buffer): Buffer[] {
  switch (req.method) {
    case CTOR.helpGetNearestDc:
      return [respond(rpcResult(req.msgId, nearestDc('NL', 2, 2)))];
    case CTOR.messagesSendMessage:
      // Encrypted-looking traffic first (skipped by the inspector), then the error.
      return [frame(transport, encryptedLookingPayload(7)), respond(rpcResult(req.msgId, rpcError(420, 'FLOOD_WAIT_45')))];
    case CTOR.messagesGetDialogs:
      return [respond(badMsgNotification(req.msgId, 0, 16), false)];
    case CTOR.contactsGetContacts: {
      // A gzip-packed error cut into three WebSocket messages.
      const whole = respond(rpcResult(req.msgId, gzipPacked(rpcError(400, 'CONTACT_ID_INVALID'))));
      const third = Math.ceil(whole.length / 3);
      return [whole.subarray(0, third), whole.subarray(third, 2 * third), whole.subarray(2 * third)];
    }
    case CTOR.helpGetConfig:
      // The DC lost the auth key: a lone -404 instead of a frame body.
      return [frame(transport, transportError(-404))];
    default:
      return [respond(rpcResult(req.msgId, rpcError(400, 'INPUT_METHOD_INVALID')))];
  }
}
