// One client WebSocket on the fake server: transport framing, MTProto 2.0 with the pre-shared
// key of the DC, and the scripted answer to every call.

import { randomBytes } from 'node:crypto';
import { decryptClientMessage, encryptServerMessage } from './crypto.ts';
import { DC_OF_KEY_ID, PRESHARED_KEYS } from './dcs.ts';
import { defaultResult } from './results.ts';
import type { Answer, FakeTelegramLog, ScriptPlayer } from './script.ts';
import * as tl from './tl.ts';
import { readOtherLayerCall } from './other-layers.ts';
import { ServerTransport } from './transport.ts';

export interface ConnectionContext {
  id: number;
  /** DC from the Host header; null when the client came by IP (then the auth key decides). */
  hostDc: number | null;
  script: ScriptPlayer;
  log: FakeTelegramLog;
  nextSeq: () => number;
  send: (bytes: Buffer) => void;
  /** Reads a call's TL body; tl.readObject (package.json's GramJS) when absent. */
  readCall?: (body: Buffer) => tl.TLObject;
}

let lastServerMsgId = 0n;
/** Server msg_ids: unix time in the high 32 bits, ≡ 1 (mod 4) for responses, 3 otherwise; increasing. */
function serverMsgId(response: boolean): bigint {
  const ms = BigInt(Date.now());
  let id = ((ms / 1000n) << 32n) | (((ms % 1000n) << 22n) & ~3n);
  if (id <= lastServerMsgId) id = (lastServerMsgId | 3n) + 1n;
  id = (id & ~3n) | (response ? 1n : 3n);
  lastServerMsgId = id;
  return id;
}

export class FakeConnection {
  private readonly transport = new ServerTransport();
  private dc: number | null;
  private authKey: Buffer | null = null;
  private sessionId = Buffer.alloc(8);
  private salt = Buffer.alloc(8);
  private seq = 0;

  constructor(private readonly ctx: ConnectionContext) {
    this.dc = ctx.hostDc;
  }

