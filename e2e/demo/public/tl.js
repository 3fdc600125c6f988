// Binary TL for the demo page: writes its unencrypted MTProto requests and reads the
// server's answers (envelope, rpc_result, rpc_error, gzip_packed, msg_container, ...).
// Longs are BigInt while building and decimal strings in decoded results (JSON-safe).

export const CTOR = {
  rpcResult: 0xf35c6d01,
  rpcError: 0x2144ca19,
  gzipPacked: 0x3072cfa1,
  msgContainer: 0x73f1f8dc,
  msgsAck: 0x62d6b459,
  pong: 0x347773c5,
  ping: 0x7abe77ec,
  vector: 0x1cb5c415,
  nearestDc: 0x8e1a1775,
  uploadFile: 0x096a18d5,
  storageFilePartial: 0x40bc6f52,
  helpGetNearestDc: 0x1fb33026,
  messagesSendMessage: 0x545cd15a,
  messagesGetHistory: 0x4423e6c5,
  authSendCode: 0xa677244f,
  uploadGetFile: 0xbe5335be,
  messagesGetDialogs: 0xa0f4cb4f,
  contactsGetContacts: 0x5dd69e12,
  helpGetConfig: 0xc4f9186b,
  badMsgNotification: 0xa7eff811,
  inputPeerSelf: 0x7da07ec9,
  codeSettings: 0xad253d78,
  inputDocumentFileLocation: 0xbad07584,
};

export class TlWriter {
  constructor() {
    this.bytes = [];
  }
  int(v) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, v | 0, true);
    this.bytes.push(...b);
    return this;
  }
  ctor(id) {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, id >>> 0, true);
    this.bytes.push(...b);
    return this;
  }
  long(v) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigInt64(0, BigInt.asIntN(64, v), true);
    this.bytes.push(...b);
    return this;
  }
  rawBytes(data) {
    const len = data.length;
    const header = len <= 253 ? [len] : [0xfe, len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff];
    this.bytes.push(...header, ...data);
    const used = header.length + len;
    for (let i = 0; i < (4 - (used % 4)) % 4; i++) this.bytes.push(0);
    return this;
  }
  string(s) {
    return this.rawBytes(new TextEncoder().encode(s));
  }
  toBytes() {
    return Uint8Array.from(this.bytes);
  }
}

export function unencryptedMessage(msgId, body) {
  const w = new TlWriter().long(0n).long(msgId).int(body.length);
  return Uint8Array.from([...w.toBytes(), ...body]);
}

export const TRANSPORT_TAG = {
  intermediate: Uint8Array.from([0xee, 0xee, 0xee, 0xee]),
  abridged: Uint8Array.from([0xef]),
};

export function frame(transport, payload) {
  if (transport === 'intermediate') {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, payload.length, true);
    return Uint8Array.from([...len, ...payload]);
  }
  const words = payload.length / 4;
  const header = words < 0x7f ? [words] : [0x7f, words & 0xff, (words >> 8) & 0xff, (words >> 16) & 0xff];
  return Uint8Array.from([...header, ...payload]);
}

/** Cuts the server's byte stream into transport payloads (frames may span messages). */
export class ServerStreamReader {
  constructor(transport) {
    this.transport = transport;
    this.pending = new Uint8Array(0);
  }
  push(chunk) {
    const joined = new Uint8Array(this.pending.length + chunk.length);
    joined.set(this.pending);
    joined.set(chunk, this.pending.length);
    this.pending = joined;
    const out = [];
    for (;;) {
      const p = this.pending;
      let headerLen;
      let len;
      if (this.transport === 'intermediate') {
        if (p.length < 4) break;
        headerLen = 4;
        len = new DataView(p.buffer, p.byteOffset).getUint32(0, true);
      } else {
        if (p.length < 1) break;
        if (p[0] === 0x7f) {
          if (p.length < 4) break;
          headerLen = 4;
          len = (p[1] | (p[2] << 8) | (p[3] << 16)) * 4;
        } else {
          headerLen = 1;
          len = p[0] * 4;
        }
      }
      if (p.length < headerLen + len) break;
      out.push(p.slice(headerLen, headerLen + len));
      this.pending = p.slice(headerLen + len);
    }
    return out;
  }
}

class TlReader {
  constructor(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = 0;
  }
  int() {
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  uint() {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  long() {
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v.toString();
  }
  rawBytes() {
    let len = this.bytes[this.pos];
    let headerLen = 1;
    if (len === 0xfe) {
      len = this.bytes[this.pos + 1] | (this.bytes[this.pos + 2] << 8) | (this.bytes[this.pos + 3] << 16);
      headerLen = 4;
    }
    const data = this.bytes.slice(this.pos + headerLen, this.pos + headerLen + len);
    this.pos += headerLen + len + ((4 - ((headerLen + len) % 4)) % 4);
    return data;
  }
  string() {
    return new TextDecoder().decode(this.rawBytes());
  }
}

async function gunzip(data) {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function hexOf(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function readObject(r) {
  const id = r.uint();
  switch (id) {
    case CTOR.rpcResult: {
      const reqMsgId = r.long();
      return { _: 'rpc_result', req_msg_id: reqMsgId, result: await readObject(r) };
    }
    case CTOR.rpcError:
      return { _: 'rpc_error', error_code: r.int(), error_message: r.string() };
    case CTOR.gzipPacked:
      return { _: 'gzip_packed', unpacked: await readObject(new TlReader(await gunzip(r.rawBytes()))) };
    case CTOR.msgContainer: {
      const count = r.int();
      const messages = [];
      for (let i = 0; i < count; i++) {
        const msgId = r.long();
        const seqno = r.int();
        const length = r.int();
        const end = r.pos + length;
        messages.push({ msg_id: msgId, seqno, body: await readObject(r) });
        r.pos = end;
      }
      return { _: 'msg_container', messages };
    }
    case CTOR.msgsAck: {
      r.uint(); // vector
      const ids = [];
      for (let n = r.int(); n > 0; n--) ids.push(r.long());
      return { _: 'msgs_ack', msg_ids: ids };
    }
    case CTOR.badMsgNotification:
      return { _: 'bad_msg_notification', bad_msg_id: r.long(), bad_msg_seqno: r.int(), error_code: r.int() };
    case CTOR.pong:
      return { _: 'pong', msg_id: r.long(), ping_id: r.long() };
    case CTOR.nearestDc:
      return { _: 'nearestDc', country: r.string(), this_dc: r.int(), nearest_dc: r.int() };
    case CTOR.uploadFile: {
      r.uint(); // storage.fileType
      const mtime = r.int();
      const bytes = r.rawBytes();
      return { _: 'upload.file', mtime, length: bytes.length, head: hexOf(bytes.slice(0, 8)) };
    }
    default:
      return { _: 'unknown', id: id.toString(16) };
  }
}

/** Decodes one unencrypted transport payload: auth_key_id 0 | msg_id | length | body. */
export async function decodeUnencrypted(payload) {
  const r = new TlReader(payload);
  const authKeyId = r.long();
  const msgId = r.long();
  const length = r.int();
  return { auth_key_id: authKeyId, msg_id: msgId, length, body: await readObject(new TlReader(payload.slice(20, 20 + length))) };
}
