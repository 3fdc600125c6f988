// WebSocket: what the page sends and receives on its sockets. Wraps the constructor and
// `send`; reads incoming messages inside the page's own handlers (socket-message-reader),
// follows each direction as a byte stream (direction-stream) and, for binary sockets, the
// MTProto transport's framing and obfuscation (mtproto-inspector, behind the small
// binary-inspector interface). Hands on: text messages that pass the text prefilter, and
// whole deobfuscated MTProto frames that can carry an error or name a request, with the
// connection id and stream offset, through common/report.

export { watchWebSocket } from './watch-websocket.ts';
