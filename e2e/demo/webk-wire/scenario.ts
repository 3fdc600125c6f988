// The fake Telegram's script for the Web K-style demo client on a real socket (?wire=1), in the
// order the page's flows call (e2e/demo/public/webk/app.js), with what tweb's worker does with
// each answer. What reaches the page is the same as with the worker's fixed tables, so the
// page's results do not depend on the mode.

import type { Rule } from '../../fake-telegram/index.ts';

export const WEBK_SCRIPT: readonly Rule[] = [
  // getConfig: the worker moves to DC 2 (a new socket to kws2) and repeats the call.
  { method: 'help.getConfig', dc: 1, answer: { kind: 'error', code: 303, message: 'USER_MIGRATE_2' } },
  // sendMessage: a wait up to 60 s is slept through in the worker, a longer one goes to the page.
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_2' } },
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_120' } },
  // sendText: to the page, with the call attached (repayRequestHandler).
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 403, message: 'ALLOW_PAYMENT_REQUIRED_250' } },
  // starGifts: the networker takes the new salt and sends again; the 400 goes to the page.
  { method: 'payments.getStarGifts', answer: { kind: 'bad_server_salt' } },
  { method: 'payments.getStarGifts', answer: { kind: 'error', code: 400, message: 'STARGIFT_INVALID', gzip: 'inner', container: true } },
  { method: 'account.getAuthorizations', answer: { kind: 'error', code: 401, message: 'SESSION_REVOKED' } },
  { method: 'auth.bindTempAuthKey', answer: { kind: 'error', code: 406, message: 'AUTH_KEY_DUPLICATED' } },
  // getFile: a 500 is repeated after 1 s; the part then arrives.
  { method: 'upload.getFile', answer: { kind: 'error', code: 500, message: 'RPC_CALL_FAIL' } },
];

/** `code message method dc` of every error the server sends for WEBK_SCRIPT, in order. */
export const WEBK_SENT = [
  '303 USER_MIGRATE_2 help.getConfig dc1',
  '420 FLOOD_WAIT_2 messages.sendMessage dc2',
  '420 FLOOD_WAIT_120 messages.sendMessage dc2',
  '403 ALLOW_PAYMENT_REQUIRED_250 messages.sendMessage dc2',
  '48 bad_server_salt payments.getStarGifts dc2',
  '400 STARGIFT_INVALID payments.getStarGifts dc2',
  '401 SESSION_REVOKED account.getAuthorizations dc2',
  '406 AUTH_KEY_DUPLICATED auth.bindTempAuthKey dc2',
  '500 RPC_CALL_FAIL upload.getFile dc2',
];

/** The server's errors the worker passes to the page (the others it handles). */
export const WEBK_REACHING_PAGE = ['FLOOD_WAIT_120', 'ALLOW_PAYMENT_REQUIRED_250', 'STARGIFT_INVALID', 'SESSION_REVOKED', 'AUTH_KEY_DUPLICATED'];
