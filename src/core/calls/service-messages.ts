// MTProto service messages a client sends (mtp-schema.json): not API calls, so not in the call
// log. The decoder names them by these names (src/core/mtproto/tl/constructors.ts SERVICE_NAMES).

const SERVICE_REQUESTS: ReadonlySet<string> = new Set([
  'msgs_ack',
  'ping',
  'ping_delay_disconnect',
  'http_wait',
  'msg_resend_req',
  'msgs_state_req',
  'msgs_state_info',
  'msgs_all_info',
  'get_future_salts',
  'destroy_session',
  'rpc_drop_answer',
  'destroy_auth_key',
  'req_pq',
  'req_pq_multi',
  'req_DH_params',
  'set_client_DH_params',
  'msg_copy',
  'msg_container',
  'gzip_packed',
]);

/** Whether a request the decoder read is an API call (not an MTProto service message). */
export function isApiCall(method: string | null): boolean {
  return method === null || !SERVICE_REQUESTS.has(method);
}
