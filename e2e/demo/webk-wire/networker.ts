// One MTProto 2.0 connection of the Web K-style demo worker, the way tweb makes it:
// - transport (tweb src/lib/mtproto/dcConfigurator.ts constructTelegramWebSocketUrl,
//   transports/tcpObfuscated.ts, obfuscation.ts, intermediate.ts): `wss://kws{N}.web.telegram.org/apiws`,
//   a 64-byte obfuscation init (AES-256-CTR, tag eeeeeeee: intermediate framing), then one
//   4-byte length + payload per message;
// - messages (tweb src/lib/mtproto/networker.ts): encrypted with the DC's auth key, the first call
//   wrapped in invokeWithLayer(initConnection(...)); rpc_result (gzip_packed too), msg_container,
//   bad_server_salt (take the new salt, send the message again under a new msg_id),
//   bad_msg_notification (send again), new_session_created (take its salt).
// Crypto is the project's own pure code (src/core/mtproto/): AES-IGE, SHA-256, msg_key, AES-CTR.

import { AesCtr } from '../../../src/core/mtproto/crypto/aes.ts';
import { aesIgeDecrypt, aesIgeEncrypt } from '../../../src/core/mtproto/crypto/aes-ige.ts';
import { computeMsgKey, deriveAesKeyIv, msgKeyMatches } from '../../../src/core/mtproto/crypto/message-key.ts';
import { sha1 } from '../../../src/core/mtproto/crypto/sha1.ts';
import { gunzipCapped } from '../../../src/core/mtproto/tl/gzip.ts';
import { TlReader } from '../../../src/core/mtproto/tl/tl-reader.ts';
import { ID, serializeCall } from './tl.ts';

export interface RpcErrorBody {
  error_code: number;
  error_message: string;
}

/** A call's outcome: the result's TL bytes, or the server's rpc_error. */
export type CallOutcome = { ok: true; body: Uint8Array } | { ok: false; rpcError: RpcErrorBody };

interface Pending {
  method: string;
  body: Uint8Array;
  resolve: (outcome: CallOutcome) => void;
  reject: (error: Error) => void;
}

const random = (n: number): Uint8Array => crypto.getRandomValues(new Uint8Array(n));

export const socketUrl = (dcId: number): string => `wss://kws${dcId}.web.telegram.org/apiws`;

let lastMsgId = 0n;
/** Client msg_ids: unix time in the high 32 bits, divisible by 4, increasing. */
function newMsgId(): bigint {
  const ms = Date.now();
  let id = (BigInt(Math.floor(ms / 1000)) << 32n) | (BigInt(ms % 1000) << 21n) | (BigInt(random(1)[0]) << 3n);
  id &= ~3n;
  if (id <= lastMsgId) id = lastMsgId + 4n;
  lastMsgId = id;
  return id;
}

/** tweb's Obfuscation.init: 64 random bytes that cannot be mistaken for another protocol. */
function obfuscationInit(): Uint8Array {
  for (;;) {
    const init = random(64);
    const first = new DataView(init.buffer).getUint32(0, true);
    const second = new DataView(init.buffer).getUint32(4, true);
    const refused = [0x44414548, 0x54534f50, 0x20544547, 0x4954504f, 0xeeeeeeee, 0xdddddddd];
    if (init[0] !== 0xef && !refused.includes(first) && second !== 0) return init;
  }
}

/** Obfuscated intermediate over one WebSocket: bytes in, whole payloads out. */
class ObfuscatedSocket {
  private readonly socket: WebSocket;
  private encrypt!: AesCtr;
  private decrypt!: AesCtr;
  private sent = 0;
  private received = 0;
  private pending = new Uint8Array(0);
  private queue: Uint8Array[] = [];
  private open = false;

  constructor(
    url: string,
    private readonly onPayload: (payload: Uint8Array) => void,
    private readonly onClose: () => void,
  ) {
    // tweb's transports/websocket.ts: protocol 'binary', arraybuffer messages.
    this.socket = new WebSocket(url, 'binary');
    this.socket.binaryType = 'arraybuffer';
    this.socket.addEventListener('open', () => this.start());
    this.socket.addEventListener('message', (event) => this.receive(new Uint8Array(event.data as ArrayBuffer)));
    this.socket.addEventListener('close', () => this.onClose());
  }

