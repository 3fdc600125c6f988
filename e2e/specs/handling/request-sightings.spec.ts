// The handling audit on channels the wire decoder never sees (issue 13, 1b): a TL-JSON client
// over fetch and a Web K-style worker call. The hook pairs each error with the fingerprint of
// its request and, after an error, sights the requests that follow, so the verdicts are
// decided (not "not observable"): a 400 repeated unchanged and a worker call repeated during
// its flood wait are violations; a flood wait waited out is ok.

import type { ErrorRecord } from '../../../src/core/record.ts';
import { expect, test } from '../../harness/fixtures.ts';

test.describe.configure({ timeout: 60_000 });

const find = (records: ErrorRecord[], type: string, channel: string) => records.find((r) => r.type === type && r.channel === channel);

test('JSON and worker requests after an error decide its verdict', async ({ page, demo, tabIdOf, getLog }) => {
  await page.goto(`${demo.url}sightings/index.html?auto=1`);
  const tabId = await tabIdOf(page);
  await page.waitForFunction(() => (window as { __sightings?: { done: boolean } }).__sightings?.done, null, { timeout: 30_000 });
  const outcome = await page.evaluate(() => (window as { __sightings?: unknown }).__sightings);
  expect(outcome).toEqual({ done: true, reactionAfterWait: 'updates', workerFirst: 'FLOOD_WAIT_3' });

  const expected: [string, string, string, string][] = [
    ['MESSAGE_NOT_MODIFIED', 'fetch', 'violation', 'identical-repeat'],
    ['FLOOD_WAIT_2', 'fetch', 'ok', 'wait-respected'],
    ['FLOOD_WAIT_3', 'worker', 'violation', 'early-retry'],
  ];
  const settled = (records: ErrorRecord[]) => expected.every(([type, channel, , finding]) => find(records, type, channel)?.handling?.finding === finding);
  let records: ErrorRecord[] = [];
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    records = (await getLog(tabId)).records;
    if (settled(records)) break;
  }
  for (const [type, channel, verdict, finding] of expected) {
    const record = find(records, type, channel);
    expect(record, `${type} on ${channel} is in the log`).toBeDefined();
    expect({ type, verdict: record!.handling?.verdict, finding: record!.handling?.finding }).toEqual({ type, verdict, finding });
    expect(record!.request?.fingerprint, `${type} carries its request's fingerprint`).toMatch(/^p[0-9a-f]{6}:[0-9a-f]{16}$/);
  }
  const edit = find(records, 'MESSAGE_NOT_MODIFIED', 'fetch')!;
  expect(edit.method).toBe('messages.editMessage');
  expect(edit.handling!.evidence[0]).toMatchObject({ method: 'messages.editMessage' });
  const flood = find(records, 'FLOOD_WAIT_3', 'worker')!;
  expect(flood.method).toBe('messages.forwardMessages');
  expect(flood.handling!.detail).toMatch(/before the wait ended/);
  expect(flood.handling!.evidence[0]).toMatchObject({ method: 'messages.forwardMessages' });
  // Nothing here is left "not observable".
  expect(records.filter((r) => r.handling?.verdict === 'not-observable').map((r) => r.type)).toEqual([]);
});
