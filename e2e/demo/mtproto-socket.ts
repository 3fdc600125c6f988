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
} from './tl-frames.ts';

/** Fixed time base so server msg_ids are the same on every run. */
const SERVER_TIME_BASE = 1_700_000_000n << 32n;

/** A file body whose bytes happen to contain an rpc_error constructor: data, not an error. */
export function decoyFileBytes(): Buffer {
  const bytes = Buffer.alloc(600);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
  rpcError(420, 'FLOOD_WAIT_99').copy(bytes, 100);
  return bytes;
}

export function attachMtprotoSocket(socket: WebSocket): void {
  const reader = new ClientStreamReader();
  let counter = 0;
  // Responses get msg_id % 4 == 1, other server messages % 4 == 3, as the protocol requires.
  const nextMsgId = (isResponse: boolean): bigint => SERVER_TIME_BASE + BigInt(++counter * 4 + (isResponse ? 1 : 3));

  socket.on('message', (data: Buffer) => {
    let payloads: Buffer[];
    try {
      payloads = reader.push(data);
    } catch {
      socket.close(1002, 'bad transport');
      return;
    }
    if (payloads.length === 0 || !reader.transport) return;
    const transport = reader.transport;
    const framed = payloads.map((p) => answer(parseUnencrypted(p), transport, nextMsgId));
    const chunks = framed.flat();
    // Several requests in one client message get their answers in one message too:
    // frame boundaries and WebSocket message boundaries are independent.
    if (payloads.length > 1) socket.send(Buffer.concat(chunks));
    else for (const chunk of chunks) socket.send(chunk);
  });
}

/** Returns the WebSocket messages to send for one request (usually one). */
function answer(req: UnencryptedRequest, transport: TransportKind, nextMsgId: (isResponse: boolean) => bigint): Buffer[] {
  const respond = (body: Buffer, isResponse = true) => frame(transport, unencryptedMessage(nextMsgId(isResponse), body));
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
