// The call log on the channels the wire decoder never sees (issue 21 f): the TL-JSON client over
// fetch and the Web K-style worker of the sightings page. Every call the hook can name is a call
// with its method, channel and outcome (ok, or error linked to its record), settled by its answer
// with a duration, in the Calls view and in the export; an error's `before` counts them.

import { readFile } from 'node:fs/promises';
import type { ExportedCall } from '../../../src/core/calls/call.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { expect, test } from '../../harness/fixtures.ts';

test.describe.configure({ timeout: 90_000 });

test('JSON calls over fetch and Web K worker calls are logged with their outcomes', async ({ page, demo, tabIdOf, openPanelPage }) => {
  await page.goto(`${demo.url}sightings/index.html?auto=1`);
  const tabId = await tabIdOf(page);
  const panel = await openPanelPage(tabId);
  await page.waitForFunction(() => (window as { __sightings?: { done: boolean } }).__sightings?.done, null, { timeout: 30_000 });

  // What the page's server answered (app.js, worker.js), in the order sent.
  const expected = [
    'fetch messages.editMessage error MESSAGE_NOT_MODIFIED',
    'fetch messages.editMessage error MESSAGE_NOT_MODIFIED',
    'fetch messages.sendReaction error FLOOD_WAIT_2',
    'fetch messages.sendReaction ok',
    'worker help.getConfig ok',
    'worker messages.forwardMessages error FLOOD_WAIT_3',
    'worker messages.forwardMessages error FLOOD_WAIT_3',
  ];
  const callsTab = panel.getByRole('tab', { name: /^Calls/ });
  await expect(callsTab).toHaveText(new RegExp(`Calls\\s*${expected.length}$`), { timeout: 20_000 });

  const [file] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export all' }).click()]);
  let data = JSON.parse(await readFile((await file.path())!, 'utf8')) as { errors: ErrorRecord[]; calls: ExportedCall[] };
  // Answers are noted in batches (a second at most): wait until none is pending.
  for (let tries = 0; data.calls.some((c) => c.outcome === 'pending') && tries < 10; tries++) {
    await panel.waitForTimeout(500);
    const [again] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export all' }).click()]);
    data = JSON.parse(await readFile((await again.path())!, 'utf8')) as typeof data;
  }
  const described = data.calls.map((c) => {
    const record = c.recordId !== null ? data.errors.find((e) => e.id === c.recordId) : undefined;
    return `${c.channel} ${c.method} ${c.outcome}${record ? ` ${record.message}` : ''}`;
  });
  expect(described).toEqual(expected);
  for (const c of data.calls) {
    expect(c.durationMs, `${c.method} has its duration`).not.toBeNull();
    if (c.outcome === 'error') expect(data.errors.some((e) => e.id === c.recordId)).toBe(true);
  }
  // Before: the second forward's flood counts the calls before it on the tab and the first forward.
  const floods = data.errors.filter((e) => e.message === 'FLOOD_WAIT_3');
  expect(floods).toHaveLength(2);
  const second = floods[1] as ErrorRecord & { before?: { calls: number; sameMethod: { count: number } } };
  expect(second.before?.sameMethod.count).toBe(1);
  expect(second.before?.calls).toBe(expected.length);

  // The Calls view lists them.
  await callsTab.click();
  await expect(panel.getByRole('grid', { name: 'API calls' })).toHaveAttribute('aria-rowcount', String(expected.length));
});
