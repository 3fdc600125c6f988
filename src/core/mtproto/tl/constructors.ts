// Constructor ids the decoder acts on (Bool ids excepted: core types), checked against @mtcute/tl's
// mtp-schema.json and api-schema.json in test/mtproto/constructors.test.ts.
// rpc_result, msg_container, gzip_packed and msg_copy are absent from those
// schemas (clients handle them natively); their ids come from core.telegram.org.

export const ID = {
  rpcResult: 0xf35c6d01,
  rpcError: 0x2144ca19,
  msgContainer: 0x73f1f8dc,
  gzipPacked: 0x3072cfa1,
  msgCopy: 0xe06046b2,
  badMsgNotification: 0xa7eff811,
  badServerSalt: 0xedab447b,
  rpcAnswerUnknown: 0x5e2ad36e,
  rpcAnswerDroppedRunning: 0xcd78e586,
  rpcAnswerDropped: 0xa43ad8b7,
  newSessionCreated: 0x9ec20908,
  msgsAck: 0x62d6b459,
  pong: 0x347773c5,
  vector: 0x1cb5c415,
  // Request wrappers (api-schema.json).
  invokeWithLayer: 0xda9b0d0d,
  initConnection: 0xc1cd5ea9,
  invokeAfterMsg: 0xcb9f372d,
  invokeAfterMsgs: 0x3dc4b4f0,
  invokeWithoutUpdates: 0xbf9459b7,
  invokeWithMessagesRange: 0x365275f2,
  invokeWithTakeout: 0xaca9fd2e,
  invokeWithBusinessConnection: 0xdd289f8e,
  invokeWithGooglePlayIntegrity: 0x1df92984,
  invokeWithApnsSecret: 0x0dae54f8,
  invokeWithReCaptcha: 0xadbb0f94,
  // Argument types inside initConnection.
  inputClientProxy: 0x75588b3f,
  jsonObjectValue: 0xc0de1bd9,
  jsonNull: 0x3f6d7b68,
  jsonBool: 0xc7345e6a,
  jsonNumber: 0x2be0dfa4,
  jsonString: 0xb71e767a,
  jsonArray: 0xf7444763,
  jsonObject: 0x99c1d49d,
  boolTrue: 0x997275b5,
  boolFalse: 0xbc799737,
} as const;

/** Names of MTProto service constructors (mtp-schema.json without the mt_ prefix, plus the native four). */
export const SERVICE_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [ID.rpcResult, 'rpc_result'],
  [ID.rpcError, 'rpc_error'],
  [ID.msgContainer, 'msg_container'],
  [ID.gzipPacked, 'gzip_packed'],
  [ID.msgCopy, 'msg_copy'],
  [0x05162463, 'resPQ'],
  [0xa9f55f95, 'p_q_inner_data_dc'],
  [0x56fddf88, 'p_q_inner_data_temp_dc'],
  [0xd0e8075c, 'server_DH_params_ok'],
  [0xb5890dba, 'server_DH_inner_data'],
  [0x6643b654, 'client_DH_inner_data'],
  [0x3bcbf734, 'dh_gen_ok'],
  [0x46dc1fb9, 'dh_gen_retry'],
  [0xa69dae02, 'dh_gen_fail'],
  [0x75a3f765, 'bind_auth_key_inner'],
  [ID.rpcAnswerUnknown, 'rpc_answer_unknown'],
  [ID.rpcAnswerDroppedRunning, 'rpc_answer_dropped_running'],
  [ID.rpcAnswerDropped, 'rpc_answer_dropped'],
  [0x0949d9dc, 'future_salt'],
  [0xae500895, 'future_salts'],
  [ID.pong, 'pong'],
  [0xe22045fc, 'destroy_session_ok'],
  [0x62d350c9, 'destroy_session_none'],
  [ID.newSessionCreated, 'new_session_created'],
  [ID.msgsAck, 'msgs_ack'],
  [ID.badMsgNotification, 'bad_msg_notification'],
  [ID.badServerSalt, 'bad_server_salt'],
  [0x7d861a08, 'msg_resend_req'],
  [0xda69fb52, 'msgs_state_req'],
  [0x04deb57d, 'msgs_state_info'],
  [0x8cc0d131, 'msgs_all_info'],
  [0x276d3ec6, 'msg_detailed_info'],
  [0x809db6df, 'msg_new_detailed_info'],
  [0xf660e1d4, 'destroy_auth_key_ok'],
  [0x0a9f2259, 'destroy_auth_key_none'],
  [0xea109b13, 'destroy_auth_key_fail'],
  [0x9299359f, 'http_wait'],
  [0xbe7e8ef1, 'req_pq_multi'],
  [0xd712e4be, 'req_DH_params'],
  [0xf5045f1f, 'set_client_DH_params'],
  [0x58e4a740, 'rpc_drop_answer'],
  [0xb921bd04, 'get_future_salts'],
  [0x7abe77ec, 'ping'],
  [0xf3427b8c, 'ping_delay_disconnect'],
  [0xe7512126, 'destroy_session'],
  [0xd1435160, 'destroy_auth_key'],
]);

/** Client -> server service messages that are not answered with rpc_result-worthy names of their own. */
export const WRAPPER_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [ID.invokeWithLayer, 'invokeWithLayer'],
  [ID.initConnection, 'initConnection'],
  [ID.invokeAfterMsg, 'invokeAfterMsg'],
  [ID.invokeAfterMsgs, 'invokeAfterMsgs'],
  [ID.invokeWithoutUpdates, 'invokeWithoutUpdates'],
  [ID.invokeWithMessagesRange, 'invokeWithMessagesRange'],
  [ID.invokeWithTakeout, 'invokeWithTakeout'],
  [ID.invokeWithBusinessConnection, 'invokeWithBusinessConnection'],
  [ID.invokeWithGooglePlayIntegrity, 'invokeWithGooglePlayIntegrity'],
  [ID.invokeWithApnsSecret, 'invokeWithApnsSecret'],
  [ID.invokeWithReCaptcha, 'invokeWithReCaptcha'],
]);

/** bad_msg_notification error codes (core.telegram.org/mtproto/service_messages_about_messages). */
export const BAD_MSG_MEANINGS: ReadonlyMap<number, string> = new Map<number, string>([
  [16, 'msg_id too low (client time behind server; resync time)'],
  [17, 'msg_id too high (client time ahead of server; resync time)'],
  [18, 'incorrect two lower bits of msg_id (must be divisible by 4 for client messages)'],
  [19, 'container msg_id is the same as the msg_id of a previously received message'],
  [20, 'message too old: the server cannot verify whether it was received'],
  [32, 'msg_seqno too low (the server already received a message with a lower msg_id but higher or equal seqno)'],
  [33, 'msg_seqno too high (the server already received a message with a higher msg_id but lower or equal seqno)'],
  [34, 'an even msg_seqno expected (irrelevant message), but odd received'],
  [35, 'an odd msg_seqno expected (relevant message), but even received'],
  [48, 'incorrect server salt (use the new salt)'],
  [64, 'invalid container'],
]);

export function badMsgMeaning(code: number): string {
  return BAD_MSG_MEANINGS.get(code) ?? `unknown code ${code}`;
}

export const TRANSPORT_ERROR_MEANINGS: ReadonlyMap<number, string> = new Map<number, string>([
  [-404, 'auth key not found (or the server forgot it)'],
  [-429, 'transport flood: too many connections or requests'],
  [-444, 'invalid DC'],
]);

export function transportErrorMeaning(code: number): string {
  return TRANSPORT_ERROR_MEANINGS.get(code) ?? `transport error ${code}`;
}