  private start(): void {
    const init = obfuscationInit();
    const reversed = init.slice().reverse();
    this.encrypt = new AesCtr(init.slice(8, 40), init.slice(40, 56));
    this.decrypt = new AesCtr(reversed.slice(8, 40), reversed.slice(40, 56));
    init.set([0xee, 0xee, 0xee, 0xee], 56);
    const encrypted = this.encrypt.decryptAt(0, init);
    this.sent = 64;
    init.set(encrypted.subarray(56, 64), 56);
    this.socket.send(init);
    this.open = true;
    for (const payload of this.queue.splice(0)) this.send(payload);
  }

  send(payload: Uint8Array): void {
    if (!this.open) return void this.queue.push(payload);
    const framed = new Uint8Array(4 + payload.length);
    new DataView(framed.buffer).setUint32(0, payload.length, true);
    framed.set(payload, 4);
    const out = this.encrypt.decryptAt(this.sent, framed);
    this.sent += framed.length;
    this.socket.send(out);
  }

  private receive(chunk: Uint8Array): void {
    const plain = this.decrypt.decryptAt(this.received, chunk);
    this.received += chunk.length;
    const all = new Uint8Array(this.pending.length + plain.length);
    all.set(this.pending);
    all.set(plain, this.pending.length);
    let at = 0;
    while (all.length - at >= 4) {
      const length = new DataView(all.buffer, at, 4).getUint32(0, true) & 0x7fffffff;
      if (all.length - at - 4 < length) break;
      this.onPayload(all.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    this.pending = all.slice(at);
  }

  close(): void {
    this.socket.close();
  }
}

export interface NetworkerOptions {
  dcId: number;
  authKey: Uint8Array;
  /** The DC's server salt as stored (8 bytes). */
  salt: Uint8Array;
  /** Called with a new salt to store (tweb keeps dcN_server_salt in the account). */
  onSalt: (salt: Uint8Array) => void;
}

/** tweb's MTPNetworker, reduced to what the demo needs: one session on one socket per DC. */
export class Networker {
  readonly dcId: number;
  private readonly authKey: Uint8Array;
  private readonly authKeyId: Uint8Array;
  private salt: Uint8Array;
  private readonly sessionId = random(8);
  private seq = 0;
  private inited = false;
  private readonly pending = new Map<bigint, Pending>();
  private socket: ObfuscatedSocket;

  constructor(private readonly opts: NetworkerOptions) {
    this.dcId = opts.dcId;
    this.authKey = opts.authKey;
    this.authKeyId = sha1(opts.authKey).slice(12, 20);
    this.salt = opts.salt.slice();
    this.socket = this.connect();
  }

  private connect(): ObfuscatedSocket {
    return new ObfuscatedSocket(
      socketUrl(this.dcId),
      (payload) => this.onPayload(payload),
      () => this.onClose(),
    );
  }

  /** Sends one API call; resolves with its result bytes or its rpc_error. */
  wrapApiCall(method: string, params: Record<string, unknown>): Promise<CallOutcome> {
    const body = serializeCall(method, params, !this.inited);
    this.inited = true;
    return new Promise((resolve, reject) => this.send({ method, body, resolve, reject }));
  }

  private send(call: Pending): void {
    const msgId = newMsgId();
    this.pending.set(msgId, call);
    this.socket.send(this.encryptMessage(msgId, this.seq++ * 2 + 1, call.body));
  }

  private encryptMessage(msgId: bigint, seqNo: number, body: Uint8Array): Uint8Array {
    const unpadded = 32 + body.length;
    const padding = 12 + ((16 - ((unpadded + 12) % 16)) % 16) + 16 * (random(1)[0] % 4);
    const plain = new Uint8Array(unpadded + padding);
    const view = new DataView(plain.buffer);
    plain.set(this.salt, 0);
    plain.set(this.sessionId, 8);
    view.setBigInt64(16, msgId, true);
    view.setInt32(24, seqNo, true);
    view.setInt32(28, body.length, true);
    plain.set(body, 32);
    plain.set(random(padding), unpadded);
    const msgKey = computeMsgKey(this.authKey, 0, plain);
    const key = new Uint8Array(32);
    const iv = new Uint8Array(32);
    deriveAesKeyIv(this.authKey, msgKey, 0, key, iv);
    const frame = new Uint8Array(24 + plain.length);
    frame.set(this.authKeyId, 0);
    frame.set(msgKey, 8);
    frame.set(aesIgeEncrypt(plain, key, iv), 24);
    return frame;
  }

  private onPayload(frame: Uint8Array): void {
    if (frame.length === 4) {
      // A transport error (-404 unknown key, -429 flood, ...): every call on this socket fails.
      const code = new DataView(frame.buffer, frame.byteOffset, 4).getInt32(0, true);
      for (const [id, call] of this.pending) {
        this.pending.delete(id);
        call.reject(new Error(`transport error ${code}`));
      }
      return;
    }
    const msgKey = frame.slice(8, 24);
    const key = new Uint8Array(32);
    const iv = new Uint8Array(32);
    deriveAesKeyIv(this.authKey, msgKey, 8, key, iv);
    const data = frame.subarray(24, 24 + ((frame.length - 24) & ~15));
    const plain = aesIgeDecrypt(data, key, iv);
    if (!msgKeyMatches(this.authKey, 8, plain, 0, plain.length, msgKey, 0)) return;
    const view = new DataView(plain.buffer);
    const length = view.getInt32(28, true);
    this.processMessage(plain.subarray(32, 32 + length));
  }

  private processMessage(body: Uint8Array): void {
    const r = new TlReader(body);
    const id = r.uint32();
    switch (id) {
      case ID.msgContainer: {
        const count = r.int32();
        for (let i = 0; i < count && !r.error; i++) {
          r.long(); // msg_id
          r.int32(); // seqno
          const bytes = r.int32();
          this.processMessage(r.raw(bytes));
        }
        break;
      }
      case ID.gzipPacked: {
        const inflated = gunzipCapped(r.bytesValue(), 16 << 20);
        if (inflated.ok) this.processMessage(inflated.bytes);
        break;
      }
      case ID.rpcResult: {
        const reqMsgId = r.long();
        const call = this.pending.get(reqMsgId);
        if (!call) break;
        this.pending.delete(reqMsgId);
        let result = body.subarray(r.pos);
        if (new TlReader(result).uint32() === ID.gzipPacked) {
          const inflated = gunzipCapped(new TlReader(result, 4).bytesValue(), 16 << 20);
          if (!inflated.ok) return call.reject(new Error(inflated.reason));
          result = inflated.bytes;
        }
        const inner = new TlReader(result);
        if (inner.uint32() === ID.rpcError) {
          const code = inner.int32();
          call.resolve({ ok: false, rpcError: { error_code: code, error_message: inner.string() } });
        } else {
          call.resolve({ ok: true, body: result });
        }
        break;
      }
      case ID.badServerSalt: {
        const badMsgId = r.long();
        r.int32(); // bad_msg_seqno
        r.int32(); // error_code 48
        this.salt = r.raw(8).slice();
        this.opts.onSalt(this.salt);
        this.resend(badMsgId);
        break;
      }
      case ID.badMsgNotification:
        this.resend(r.long());
        break;
      case ID.newSessionCreated:
        r.long(); // first_msg_id
        r.long(); // unique_id
        this.salt = r.raw(8).slice();
        this.opts.onSalt(this.salt);
        break;
      default:
        // msgs_ack, pong, updates: nothing the demo waits for.
        break;
    }
  }

  /** The refused message again, under a new msg_id (tweb's pushResend). */
  private resend(badMsgId: bigint): void {
    const call = this.pending.get(badMsgId);
    if (!call) return;
    this.pending.delete(badMsgId);
    this.send(call);
  }

  private onClose(): void {
    for (const [id, call] of this.pending) {
      this.pending.delete(id);
      call.reject(new Error('connection closed'));
    }
  }

  destroy(): void {
    this.socket.close();
  }
}
