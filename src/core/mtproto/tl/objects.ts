// Message bodies: the service objects that carry or signal errors
// (rpc_result, rpc_error, bad_msg_notification, bad_server_salt), the
// containers they travel in (msg_container, gzip_packed, msg_copy), and the
// known-not-error ones. Outgoing leaves are handed to requests.ts.

import { constructorHex } from '../bytes.ts';
import { badMsgMeaning, ID, SERVICE_NAMES } from './constructors.ts';
import { diagnose, inMessage, lengthIn, nested, offsetIn, pathWith, type DecodeContext, type Location } from './context.ts';
import { enterObject, openGzipPacked } from './packed.ts';
import { decodeRequestObject } from './requests.ts';
import { TlReader } from './tl-reader.ts';

/** Decodes one boxed object occupying the rest of `r` (a message body). */
export function decodeMessageObject(r: TlReader, ctx: DecodeContext, loc: Location): void {
  if (!enterObject(ctx, loc, r)) return;
  const start = r.pos;
  const id = r.uint32('constructor');
  if (r.error !== null) {
    diagnose(ctx, loc, r.error);
    return;
  }
  switch (id) {
    case ID.msgContainer:
      decodeContainer(r, ctx, loc);
      return;
    case ID.gzipPacked: {
      const opened = openGzipPacked(r, ctx, loc, start);
      if (opened) decodeMessageObject(opened.reader, ctx, opened.loc);
      return;
    }
    case ID.msgCopy:
      decodeBareMessage(r, ctx, nested(loc, 'msg_copy'));
      return;
  }
  if (ctx.direction === 'out') decodeRequestObject(r, ctx, loc, start, id);
  else decodeServerObject(r, ctx, loc, start, id);
}

function decodeContainer(r: TlReader, ctx: DecodeContext, loc: Location): void {
  const inner = nested(loc, 'msg_container');
  const count = r.int32('msg_container.count');
  // Each message needs at least msg_id + seqno + bytes + a constructor: 20 bytes.
  if (r.error === null && (count < 0 || count * 20 > r.remaining)) {
    r.fail(`msg_container: count ${count} does not fit in ${r.remaining} bytes`);
  }
  if (r.error !== null) {
    diagnose(ctx, inner, r.error);
    return;
  }
  for (let i = 0; i < count; i++) {
    if (!decodeBareMessage(r, ctx, inner)) return;
  }
  if (r.remaining > 0) diagnose(ctx, inner, `${r.remaining} bytes after the last message`);
}

/** message msg_id:long seqno:int bytes:int body; false when the framing is broken. */
function decodeBareMessage(r: TlReader, ctx: DecodeContext, loc: Location): boolean {
  const msgId = r.longDecimal('message.msg_id');
  r.int32('message.seqno');
  const length = r.int32('message.bytes');
  if (r.error === null && (length < 0 || length > r.remaining)) {
    r.fail(`message ${msgId}: body length ${length} exceeds the ${r.remaining} bytes left`);
  }
  if (r.error !== null) {
    diagnose(ctx, loc, r.error);
    return false;
  }
  if (length % 4 !== 0) diagnose(ctx, loc, `message ${msgId}: body length ${length} is not a multiple of 4`);
  // The child reader shares the parent's bytes, so frame offsets stay valid.
  decodeMessageObject(r.sub(length, 'message body'), ctx, inMessage(loc, msgId));
  return true;
}

