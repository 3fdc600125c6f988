// Request sightings end to end without a browser: captures the hook's reporter builds go
// through the content script's validation and the decoder into the tab's audit. JSON errors and
// worker-call errors carry their request's fingerprint; the sightings after them decide the
// verdict where, without them, it would be "not observable".
import { describe, expect, it } from 'vitest';
import { HandlingAudits, type AuditTimers, type RecordVerdict } from '../../../src/background/audit/handling-audits.ts';
import { createReporter, type CaptureSource } from '../../../src/hook/common/report.ts';
import { httpRequestFingerprint, sightHttpRequest } from '../../../src/hook/http/request-sighting.ts';
import { inspectWorkerMessage, newChannelState } from '../../../src/hook/workers/worker-message-inspector.ts';
import { pageFingerprint } from '../../../src/hook/common/request-fingerprint.ts';
import { CaptureSession, decodeCapture } from '../../../src/core/capture/decode-capture.ts';
import { validateCapture } from '../../../src/shared/validate-capture.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');

function tab() {
  const clock = { now: T0 };
  const timers: AuditTimers = { now: () => clock.now, setTimeout: () => 0, clearTimeout: () => undefined };
  const audits = new HandlingAudits(() => undefined, timers);
  const session = new CaptureSession();
  const verdicts = new Map<number, RecordVerdict['handling']>();
  const kinds: string[] = [];
  let nextId = 1;
  const deliver = (detail: string) => {
    const checked = validateCapture(detail);
    if (!checked.ok) throw new Error(`invalid capture: ${checked.reason}`);
    kinds.push(checked.capture.kind);
    const decoded = decodeCapture(checked.capture, session);
    const records = decoded.records.map((r) => ({ ...r, id: nextId++ }) as ErrorRecord);
    for (const u of audits.see(7, decoded.requests, records)) verdicts.set(u.id, u.handling);
  };
  const report = createReporter({ deliver, now: () => clock.now, schedule: () => undefined });
  const at = (ms: number) => (clock.now = T0 + ms);
  const settle = (ms: number) => {
    at(ms);
    for (const u of audits.evaluate(7)) verdicts.set(u.id, u.handling);
  };
  return { report, at, settle, verdicts, kinds, audits };
}

const API = 'http://127.0.0.1:8080/dc2/api';

/** What watch-fetch does for one TL-JSON call answered with `answer`. */
function fetchCall(t: ReturnType<typeof tab>, body: string, answer: string) {
  if (t.report.sightingsOpen()) sightHttpRequest(t.report, 'fetch', API, body);
  const source: CaptureSource = {
    channel: 'fetch',
    direction: 'in',
    url: API,
    status: 200,
    method: JSON.parse(body)._,
    fingerprintOf: () => httpRequestFingerprint(API, body),
  };
  if (answer) t.report.text(source, answer);
}

const rpcError = (code: number, message: string) =>
  JSON.stringify({ _: 'rpc_result', req_msg_id: '1', result: { _: 'rpc_error', error_code: code, error_message: message } });

