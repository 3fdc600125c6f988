// Panel benchmark in Chromium with the built extension (run `npm run build` first):
//   npx tsx scripts/bench-panel.ts [records=100000]
// Opens the panel page, imports a file of realistic records (the same code path a user's
// import takes: file input -> parse -> the real App), and prints: time to first full
// render, filter (code chip) change, search change, and scroll frame times.

import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtensionHarness, launchExtensionContext, PANEL_PATH } from '../e2e/extension-browser.ts';
import { exportText, generateRecords } from '../e2e/panel-records.ts';

const COUNT = Number(process.argv[2] ?? 100_000);

function stats(values: number[]): { median: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] };
}
const ms = (n: number) => `${n.toFixed(1)} ms`;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-panel-'));
  const file = join(dir, `errors-${COUNT}.json`);
  const genStart = performance.now();
  const text = exportText(generateRecords(COUNT, { endAt: Date.now(), spanMs: 60 * 60_000 }));
  writeFileSync(file, text);
  console.log(`file: ${COUNT.toLocaleString('en-US')} records, ${(text.length / 1e6).toFixed(1)} MB (generated in ${ms(performance.now() - genStart)})`);

  const context = await launchExtensionContext({ headless: true });
  try {
    const harness = await ExtensionHarness.attach(context);
    const tab = await context.newPage();
    await tab.goto('about:blank');
    // The worker may still be starting; the first query can miss `chrome`.
    let tabId: number | null = null;
    for (let i = 0; tabId === null; i++) {
      try {
        tabId = await harness.tabIdOf(tab);
      } catch (error) {
        if (i > 20) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
    const panel = await context.newPage();
    await panel.goto(`${harness.origin}/${PANEL_PATH}?tabId=${tabId}`);
    await panel.getByText('No Telegram API errors yet').waitFor();
    // tsx keeps function names with a `__name` helper that page-side functions would miss.
    await panel.evaluate('window.__name = (fn) => fn');

    // Watch for the first full render: the rows and the count of every record on screen.
    const expected = `${COUNT.toLocaleString('en-US')} errors`;
    await panel.evaluate((want) => {
      const w = window as unknown as { benchChangeAt?: number; benchRenderedAt?: number };
      document.querySelector('input[type="file"]')!.addEventListener('change', () => (w.benchChangeAt = performance.now()), { capture: true });
      const observer = new MutationObserver(() => {
        if (document.querySelector('.viewport .row[data-id]') && document.querySelector('.summary')?.textContent === want) {
          document.body.getBoundingClientRect(); // layout included
          w.benchRenderedAt = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
    }, expected);
    await panel.locator('input[type="file"]').setInputFiles(file);
    await panel.waitForFunction(() => (window as unknown as { benchRenderedAt?: number }).benchRenderedAt !== undefined, null, { timeout: 120_000 });
    const open = await panel.evaluate(() => {
      const w = window as unknown as { benchChangeAt: number; benchRenderedAt: number };
      const parsed = performance.getEntriesByName('tg-panel:import-parsed').at(-1)!.startTime;
      const memory = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? null;
      return { readAndParse: parsed - w.benchChangeAt, render: w.benchRenderedAt - parsed, total: w.benchRenderedAt - w.benchChangeAt, memory, rows: document.querySelectorAll('.viewport .row').length };
    });

    // Let idle work (search keys built in slices) finish, as it would while the user reads.
    await panel.waitForTimeout(1500);

    /** Times an action until `done()` holds in the DOM, layout included; in the page. */
    const timeChanges = (kind: 'chip' | 'search') =>
      panel.evaluate(async (which) => {
        const summary = () => document.querySelector('.summary')!.textContent!;
        const untilChanged = (before: string, act: () => void) =>
          new Promise<number>((resolve) => {
            const t0 = performance.now();
            const observer = new MutationObserver(() => {
              if (summary() !== before) {
                observer.disconnect();
                document.body.getBoundingClientRect();
                resolve(performance.now() - t0);
              }
            });
            observer.observe(document.body, { childList: true, subtree: true, characterData: true });
            act();
          });
        const times: number[] = [];
        const pause = () => new Promise((r) => setTimeout(r, 50));
        if (which === 'chip') {
          const chips = ['400', '420', '303', 'other'].map((code) => [...document.querySelectorAll<HTMLButtonElement>('.chips .chip')].find((b) => b.textContent!.startsWith(code))!);
          for (let round = 0; round < 3; round++) {
            for (const chip of chips) {
              times.push(await untilChanged(summary(), () => chip.click()));
              await pause();
              times.push(await untilChanged(summary(), () => chip.click()));
              await pause();
            }
          }
        } else {
          const input = document.querySelector<HTMLInputElement>('input[type="search"]')!;
          const type = (value: string) => {
            input.value = value;
            input.dispatchEvent(new Event('input', { bubbles: true }));
          };
          for (const word of ['flood', 'peer_id', 'upload.getfile', 'kws2 sendmessage', 'migrate']) {
            for (let i = 1; i <= word.length; i++) {
              const before = summary();
              const t0 = performance.now();
              type(word.slice(0, i));
              // A keystroke that does not change the count still re-filters: time it by the next frame's start.
              const took = await Promise.race([untilChanged(before, () => undefined), new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - t0)))]);
              times.push(took);
              await pause();
            }
            times.push(await untilChanged(summary(), () => type('')));
            await pause();
          }
        }
        return times;
      }, kind);

    const chip = stats(await timeChanges('chip'));
    const search = stats(await timeChanges('search'));

    // Scroll: 200 steps of 7 rows, one per frame, from the top; frame intervals and per-step script time.
    const scroll = await panel.evaluate(async () => {
      const viewport = document.querySelector<HTMLElement>('.viewport')!;
      viewport.scrollTop = 0;
      await new Promise((r) => setTimeout(r, 100));
      const frames: number[] = [];
      const work: number[] = [];
      let last = 0;
      for (let i = 0; i < 200; i++) {
        await new Promise<void>((resolve) =>
          requestAnimationFrame((now) => {
            if (last) frames.push(now - last);
            last = now;
            const t0 = performance.now();
            viewport.scrollTop += 7 * 22;
            viewport.dispatchEvent(new Event('scroll'));
            // Let Preact render the new window of rows, then include layout.
            queueMicrotask(() => {
              setTimeout(() => {
                document.body.getBoundingClientRect();
                work.push(performance.now() - t0);
                resolve();
              }, 0);
            });
          }),
        );
      }
      return { frames, work, rowsInDom: document.querySelectorAll('.viewport .row').length };
    });
    const frame = stats(scroll.frames);
    const step = stats(scroll.work);

    console.log(`\nPanel with ${COUNT.toLocaleString('en-US')} records (Chromium, headless, this machine)`);
    console.log(`  open: read + parse file           ${ms(open.readAndParse)}`);
    console.log(`  open: first full render           ${ms(open.render)}   (records ready -> rows, chips, counts laid out; the overview follows just after; target 150 ms)`);
    console.log(`  open: import total                ${ms(open.total)}`);
    console.log(`  rows in the DOM                   ${open.rows} (virtualized)`);
    if (open.memory !== null) console.log(`  JS heap after import              ${(open.memory / 1e6).toFixed(0)} MB`);
    console.log(`  filter change (code chip)         median ${ms(chip.median)}, p95 ${ms(chip.p95)}, max ${ms(chip.max)}   (target 50 ms)`);
    console.log(`  search change (per keystroke)     median ${ms(search.median)}, p95 ${ms(search.p95)}, max ${ms(search.max)}   (target 50 ms)`);
    console.log(`  scroll, 200 steps of 7 rows       frame interval median ${ms(frame.median)}, p95 ${ms(frame.p95)}, max ${ms(frame.max)}`);
    console.log(`                                    work per step median ${ms(step.median)}, p95 ${ms(step.p95)}, max ${ms(step.max)}`);
  } finally {
    await context.close();
  }
}

await main();