  receive(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.transport.receive(chunk);
    } catch (e) {
      this.problem(`transport: ${(e as Error).message}`);
      return;
    }
    for (const frame of frames) this.frame(frame);
  }

  private frame(frame: Buffer): void {
    const keyId = frame.subarray(0, 8).toString('hex');
    const keyDc = DC_OF_KEY_ID.get(keyId);
    if (keyDc === undefined) {
      // auth_key_id 0 is a key exchange, which the fake does not do; Telegram answers an unknown
      // key with transport error -404, and so does the fake.
      this.problem(keyId === '0000000000000000' ? 'key exchange attempted (unsupported)' : `unknown auth_key_id ${keyId}`);
      this.ctx.send(this.transport.send(tl.i32(-404)));
      return;
    }
    this.dc ??= keyDc;
    this.authKey = PRESHARED_KEYS.get(keyDc)!;
    let m;
    try {
      m = decryptClientMessage(this.authKey, frame);
    } catch (e) {
      this.problem(`decrypt: ${(e as Error).message}`);
      return;
    }
    this.sessionId = Buffer.from(m.sessionId);
    if (this.salt.every((b) => b === 0)) this.salt = Buffer.from(m.salt);
    this.message(m.msgId, m.seqNo, m.body);
  }

  private message(msgId: bigint, seqNo: number, body: Buffer): void {
    const id = body.readUInt32LE(0);
    if (id === tl.ID.msgContainer) {
      for (const inner of tl.readContainer(body)) this.message(inner.msgId, inner.seqNo, inner.body);
    } else if (id === tl.ID.gzipPacked) {
      this.message(msgId, seqNo, tl.readGzipPacked(body));
    } else if (id === tl.ID.msgsAck) {
      // Acks need no answer.
    } else if (id === tl.ID.ping || id === tl.ID.pingDelayDisconnect) {
      this.reply(tl.pong(msgId, body.readBigInt64LE(4)), true);
    } else if (id === tl.ID.getFutureSalts) {
      // mtcute asks for salts with its first message; answered directly, not in an rpc_result.
      this.reply(tl.futureSalts(msgId, this.salt, body.readInt32LE(4)), true);
    } else if (id === tl.ID.msgsStateReq) {
      // mtcute asks about messages it has no ack for yet.
      this.reply(tl.msgsStateInfo(msgId, body), true);
    } else {
      this.call(msgId, seqNo, body);
    }
  }

  private call(msgId: bigint, seqNo: number, body: Buffer): void {
    let call: tl.TLObject;
    let wrappers: string[];
    let method: string;
    try {
      ({ call, wrappers } = tl.unwrapCall((this.ctx.readCall ?? tl.readObject)(body)));
      method = tl.methodName(call.className);
    } catch (e) {
      // Another layer than GramJS's (mtcute): named from its schema, parameters unread.
      const other = readOtherLayerCall(body);
      if (other === null) {
        this.problem(`unreadable call 0x${body.readUInt32LE(0).toString(16)}: ${(e as Error).message}`);
        return;
      }
      ({ method, wrappers } = other);
      call = { className: method };
    }
    const dc = this.dc!;
    const { answer, rule, delayMs } = this.ctx.script.next(method, dc);
    this.ctx.log.calls.push({ ...this.stamp(), method, wrappers, msgId: String(msgId), rule });
    const send = () => this.answer(answer, { msgId, seqNo, method, call, scripted: true });
    if (delayMs > 0) setTimeout(send, delayMs);
    else send();
  }

  private answer(answer: Answer, req: { msgId: bigint; seqNo: number; method: string; call: tl.TLObject; scripted: boolean }): void {
    const base = { ...this.stamp(), method: req.method, reqMsgId: String(req.msgId), scripted: req.scripted };
    if (answer.kind === 'result') {
      const result = defaultResult(req.method, this.dc!, req.call);
      if (result === undefined) {
        this.answer({ kind: 'error', code: 400, message: 'FAKE_METHOD_NOT_IMPLEMENTED' }, { ...req, scripted: false });
        return;
      }
      this.reply(tl.rpcResult(req.msgId, tl.serialize(result)), true);
    } else if (answer.kind === 'bad_server_salt') {
      this.salt = randomBytes(8);
      this.reply(tl.badServerSalt(req.msgId, req.seqNo, this.salt), false);
      this.ctx.log.errors.push({ ...base, kind: 'bad_server_salt', code: 48, message: 'bad_server_salt', gzip: null, container: false });
    } else {
      const error = tl.rpcError(answer.code, answer.message);
      const payload =
        answer.gzip === 'inner'
          ? tl.rpcResult(req.msgId, tl.gzipPacked(error))
          : answer.gzip === 'outer'
            ? tl.gzipPacked(tl.rpcResult(req.msgId, error))
            : tl.rpcResult(req.msgId, error);
      if (answer.container) {
        const ack = { msgId: serverMsgId(false), seqNo: this.seqNo(false), body: tl.msgsAck([req.msgId]) };
        const result = { msgId: serverMsgId(true), seqNo: this.seqNo(true), body: payload };
        this.reply(tl.msgContainer([ack, result]), false);
      } else {
        this.reply(payload, true);
      }
      this.ctx.log.errors.push({
        ...base,
        kind: 'rpc_error',
        code: answer.code,
        message: answer.message,
        gzip: answer.gzip ?? null,
        container: !!answer.container,
      });
    }
  }

  /** Content-related messages take odd seq_nos (2n+1, then n grows), others the current even one. */
  private seqNo(contentRelated: boolean): number {
    return contentRelated ? this.seq++ * 2 + 1 : this.seq * 2;
  }

  private reply(body: Buffer, contentRelated: boolean): void {
    const frame = encryptServerMessage(this.authKey!, {
      salt: this.salt,
      sessionId: this.sessionId,
      msgId: serverMsgId(contentRelated),
      seqNo: this.seqNo(contentRelated),
      body,
    });
    this.ctx.send(this.transport.send(frame));
  }

  /**
   * Server messages the server sends of its own accord (updates, or results of nothing asked),
   * encrypted now with this connection's key, session and salt, so a bench can put many on the
   * wire later without paying for their encryption then. Transport framing (and obfuscation,
   * a stream cipher) waits for sendPrepared, so anything sent meanwhile keeps its order.
   */
  prepare(bodies: readonly Buffer[]): Buffer[] {
    if (!this.authKey) throw new Error('the connection has no key yet (nothing received)');
    return bodies.map((body) =>
      encryptServerMessage(this.authKey!, { salt: this.salt, sessionId: this.sessionId, msgId: serverMsgId(true), seqNo: this.seqNo(true), body }),
    );
  }

  /** Frames and sends messages from prepare(), in order. */
  sendPrepared(messages: readonly Buffer[]): void {
    for (const message of messages) this.ctx.send(this.transport.send(message));
  }

  private stamp(): { seq: number; time: string; dc: number; connection: number } {
    return { seq: this.ctx.nextSeq(), time: new Date().toISOString(), dc: this.dc ?? 0, connection: this.ctx.id };
  }

  private problem(text: string): void {
    this.ctx.log.problems.push(`connection ${this.ctx.id} (dc ${this.dc ?? '?'}): ${text}`);
  }
}