function decodeServerObject(r: TlReader, ctx: DecodeContext, loc: Location, start: number, id: number): void {
  switch (id) {
    case ID.rpcResult: {
      const reqMsgId = r.longDecimal('rpc_result.req_msg_id');
      if (r.error !== null) {
        diagnose(ctx, { ...loc, path: [...loc.path, 'rpc_result'] }, r.error);
        return;
      }
      const method = ctx.tracker?.lookup(reqMsgId)?.method ?? null;
      decodeRpcResultValue(r, ctx, nested(loc, 'rpc_result'), reqMsgId, method);
      return;
    }
    case ID.rpcError:
      decodeRpcError(r, ctx, loc, start, null, null);
      return;
    case ID.badMsgNotification:
    case ID.badServerSalt: {
      const kind = id === ID.badServerSalt ? 'bad_server_salt' : 'bad_msg_notification';
      const badMsgId = r.longDecimal(`${kind}.bad_msg_id`);
      const badMsgSeqno = r.int32(`${kind}.bad_msg_seqno`);
      const errorCode = r.int32(`${kind}.error_code`);
      const newServerSalt = id === ID.badServerSalt ? r.rawHex(8, 'bad_server_salt.new_server_salt') : null;
      if (r.error !== null) {
        diagnose(ctx, { ...loc, path: [...loc.path, kind] }, r.error);
        return;
      }
      ctx.findings.protocolErrors.push({
        kind,
        errorCode,
        meaning: badMsgMeaning(errorCode),
        badMsgId,
        badMsgSeqno,
        newServerSalt,
        msgId: loc.msgId,
        method: ctx.tracker?.lookup(badMsgId)?.method ?? null,
        path: pathWith(loc.path, kind),
        byteOffset: offsetIn(loc, start),
        byteLength: lengthIn(loc, start, r.pos),
        compressed: loc.compressed !== null,
      });
      return;
    }
    default: {
      const name = SERVICE_NAMES.get(id) ?? null;
      ctx.findings.objects.push({
        name,
        constructorId: constructorHex(id),
        known: name !== null,
        msgId: loc.msgId,
        path: pathWith(loc.path, name ?? constructorHex(id)),
        byteOffset: offsetIn(loc, start),
        byteLength: lengthIn(loc, start, r.end),
        compressed: loc.compressed !== null,
      });
      r.pos = r.end;
    }
  }
}

/** The `result` of rpc_result: rpc_error, gzip_packed around it, or any other answer. */
function decodeRpcResultValue(r: TlReader, ctx: DecodeContext, loc: Location, reqMsgId: string, method: string | null): void {
  if (!enterObject(ctx, loc, r)) return;
  const start = r.pos;
  const id = r.uint32('rpc_result.result');
  if (r.error !== null) {
    diagnose(ctx, loc, r.error);
    return;
  }
  if (id === ID.rpcError) {
    decodeRpcError(r, ctx, loc, start, reqMsgId, method);
    return;
  }
  if (id === ID.gzipPacked) {
    const opened = openGzipPacked(r, ctx, loc, start);
    if (opened) decodeRpcResultValue(opened.reader, ctx, opened.loc, reqMsgId, method);
    return;
  }
  const resultName = SERVICE_NAMES.get(id);
  ctx.findings.objects.push({
    name: 'rpc_result',
    constructorId: constructorHex(ID.rpcResult),
    known: true,
    msgId: loc.msgId,
    reqMsgId,
    method,
    resultConstructorId: constructorHex(id),
    path: pathWith(loc.path, resultName ?? constructorHex(id)),
    byteOffset: offsetIn(loc, start),
    byteLength: lengthIn(loc, start, r.end),
    compressed: loc.compressed !== null,
  });
  r.pos = r.end;
}

function decodeRpcError(r: TlReader, ctx: DecodeContext, loc: Location, start: number, reqMsgId: string | null, method: string | null): void {
  const code = r.int32('rpc_error.error_code');
  const message = r.string('rpc_error.error_message');
  const path = pathWith(loc.path, 'rpc_error');
  if (r.error !== null) {
    diagnose(ctx, { ...loc, path }, r.error);
    return;
  }
  ctx.findings.rpcErrors.push({
    code,
    message,
    reqMsgId,
    msgId: loc.msgId,
    method,
    path,
    byteOffset: offsetIn(loc, start),
    byteLength: lengthIn(loc, start, r.pos),
    compressed: loc.compressed !== null,
  });
}
