// Outgoing (client -> server) message bodies: which method each msg_id
// invokes, seen through the invokeWithLayer / initConnection / invokeAfter*
// wrappers clients put around their first and ordered calls.

import { ID, SERVICE_NAMES, WRAPPER_NAMES } from './constructors.ts';
import { diagnose, lengthIn, lookupMethodName, offsetIn, type DecodeContext, type Location } from './context.ts';
import { constructorHex } from '../bytes.ts';
import { enterObject, openGzipPacked } from './packed.ts';
import { TlReader } from './tl-reader.ts';

/** Service messages that never get an answer worth pairing with a request. */
const UNANSWERED = new Set<number>([ID.msgsAck, 0x7d861a08 /* msg_resend_req */, 0x9299359f /* http_wait */]);

/**
 * Decodes one outgoing object whose constructor id (`id`, at `start`) has been read.
 * Containers and gzip_packed at message level are handled by the caller.
 */
export function decodeRequestObject(r: TlReader, ctx: DecodeContext, loc: Location, start: number, id: number): void {
  if (UNANSWERED.has(id)) {
    ctx.findings.objects.push({
      name: SERVICE_NAMES.get(id) ?? null,
      constructorId: constructorHex(id),
      known: true,
      msgId: loc.msgId,
      path: [...loc.path, SERVICE_NAMES.get(id) ?? constructorHex(id)],
      byteOffset: offsetIn(loc, start),
      byteLength: lengthIn(loc, start, r.end),
      compressed: loc.compressed !== null,
    });
    r.pos = r.end;
    return;
  }
  const wrappers: string[] = [];
  let layer: number | null = null;
  let apiId: number | null = null;
  let reader = r;
  let where = loc;
  let objectStart = start;
  let current = id;
  for (;;) {
    const wrapper = WRAPPER_NAMES.get(current);
    if (wrapper !== undefined) {
      wrappers.push(wrapper);
      if (current === ID.invokeWithLayer) layer = reader.int32('invokeWithLayer.layer');
      else if (current === ID.initConnection) apiId = skipInitConnectionArgs(reader);
      else skipWrapperArgs(reader, current);
    } else if (current === ID.gzipPacked) {
      const opened = openGzipPacked(reader, ctx, where, objectStart);
      if (!opened) return;
      reader = opened.reader;
      where = opened.loc;
    } else {
      break;
    }
    if (reader.error !== null) {
      diagnose(ctx, { ...where, path: [...where.path, ...wrappers] }, reader.error);
      return;
    }
    if (wrappers.length > ctx.limits.maxDepth) {
      diagnose(ctx, where, `more than ${ctx.limits.maxDepth} nested request wrappers; not decoded`);
      return;
    }
    if (!enterObject(ctx, where, reader)) return;
    objectStart = reader.pos;
    current = reader.uint32('query constructor');
    if (reader.error !== null) {
      diagnose(ctx, { ...where, path: [...where.path, ...wrappers] }, reader.error);
      return;
    }
  }
  const method = lookupMethodName(ctx, current) ?? SERVICE_NAMES.get(current) ?? null;
  const name = method ?? constructorHex(current);
  ctx.findings.requests.push({
    msgId: loc.msgId,
    method,
    constructorId: constructorHex(current),
    wrappers,
    layer,
    apiId,
    path: [...where.path, ...wrappers, name],
    // The whole request, wrappers included, is what the message carried.
    byteOffset: offsetIn(loc, start),
    byteLength: lengthIn(loc, start, r.end),
    compressed: loc.compressed !== null,
  });
  if (loc.msgId !== null && ctx.tracker) {
    const described = ctx.describeRequest ? ctx.describeRequest(reader.bytes, objectStart, reader.end) : null;
    ctx.tracker.remember(loc.msgId, { method, constructorId: constructorHex(current), ...(described ?? {}) });
  }
  // Method arguments are not parsed: nothing after the id matters for pairing errors.
  r.pos = r.end;
}

function skipWrapperArgs(r: TlReader, id: number): void {
  switch (id) {
    case ID.invokeAfterMsg:
    case ID.invokeWithTakeout:
      r.long('wrapper.long');
      return;
    case ID.invokeAfterMsgs:
      r.longVector('invokeAfterMsgs.msg_ids');
      return;
    case ID.invokeWithMessagesRange: {
      const ctor = r.uint32('messageRange');
      if (ctor !== 0x0ae30253) r.fail(`invokeWithMessagesRange: expected messageRange, got ${constructorHex(ctor)}`);
      r.int32();
      r.int32();
      return;
    }
    case ID.invokeWithBusinessConnection:
    case ID.invokeWithReCaptcha:
      r.bytesValue('wrapper.string');
      return;
    case ID.invokeWithGooglePlayIntegrity:
    case ID.invokeWithApnsSecret:
      r.bytesValue('wrapper.nonce');
      r.bytesValue('wrapper.token');
      return;
    default:
      return; // invokeWithoutUpdates has no arguments before query.
  }
}

/** initConnection flags:# api_id device_model system_version app_version system_lang_code lang_pack lang_code proxy:flags.0? params:flags.1? query. */
function skipInitConnectionArgs(r: TlReader): number {
  const flags = r.uint32('initConnection.flags');
  const apiId = r.int32('initConnection.api_id');
  for (let i = 0; i < 6; i++) r.bytesValue('initConnection string field');
  if (flags & 1) {
    const ctor = r.uint32('initConnection.proxy');
    if (ctor !== ID.inputClientProxy) r.fail(`initConnection.proxy: expected inputClientProxy, got ${constructorHex(ctor)}`);
    r.bytesValue('inputClientProxy.address');
    r.int32('inputClientProxy.port');
  }
  if (flags & 2) skipJsonValue(r, 0);
  return apiId;
}

/** JSONValue is recursive; depth and the reader's bounds keep it finite. */
function skipJsonValue(r: TlReader, depth: number): void {
  if (depth > 32) {
    r.fail('initConnection.params: JSON nested too deeply');
    return;
  }
  const ctor = r.uint32('JSONValue');
  switch (ctor) {
    case ID.jsonNull:
      return;
    case ID.jsonBool: {
      const b = r.uint32('jsonBool');
      if (b !== ID.boolTrue && b !== ID.boolFalse) r.fail(`jsonBool: expected Bool, got ${constructorHex(b)}`);
      return;
    }
    case ID.jsonNumber:
      r.double('jsonNumber');
      return;
    case ID.jsonString:
      r.bytesValue('jsonString');
      return;
    case ID.jsonArray:
    case ID.jsonObject: {
      const v = r.uint32('JSON vector');
      const count = r.int32('JSON vector count');
      if (v !== ID.vector || count < 0 || count * 4 > r.remaining) {
        r.fail('initConnection.params: malformed vector');
        return;
      }
      for (let i = 0; i < count && r.error === null; i++) {
        if (ctor === ID.jsonObject) {
          const kv = r.uint32('jsonObjectValue');
          if (kv !== ID.jsonObjectValue) {
            r.fail(`expected jsonObjectValue, got ${constructorHex(kv)}`);
            return;
          }
          r.bytesValue('jsonObjectValue.key');
        }
        skipJsonValue(r, depth + 1);
      }
      return;
    }
    default:
      r.fail(`initConnection.params: unknown JSONValue ${constructorHex(ctor)}`);
  }
}
