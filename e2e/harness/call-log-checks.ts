// What the call log e2e specs (e2e/specs/calls/) read back from the panel: the export's `calls`
// and records once no call is pending, the "Before" of an error in the detail pane, and the
// expected `before` worked out from what the server or client itself logged.

import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { maxInSpan } from '../../src/core/calls/before.ts';
import type { ExportedCall } from '../../src/core/calls/call.ts';
import type { ErrorRecord } from '../../src/core/record.ts';

export interface CallsExport {
  version: number;
  errors: ErrorRecord[];
  calls: ExportedCall[];
}

async function exportOnce(panel: Page): Promise<CallsExport> {
  const [file] = await Promise.all([panel.waitForEvent('download'), panel.getByRole('button', { name: 'Export all' }).click()]);
  return JSON.parse(await readFile((await file.path())!, 'utf8')) as CallsExport;
}

/** Export all, again until no call is pending (answers are noted in batches, a second at most). */
export async function settledExport(panel: Page): Promise<CallsExport> {
  let data = await exportOnce(panel);
  for (let tries = 0; data.calls.some((c) => c.outcome === 'pending') && tries < 10; tries++) {
    await panel.waitForTimeout(500);
    data = await exportOnce(panel);
  }
  return data;
}

/** Waits until the Calls tab counts `n` calls. */
export async function expectCallCount(panel: Page, n: number): Promise<void> {
  await expect(panel.getByRole('tab', { name: /^Calls/ })).toHaveText(new RegExp(`Calls\\s*${n}$`), { timeout: 20_000 });
}

/**
 * The `before` of an error at `errorAt` answering `calls[failing]`, from a log of calls (epoch
 * ms): the calls in the 60 s before it, those of its method but the failing one, and the densest
 * 10 s of them.
 */
export function expectedBefore(calls: { at: number; method: string }[], failing: number, errorAt: number) {
  const method = calls[failing].method;
  const inWindow = calls.filter((c) => c.at >= errorAt - 60_000 && c.at <= errorAt);
  const same = inWindow.filter((c) => c.method === method && c !== calls[failing]);
  return {
    windowMs: 60_000,
    calls: inWindow.length,
    sameMethod: { count: same.length, maxPer10s: maxInSpan(same.map((c) => c.at).sort((a, b) => a - b)) },
  };
}

/** The detail pane's "Before" of the record whose row shows `type`, as the panel shows it. */
export async function expectBeforeInPanel(panel: Page, type: string, count: number, densest: number, total: number): Promise<void> {
  await panel.getByRole('tab', { name: /^Errors/ }).click();
  await panel.locator('.c-type', { hasText: type }).first().click();
  const before = panel.getByRole('region', { name: 'Calls before' });
  await expect(before.locator('.before-count')).toHaveText(String(count));
  await expect(before.locator('.before-densest')).toHaveText(String(densest));
  await expect(before.locator('.before-total')).toHaveText(String(total));
}

/**
 * From the open record's "Before": "Show the calls before" opens the Calls view filtered to the
 * method's calls in the window (`filtered` rows); clearing the filters shows all `total`.
 */
export async function expectCallsBeforeView(panel: Page, filtered: number, total: number): Promise<void> {
  await panel
    .getByRole('region', { name: 'Calls before' })
    .getByRole('button', { name: /Show the calls before/ })
    .click();
  const grid = panel.getByRole('grid', { name: 'API calls' });
  await expect(grid).toHaveAttribute('aria-rowcount', String(filtered));
  await panel.getByRole('button', { name: 'Clear filters' }).click();
  await expect(grid).toHaveAttribute('aria-rowcount', String(total));
}
