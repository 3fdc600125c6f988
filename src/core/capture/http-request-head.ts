// The HTTP transport's request a response answers, read from the head the hook kept
// (HookCapture.requestHead), into the connection's request tracker: a whole small message is
// decoded as it would be on a WebSocket (wrappers such as invokeWithLayer unwrapped); a head cut
// short still gives msg_id and the outermost constructor.

import { decodeMtprotoPayload } from '../mtproto/tl/decode.ts';
import type { DescribeRequest, RequestTracker } from '../mtproto/tl/request-tracker.ts';

/** Returns the requests read (msg_id and method), for the handling audit. */
export function rememberHttpRequest(
  head: Uint8Array,
  tracker: RequestTracker,
  methodName: (id: number) => string | null,
  describeRequest?: DescribeRequest,
): { msgId: string | null; method: string | null }[] {
  const findings = decodeMtprotoPayload(head, { direction: 'out', methodName, tracker, describeRequest });
  if (findings.requests.length > 0) return findings.requests.map((r) => ({ msgId: r.msgId, method: r.method }));
  if (head.length < 24) return [];
  for (let i = 0; i < 8; i++) if (head[i] !== 0) return [];
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const msgId = view.getBigUint64(8, true).toString();
  const constructorId = view.getUint32(20, true);
  const method = methodName(constructorId);
  tracker.remember(msgId, { method, constructorId: `0x${constructorId.toString(16).padStart(8, '0')}` });
  return [{ msgId, method }];
}
