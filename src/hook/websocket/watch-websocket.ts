// WebSocket: the constructor and prototype.send are wrapped in Proxies (name, length,
// statics, instanceof and subclassing stay native). Outgoing messages are seen right
// after the native send.
// Incoming messages are read by socket-message-reader.ts: inside the page's own message
// handler and listeners where it has them, else by a listener of ours.

import type { Direction } from '../../core/record.ts';
import type { BinaryInspector, BinaryInspectorFactory } from './binary-inspector.ts';
import { createMtprotoInspector } from './mtproto-inspector.ts';
import { nextConnectionId } from '../common/connection-ids.ts';
import {
  arrayBufferLength,
  blobLength,
  bytesOf,
  captureGetter,
  copyBytes,
  isDetached,
  isReceivedBlob,
  listen,
  mapGet,
  mapSet,
  messageEventData,
  NativeUint8Array,
  NativeWeakMap,
  reflectApply,
  reflectConstruct,
  replaceValue,
  setBytes,
} from '../common/natives.ts';
import { nullProtoHandler } from '../common/proxy-handler.ts';
import { DirectionStream } from './direction-stream.ts';
import { installPageBlobReads } from './page-blob-reads.ts';
import { readThroughListeners, readThroughOnmessage, SocketMessageReader } from './socket-message-reader.ts';
import { mayContainApiErrorText } from '../common/text-prefilter.ts';
import { methodOfRequest, RecentRequests, requestOf } from '../common/request-method.ts';
import { pageFingerprint } from '../common/request-fingerprint.ts';
import type { CaptureSource, Reporter } from '../common/report.ts';

const CLIENT_HEAD_BYTES = 64;

interface SocketState {
  conn: string;
  /** Text requests recently sent, so a text error answer names its method. */
  requests: RecentRequests | null;
  url: string;
  head: Uint8Array;
  headLength: number;
  inspector: BinaryInspector;
  incoming: DirectionStream;
  outgoing: DirectionStream;
  reader: SocketMessageReader;
}

