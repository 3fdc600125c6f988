// The handling audit demo: the misbehaving and the well-behaved GramJS apps (scenarios.ts) run
// against the fake Telegram in Chromium with the built extension, the keys given as a user gives
// them; each error is printed with its verdict once the audit's windows have closed, and the
// panel is screenshotted (artifacts/handling-demo-<mode>.png).
// Run: npm run build && npx tsx e2e/apps/handling/run-handling-demo.ts

import { assertBuilt } from '../../harness/extension-browser.ts';
import type { ErrorRecord } from '../../../src/core/record.ts';
import { closeHandlingRun, runHandlingApp, type HandlingRun } from './run-app.ts';
import type { HandlingMode } from './scenarios.ts';

const ARTIFACTS = new URL('../../../artifacts/', import.meta.url).pathname;
/** Long enough for every window but the 303 give-up and the 401 watch to close (10 s). */
const SETTLE_MS = 12_000;

export function handlingTable(records: readonly ErrorRecord[]): string {
  const rows = [['id', 'code', 'type', 'method', 'dc', 'verdict', 'what the client did']];
  for (const r of records) {
    const h = r.handling;
    rows.push([
      String(r.id),
      String(r.code),
      r.type ?? r.message,
      r.method ?? '',
      r.dc === null ? '' : String(r.dc),
      h ? `${h.verdict}${h.verdict === 'pending' ? '' : `: ${h.finding}`}` : '',
      h?.detail ?? '',
    ]);
  }
  const clip = (s: string) => (s.length > 90 ? `${s.slice(0, 89)}…` : s);
  const cells = rows.map((row) => row.map(clip));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row: string[]) =>
    row
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

async function runMode(mode: HandlingMode): Promise<void> {
  let run: HandlingRun | null = null;
  try {
    run = await runHandlingApp(mode);
    const { harness, tabId, panel } = run;
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const { records } = await harness.getLog(tabId);
    const violations = records.filter((r) => r.handling?.verdict === 'violation').length;
    console.log(`\n[handling demo] ${mode} GramJS app: ${records.length} errors, ${violations} violation${violations === 1 ? '' : 's'}`);
    console.log(handlingTable(records));
    await panel.screenshot({ path: `${ARTIFACTS}handling-demo-${mode}.png` });
  } finally {
    if (run) await closeHandlingRun(run);
  }
}

/** Both apps in turn, each in its own browser (npm run demo calls this after its own clients). */
export async function runHandlingDemo(): Promise<void> {
  assertBuilt();
  for (const mode of ['misbehaving', 'well-behaved'] as const) await runMode(mode);
}

const main = runHandlingDemo;

if (process.argv[1] === new URL(import.meta.url).pathname) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
