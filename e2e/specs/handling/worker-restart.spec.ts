// State that outlives the service worker (issue 20.2): GramJS against the fake Telegram meets a
// FLOOD_WAIT_45 on two calls, and the test stops the extension's service worker in the middle of
// the wait (Chrome stops an idle one after about 30 s). After the restart the audit goes on from
// its snapshot: the client that waited gets ok, the client that called again early gets a
// violation (its fingerprint compares with the one taken before the stop), and an answer sent
// before the stop and arriving after it names its method (the request pairing came back).

import { expect, test } from '@playwright/test';
import { closeHandlingRun, runHandlingApp } from '../../apps/handling/run-app.ts';
import { EAGER_RETRY_MS, LATE_ANSWER_MS, RESTART_FLOOD_SECONDS } from '../../apps/handling/scenarios.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';

test.describe.configure({ timeout: 150_000 });

test('a service worker stopped in the middle of a 45 s flood wait: verdicts, the early repeat and a late answer survive it', async () => {
  const run = await runHandlingApp('worker-restart', { waitForEnd: false });
  const { harness, tabId, page, fake } = run;
  try {
    expect(run.keys).toBe(2);
    await page.waitForFunction(() => (globalThis as { __phase?: string }).__phase === 'waiting', null, { timeout: 20_000 });
    const flood = `FLOOD_WAIT_${RESTART_FLOOD_SECONDS}`;
    // Both flood waits are in the log and being watched before the stop.
    const before = await pollLog(
      harness.getLog.bind(harness),
      tabId,
      (rs) => rs.filter((r) => r.type === flood && r.handling?.verdict === 'pending').length === 2,
      10_000,
    );
    expect(before.filter((r) => r.type === flood).map((r) => r.handling?.verdict)).toEqual(['pending', 'pending']);
    // Past the snapshot's write gap, then stop the worker.
    await new Promise((r) => setTimeout(r, 1500));
    const startedAt = await harness.evaluateInWorker(() => performance.timeOrigin);
    await harness.stopServiceWorker();
    expect(
      fake.log().errors.some((e) => e.message === 'USERNAME_NOT_OCCUPIED'),
      'the late answer is not sent before the stop',
    ).toBe(false);

    // The answer sent after the stop names the method of the request sent before it.
    const late = await pollLog(harness.getLog.bind(harness), tabId, (rs) => rs.some((r) => r.type === 'USERNAME_NOT_OCCUPIED'), LATE_ANSWER_MS + 10_000);
    expect(await harness.evaluateInWorker(() => performance.timeOrigin), 'a new worker').toBeGreaterThan(startedAt);
    const answer = late.find((r) => r.type === 'USERNAME_NOT_OCCUPIED');
    expect(answer, 'the late answer is in the log').toBeDefined();
    expect(answer!.method).toBe('contacts.resolveUsername');
    expect(answer!.request?.params).toMatchObject({ _: 'contacts.resolveUsername', username: 'answered_late' });

    // The eager client's repeat inside the wait: a violation, decided after the restart.
    const eager = await pollLog(
      harness.getLog.bind(harness),
      tabId,
      (rs) => rs.some((r) => r.type === flood && r.handling?.verdict === 'violation'),
      EAGER_RETRY_MS + 10_000,
    );
    const violation = eager.find((r) => r.type === flood && r.handling?.verdict === 'violation')!;
    // Certain at the early call, so said at once; final only when the wait's window closes (issue 19.5).
    expect(violation.handling).toMatchObject({ finding: 'early-retry' });
    expect(violation.handling!.detail).toMatch(/before the wait ended/);
    expect(violation.handling!.evidence[0].method).toBe('messages.sendMessage');

    // The patient client repeats after the wait: ok.
    const end = await pollLog(
      harness.getLog.bind(harness),
      tabId,
      (rs) => rs.filter((r) => r.type === flood && r.handling?.final).length === 2,
      RESTART_FLOOD_SECONDS * 1000 + 15_000,
    );
    const verdicts = end.filter((r) => r.type === flood).map((r) => [r.handling?.verdict, r.handling?.finding]);
    expect(verdicts).toContainEqual(['violation', 'early-retry']);
    expect(end.find((r) => r.id === violation.id)!.handling).toMatchObject({ verdict: 'violation', final: true });
    expect(verdicts.filter(([v]) => v === 'ok')).toHaveLength(1);
    expect(end.filter((r) => r.handling?.detail.includes('restarted'))).toEqual([]);
    await page.waitForFunction(() => (window as { __handlingResult?: { done: boolean } }).__handlingResult?.done, null, { timeout: 20_000 });
  } finally {
    await closeHandlingRun(run);
  }
});

async function pollLog(
  getLog: (tabId: number) => Promise<{ records: ErrorRecord[] }>,
  tabId: number,
  ready: (records: ErrorRecord[]) => boolean,
  timeoutMs: number,
): Promise<ErrorRecord[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { records } = await getLog(tabId);
    if (ready(records) || Date.now() > deadline) return records;
    await new Promise((r) => setTimeout(r, 250));
  }
}