export function watchWebSocket(report: Reporter, createInspector: BinaryInspectorFactory = createMtprotoInspector): void {
  const NativeWebSocket = window.WebSocket;
  if (typeof NativeWebSocket !== 'function') return;
  const proto = NativeWebSocket.prototype;
  const nativeSend = proto.send;
  const socketUrl = captureGetter<string>(proto, 'url');
  const socketReadyState = captureGetter<number>(proto, 'readyState');
  if (!socketUrl || !socketReadyState || !messageEventData || typeof nativeSend !== 'function') return;
  const OPEN = NativeWebSocket.OPEN;
  try {
    installPageBlobReads();
  } catch {
    // the hook then reads every Blob message itself
  }

  const sockets = new NativeWeakMap<WebSocket, SocketState>();

  function sourceOf(state: SocketState, direction: Direction, offset?: number): CaptureSource {
    return {
      channel: 'websocket',
      direction,
      url: state.url,
      conn: state.conn,
      offset,
      clientHead: state.headLength > 0 ? state.head.subarray(0, state.headLength) : undefined,
    };
  }

  function handleBinary(state: SocketState, direction: Direction, bytes: Uint8Array, offset: number): void {
    if (direction === 'out' && offset < CLIENT_HEAD_BYTES) {
      // Placed by offset: a Blob sent first may be read after an ArrayBuffer sent later.
      const take = Math.min(CLIENT_HEAD_BYTES - offset, bytes.length);
      setBytes(state.head, copyBytes(bytes, 0, take), offset);
      state.headLength = Math.max(state.headLength, offset + take);
    }
    if (state.inspector.inspect(direction, bytes, offset)) report.binary(sourceOf(state, direction, offset), bytes);
  }

  function sightTextRequest(state: SocketState, text: string, paired: string | undefined): void {
    const method = paired ?? methodOfRequest(text);
    if (method === undefined) return;
    report.request({ ...sourceOf(state, 'out'), method, fingerprintOf: () => pageFingerprint.text(text) });
  }

  function track(socket: WebSocket): SocketState {
    const state = {
      conn: nextConnectionId('ws'),
      requests: null,
      url: socketUrl!(socket),
      head: new NativeUint8Array(CLIENT_HEAD_BYTES),
      headLength: 0,
    } as SocketState;
    state.reader = new SocketMessageReader(socket, (data) => observe(state, 'in', data));
    // The call log's `unanswered`: calls still waiting when their connection closes, whether the
    // MTProto inspector read calls on it or the socket sent JSON requests (noted as calls).
    listen(socket, 'close', () => {
      try {
        const carriedCalls = state.inspector.closed?.() === true;
        if (carriedCalls || state.requests !== null) report.request({ channel: 'websocket', direction: 'in', url: state.url, conn: state.conn, closed: true });
      } catch {
        // never into page code
      }
    });
    state.inspector = createInspector({
      url: state.url,
      clientHead: () => copyBytes(state.head, 0, state.headLength),
      emitFrame: (direction, frame, offset, framing) => report.binary({ ...sourceOf(state, direction, offset), framing }, frame),
      emitEncrypted: (direction, payload, offset, framing, encrypted, payloadLength) =>
        report.binary({ ...sourceOf(state, direction, offset), framing, encrypted, payloadLength }, payload),
      emitAnswers: (answers) => report.request({ channel: 'websocket', direction: 'in', url: state.url, conn: state.conn, answers }),
    });
    state.incoming = new DirectionStream(state.inspector.ordered, (bytes, offset) => handleBinary(state, 'in', bytes, offset));
    state.outgoing = new DirectionStream(state.inspector.ordered, (bytes, offset) => handleBinary(state, 'out', bytes, offset));
    mapSet(sockets, socket, state);
    return state;
  }

  function observe(state: SocketState, direction: Direction, data: unknown): void {
    if (typeof data === 'string') {
      if (direction === 'out') {
        const request = requestOf(data);
        if (request) {
          (state.requests ??= new RecentRequests()).remember(request);
          report.callNote('websocket', state.conn, 'q', request.id, request.method);
        }
        // After an error, API requests are sighted for the handling audit.
        if (report.sightingsOpen()) sightTextRequest(state, data, request?.method);
      }
      if (mayContainApiErrorText(data)) {
        const source = sourceOf(state, direction);
        const request = direction === 'in' ? state.requests?.takeFor(data) : undefined;
        if (request !== undefined) {
          source.method = request.method;
          const text = request.text;
          if (text !== undefined) source.fingerprintOf = () => pageFingerprint.text(text);
        }
        report.text(source, data);
        if (request !== undefined) report.callNote('websocket', state.conn, 'e', request.id);
      } else if (direction === 'in' && state.requests !== null) {
        // The call log: an answer to a JSON request this socket sent (only sockets that sent one pay for this).
        const request = state.requests.takeFor(data);
        if (request !== undefined) report.callNote('websocket', state.conn, 'k', request.id);
      }
      return;
    }
    const stream = direction === 'in' ? state.incoming : state.outgoing;
    // A received Blob goes straight to its read: bytesOf's brand checks would throw and catch on it.
    if (direction === 'in' && isReceivedBlob(data)) {
      const size = blobLength(data);
      if (size >= 0) stream.pushBlob(data as Blob, size, true);
      return;
    }
    const bytes = bytesOf(data);
    if (bytes) {
      // A page listener we could not wrap (a handleEvent object) may have run first and
      // transferred the buffer away: its bytes are lost to us.
      if (bytes.length === 0 && arrayBufferLength(data) === 0 && isDetached(data as ArrayBuffer)) stream.markGap();
      else stream.pushBytes(bytes);
      return;
    }
    const size = blobLength(data);
    if (size >= 0) stream.pushBlob(data as Blob, size);
  }

  const readerOf = (socket: unknown): SocketMessageReader | undefined => {
    const reader = mapGet(sockets, socket as WebSocket)?.reader;
    return reader?.started ? reader : undefined;
  };
  // Installed now, before any page script: a page that keeps a reference to these methods
  // keeps ours, so its adds and removes always agree about the wrappers.
  readThroughOnmessage(proto, readerOf);
  readThroughListeners(readerOf);

  const WebSocketProxy = new Proxy(
    NativeWebSocket,
    nullProtoHandler<typeof NativeWebSocket>({
      construct(target, args, newTarget) {
        const socket = reflectConstruct(target, args, newTarget) as WebSocket;
        try {
          track(socket).reader.start();
        } catch {
          // observation is optional; the socket is the page's either way
        }
        return socket;
      },
    }),
  );

  const sendProxy = new Proxy(
    nativeSend,
    nullProtoHandler<typeof nativeSend>({
      apply(target, thisArg, args) {
        // Native first: same exceptions, thrown at the same time, and nothing observed for a failed send.
        const result = reflectApply(target, thisArg, args);
        try {
          const socket = thisArg as WebSocket;
          // Data sent while CLOSING/CLOSED is discarded by the browser, so it is no part of the stream.
          if (args.length > 0 && socketReadyState(socket) === OPEN) {
            const state = mapGet(sockets, socket) ?? track(socket);
            observe(state, 'out', args[0]);
          }
        } catch {
          // ignore
        }
        return result;
      },
    }),
  );

  replaceValue(proto, 'send', sendProxy);
  // `socket.constructor === WebSocket` must keep holding for the page's WebSocket.
  replaceValue(proto, 'constructor', WebSocketProxy);
  replaceValue(window, 'WebSocket', WebSocketProxy);
}
