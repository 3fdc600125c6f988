// The demo's text-frame WebSockets and its event stream: TL-JSON message sending that
// runs into a flood wait, a TDLib JSON client, and server-sent updates ending in
// SESSION_REVOKED. State is per connection, so parallel runs never disturb each other.

import type { ServerResponse } from 'node:http';
import type { WebSocket } from 'ws';

/** Sends that succeed on one connection before the flood wait. */
const SENDS_BEFORE_FLOOD = 3;

function parseJson(data: Buffer): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(data.toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export function attachTlJsonSocket(socket: WebSocket): void {
  let sent = 0;
  socket.send(
    JSON.stringify({
      _: 'updateShort',
      update: { _: 'updateUserStatus', user_id: '1002', status: { _: 'userStatusOnline', expires: 1_700_000_300 } },
      date: 1_700_000_000,
    }),
  );
  socket.on('message', (data: Buffer) => {
    const req = parseJson(data);
    if (!req || req._ !== 'messages.sendMessage') return;
    const reqMsgId = String(req.msg_id);
    sent++;
    if (sent > SENDS_BEFORE_FLOOD) {
      socket.send(JSON.stringify({ _: 'rpc_result', req_msg_id: reqMsgId, result: { _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_17' } }));
      return;
    }
    socket.send(
      JSON.stringify({
        _: 'rpc_result',
        req_msg_id: reqMsgId,
        result: { _: 'updateShortSentMessage', id: 6000 + sent, pts: 100 + sent, pts_count: 1, date: 1_700_000_010 + sent },
      }),
    );
    if (sent === 2) {
      // An incoming message quoting an error: ordinary data.
      socket.send(
        JSON.stringify({
          _: 'updateShortMessage',
          id: 6100,
          user_id: '1002',
          message: 'careful, FLOOD_WAIT_17 error_code 420 comes after three sends',
          pts: 110,
          pts_count: 1,
          date: 1_700_000_020,
        }),
      );
    }
  });
}

export function attachTdlibSocket(socket: WebSocket): void {
  socket.send(JSON.stringify({ '@type': 'updateAuthorizationState', authorization_state: { '@type': 'authorizationStateReady' } }));
  socket.on('message', (data: Buffer) => {
    const req = parseJson(data);
    if (!req) return;
    const extra = req['@extra'];
    const reply = (body: Record<string, unknown>) => socket.send(JSON.stringify({ ...body, '@extra': extra }));
    switch (req['@type']) {
      case 'getMe':
        reply({ '@type': 'user', id: 1002, first_name: 'rpc_error', last_name: '', usernames: { '@type': 'usernames', active_usernames: ['rpc_error'] } });
        break;
      case 'getChat':
        if (req.chat_id === 777) reply({ '@type': 'error', code: 400, message: 'PEER_ID_INVALID' });
        else reply({ '@type': 'chat', id: req.chat_id, title: 'Error codes 400 and 420 discussion' });
        break;
      case 'sendMessage':
        reply({ '@type': 'error', code: 429, message: 'Too Many Requests: retry after 120' });
        socket.send(
          JSON.stringify({
            '@type': 'updateNewMessage',
            message: {
              '@type': 'message',
              id: 8001,
              chat_id: 42,
              content: { '@type': 'messageText', text: { '@type': 'formattedText', text: "got {'@type':'error', code: 400, message: PEER_ID_INVALID} again" } },
            },
          }),
        );
        break;
      default:
        reply({ '@type': 'ok' });
    }
  });
}

/** SSE events in order; the page closes the stream when it sees the error. */
const EVENT_STREAM = [
  'retry: 600000\n\n',
  `id: 1\ndata: ${JSON.stringify({ _: 'updateShort', update: { _: 'updateUserStatus', user_id: '1002', status: { _: 'userStatusOnline', expires: 1_700_000_300 } }, date: 1_700_000_000 })}\n\n`,
  // A named event whose JSON is split over two data lines (joined with a newline by the browser).
  `event: update\nid: 2\ndata: {"_":"updateShort",\ndata: "update":{"_":"updateUserTyping","user_id":"1002","action":{"_":"sendMessageTypingAction"}},"date":1700000001}\n\n`,
  ': keep-alive\n\n',
  `id: 3\ndata: ${JSON.stringify({ _: 'updateShort', update: { _: 'updateNewMessage', message: { _: 'message', id: 4010, message: 'rpc_error 401 SESSION_REVOKED? only in the docs' } }, date: 1_700_000_002 })}\n\n`,
  `id: 4\ndata: ${JSON.stringify({ _: 'rpc_error', error_code: 401, error_message: 'SESSION_REVOKED' })}\n\n`,
];

export function serveEventStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  for (const event of EVENT_STREAM) res.write(event);
}