describe('request sightings feed the handling audit', () => {
  it('a TL-JSON 400 repeated unchanged (a new msg_id) is a violation on both errors of the retry chain', () => {
    const t = tab();
    const edit = (msgId: number, message: string) =>
      JSON.stringify({ _: 'messages.editMessage', msg_id: String(msgId), peer: { _: 'inputPeerSelf' }, id: 5, message });
    fetchCall(t, edit(1, 'same'), rpcError(400, 'MESSAGE_NOT_MODIFIED'));
    expect(t.verdicts.get(1)).toMatchObject({ verdict: 'pending', rule: { id: 'bad-request' }, final: false });
    t.at(800);
    fetchCall(t, edit(2, 'same'), rpcError(400, 'MESSAGE_NOT_MODIFIED'));
    expect(t.verdicts.get(1)).toMatchObject({ verdict: 'violation', finding: 'identical-repeat' });
    expect(t.verdicts.get(1)!.evidence[0]).toMatchObject({ method: 'messages.editMessage' });
    // The second error is the same call retried: one story with the first, the same verdict.
    t.at(1600);
    fetchCall(t, edit(3, 'changed'), '');
    t.settle(15_000);
    expect(t.verdicts.get(2)).toMatchObject({ verdict: 'violation', finding: 'identical-repeat', final: true, retryChain: { id: 1 } });
    expect(t.verdicts.get(2)).toEqual(t.verdicts.get(1));
    expect(t.kinds).toEqual(['text', 'request', 'text', 'request']);
  });

  it('a flood wait respected is ok; without the request read, not observable', () => {
    const t = tab();
    const send = JSON.stringify({ _: 'messages.sendReaction', msg_id: '1', peer: { _: 'inputPeerSelf' }, msg_id2: 9 });
    fetchCall(t, send, rpcError(420, 'FLOOD_WAIT_2'));
    t.at(2300);
    fetchCall(t, send, '');
    // Only calls up to retryAt count: the wait was respected.
    expect(t.verdicts.get(1)).toMatchObject({ verdict: 'ok', finding: 'wait-respected', final: true });
    expect(t.kinds).toEqual(['text', 'request']);

    // An error whose request the hook could not read (a body it cannot see) proves nothing visible.
    const quiet = tab();
    quiet.report.text({ channel: 'fetch', direction: 'in', url: API, status: 200, method: 'messages.sendReaction' }, rpcError(420, 'FLOOD_WAIT_2'));
    quiet.settle(5000);
    expect(quiet.verdicts.get(1)).toMatchObject({ verdict: 'not-observable', finding: 'no-requests-visible' });
  });

  it('a Web K invokeApi repeated during its flood wait is a violation, paired by taskId', () => {
    const t = tab();
    const state = newChannelState('worker-1', 'http://127.0.0.1:8080/w.js');
    const invoke = (id: number, randomId: string) => ({
      type: 'invoke',
      id,
      payload: {
        type: 'manager',
        payload: {
          name: 'apiManager',
          method: 'invokeApi',
          args: ['messages.sendMessage', { peer: { _: 'inputPeerSelf' }, message: 'hi', random_id: randomId }],
        },
      },
    });
    inspectWorkerMessage(t.report, state, 'out', invoke(1, 'a'));
    inspectWorkerMessage(t.report, state, 'in', {
      type: 'result',
      payload: { taskId: 1, error: { type: 'FLOOD_WAIT_3', code: 420, originalError: { _: 'rpc_error', error_code: 420, error_message: 'FLOOD_WAIT_3' } } },
    });
    t.at(500);
    inspectWorkerMessage(t.report, state, 'out', invoke(2, 'b'));
    expect(t.verdicts.get(1)).toMatchObject({ verdict: 'violation', finding: 'early-retry' });
    expect(t.verdicts.get(1)!.evidence[0]).toMatchObject({ method: 'messages.sendMessage', dc: null });
  });

  it('a Web A call is matched under its own name when the error names the Telegram method', () => {
    const t = tab();
    const state = newChannelState('worker-2', 'http://127.0.0.1:8080/a.js');
    const call = (id: string) => ({ payloads: [{ type: 'callMethod', messageId: id, name: 'sendMessage', args: [{ chat: { id: '5' }, text: 'x' }] }] });
    inspectWorkerMessage(t.report, state, 'out', call('m1'));
    inspectWorkerMessage(t.report, state, 'in', {
      payloads: [{ type: 'methodResponse', messageId: 'm1', error: { message: 'CHAT_WRITE_FORBIDDEN', code: 403 } }],
    });
    t.at(300);
    inspectWorkerMessage(t.report, state, 'out', call('m2'));
    const verdict = t.verdicts.get(1);
    expect(verdict).toMatchObject({ rule: { id: 'forbidden' }, verdict: 'violation', finding: 'identical-repeat' });
  });

  it("the page's fingerprints and the decoder's are never compared with each other", () => {
    const t = tab();
    const body = JSON.stringify({ _: 'messages.editMessage', id: 5, message: 'same' });
    fetchCall(t, body, rpcError(400, 'MESSAGE_NOT_MODIFIED'));
    // A wire request of the same method, fingerprinted by the decoder's salt.
    t.audits.see(7, [{ msgId: '77', method: 'messages.editMessage', dc: 2, fingerprint: 'a'.repeat(24), authKeyId: null, at: T0 + 500 }], []);
    t.settle(15_000);
    expect(t.verdicts.get(1)).toMatchObject({ verdict: 'not-observable', finding: 'input-unknown' });
    expect(pageFingerprint.text(body)).toMatch(/^p[0-9a-f]{6}:/);
  });
});
