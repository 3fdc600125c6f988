// Panel benchmark in Chromium with the built extension (run `npm run build` first):
//   npx tsx scripts/bench-panel.ts [records=100000] [--runs=N] [--dist=DIR] [--profile=PREFIX]
// --runs repeats the whole measurement in a fresh panel page N times and prints the median of
// each figure with its range (the machine is shared: one run is not a figure). --dist loads
// another build (say an unminified `npx vite build --minify false --outDir DIR`), and
// --profile writes Chrome CPU profiles of each phase (PREFIX-open.cpuprofile, ...) and prints
// the functions with the most self time. --trace=PREFIX records a Chrome trace of each phase
// instead (PREFIX-open.json, ..., loadable in DevTools' Performance panel) and prints where the
// renderer's main thread spent its time (script, style, layout, paint).
// Opens the panel page, imports a file of realistic records (the same code path a user's
// import takes: file input -> parse -> the real App), and prints: time to first full
// render, filter (code chip) change, search change, and scroll frame times.

import { writeFileSync, mkdtempSync } from 'node:fs';
import type { CDPSession } from 'playwright-core';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExtensionHarness, launchExtensionContext, PANEL_PATH } from '../e2e/harness/extension-browser.ts';
import { exportText, generateRecords } from '../e2e/harness/panel-records.ts';

const positional = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const option = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const COUNT = Number(positional[0] ?? 100_000);
const RUNS = Number(option('runs') ?? 1);
const DIST = option('dist');
const PROFILE = option('profile');
const TRACE = option('trace');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tid: number;
  pid: number;
  args?: { name?: string; data?: { frame?: string } };
}

/** Starts a trace; the returned function stops it, saves it and sums the main thread's top-level events. */
async function startTrace(cdp: CDPSession, phase: string): Promise<() => Promise<void>> {
  await cdp.send('Tracing.start', {
    transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'cc'] },
  });
  return async () => {
    const done = new Promise<string>((resolve) => cdp.once('Tracing.tracingComplete', (e) => resolve((e as { stream: string }).stream)));
    await cdp.send('Tracing.end');
    const stream = await done;
    let text = '';
    for (;;) {
      const chunk = (await cdp.send('IO.read', { handle: stream })) as { data: string; eof: boolean; base64Encoded?: boolean };
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    writeFileSync(`${TRACE}-${phase}.json`, text);
    const parsed = JSON.parse(text) as { traceEvents: TraceEvent[] } | TraceEvent[];
    const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
    const main = events.find(
      (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'FunctionCall'),
    );
    const sums = new Map<string, { total: number; count: number; max: number }>();
    for (const e of events) {
      if (!main || e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || e.dur === undefined) continue;
      const s = sums.get(e.name) ?? { total: 0, count: 0, max: 0 };
      s.total += e.dur / 1000;
      s.count++;
      s.max = Math.max(s.max, e.dur / 1000);
      sums.set(e.name, s);
    }
    console.log(`\n  trace ${phase}: main thread, by event (inclusive, nested events counted in each)`);
    for (const [name, s] of [...sums.entries()].sort((a, b) => b[1].total - a[1].total).slice(0, 16)) {
      console.log(`    ${ms(s.total).padStart(10)}  ${name} ×${s.count}, longest ${ms(s.max)}`);
    }
  };
}

/** Starts the sampling profiler; the returned function stops it, saves and summarises the profile. */
async function startProfile(cdp: CDPSession, phase: string): Promise<() => Promise<void>> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await cdp.send('Profiler.start');
  return async () => {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
    writeFileSync(`${PROFILE}-${phase}.cpuprofile`, JSON.stringify(profile));
    const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
    const self = new Map<string, number>();
    let total = 0;
    profile.samples.forEach((id, i) => {
      const frame = byNode.get(id)!.callFrame;
      const name = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
      const dt = (profile.timeDeltas[i] ?? 0) / 1000;
      total += dt;
      self.set(name, (self.get(name) ?? 0) + dt);
    });
    console.log(`\n  profile ${phase}: ${ms(total)} sampled; most self time:`);
    for (const [name, t] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 18)) console.log(`    ${ms(t).padStart(10)}  ${name}`);
  };
}

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

  const context = await launchExtensionContext({ headless: true, ...(DIST ? { distDir: DIST } : {}) });
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
    /** One measurement in a fresh panel page. */
    const run = async () => {
      const panel = await context.newPage();
      const cdp = PROFILE || TRACE ? await context.newCDPSession(panel) : null;
      const profiled = (phase: string) => (cdp ? (TRACE ? startTrace(cdp, phase) : startProfile(cdp, phase)) : Promise.resolve(async () => undefined));
      await panel.goto(`${harness.origin}/${PANEL_PATH}?tabId=${tabId}`);
      await panel.getByText('No Telegram API errors yet').waitFor();
      // tsx keeps function names with a `__name` helper that page-side functions would miss.
      await panel.evaluate('window.__name = (fn) => fn');

      // Watch for the first full render: the rows and the count of every record on screen.
      const expected = `${COUNT.toLocaleString('en-US')} errors`;
      await panel.evaluate((want) => {
        const w = window as unknown as { benchChangeAt?: number; benchRenderedAt?: number; benchPaintedAt?: number };
        document.querySelector('input[type="file"]')!.addEventListener('change', () => (w.benchChangeAt = performance.now()), { capture: true });
        const observer = new MutationObserver(() => {
          if (document.querySelector('.viewport .row[data-id]') && document.querySelector('.summary')?.textContent === want) {
            document.body.getBoundingClientRect(); // layout included
            w.benchRenderedAt = performance.now();
            observer.disconnect();
            // A task after the next frame's callbacks: that frame has been painted by then.
            requestAnimationFrame(() => setTimeout(() => (w.benchPaintedAt = performance.now()), 0));
          }
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      }, expected);
      let stop = await profiled('open');
      await panel.locator('input[type="file"]').setInputFiles(file);
      await panel.waitForFunction(() => (window as unknown as { benchPaintedAt?: number }).benchPaintedAt !== undefined, null, { timeout: 120_000 });
      await stop();
      const open = await panel.evaluate(() => {
        const w = window as unknown as { benchChangeAt: number; benchRenderedAt: number; benchPaintedAt: number };
        const parsed = performance.getEntriesByName('tg-panel:import-parsed').at(-1)!.startTime;
        return {
          readAndParse: parsed - w.benchChangeAt,
          render: w.benchRenderedAt - parsed,
          painted: w.benchPaintedAt - parsed,
          total: w.benchRenderedAt - w.benchChangeAt,
          rows: document.querySelectorAll('.viewport .row').length,
        };
      });

      // Let idle work (search keys built in slices) finish, as it would while the user reads.
      await panel.waitForTimeout(1500);
      // What the panel keeps for the log: the heap after a full collection (records, index, search keys).
      const heapSession = cdp ?? (await context.newCDPSession(panel));
      await heapSession.send('HeapProfiler.collectGarbage');
      const { usedSize: heap } = (await heapSession.send('Runtime.getHeapUsage')) as { usedSize: number };

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
            const chips = ['400', '420', '303', 'other'].map((code) =>
              [...document.querySelectorAll<HTMLButtonElement>('.chips .chip')].find((b) => b.textContent!.startsWith(code))!,
            );
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
                const took = await Promise.race([
                  untilChanged(before, () => undefined),
                  new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - t0))),
                ]);
                times.push(took);
                await pause();
              }
              times.push(await untilChanged(summary(), () => type('')));
              await pause();
            }
          }
          return times;
        }, kind);

      stop = await profiled('chip');
      const chip = stats(await timeChanges('chip'));
      await stop();
      stop = await profiled('search');
      const search = stats(await timeChanges('search'));
      await stop();
      stop = await profiled('scroll');

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
      await stop();
      const frame = stats(scroll.frames);
      const step = stats(scroll.work);
      await panel.close();
      return { open, heap, chip, search, frame, step };
    };

    const results: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 0; i < RUNS; i++) {
      results.push(await run());
      if (RUNS > 1)
        console.log(
          `  run ${i + 1}: first render ${ms(results[i].open.render)}, chip median ${ms(results[i].chip.median)} p95 ${ms(results[i].chip.p95)}, search median ${ms(results[i].search.median)} p95 ${ms(results[i].search.p95)}, scroll frame median ${ms(results[i].frame.median)} p95 ${ms(results[i].frame.p95)}`,
        );
    }
    /** Median over runs, with the range. */
    const across = (pick: (r: (typeof results)[number]) => number) => {
      const values = results.map(pick).sort((a, b) => a - b);
      const median = values[Math.floor(values.length / 2)];
      return RUNS > 1 ? `${ms(median)} [${values[0].toFixed(1)}–${values[values.length - 1].toFixed(1)}]` : ms(median);
    };
    const { open } = results[0];
    const load = loadavg()[0];
    console.log(
      `\nPanel with ${COUNT.toLocaleString('en-US')} records (Chromium, headless, this machine; ${RUNS > 1 ? `median of ${RUNS} runs [range]` : 'one run'}; load average ${load.toFixed(1)} on ${availableParallelism()} cores)`,
    );
    console.log(`  open: read + parse file           ${across((r) => r.open.readAndParse)}`);
    console.log(
      `  open: first full render           ${across((r) => r.open.render)}   (records ready -> rows, chips, counts laid out; the overview follows just after; target 150 ms)`,
    );
    console.log(`  open: first frame painted         ${across((r) => r.open.painted)}   (the same, to the end of the frame that shows them)`);
    console.log(`  open: import total                ${across((r) => r.open.total)}`);
    console.log(`  rows in the DOM                   ${open.rows} (virtualized)`);
    console.log(
      `  JS heap kept (after a full GC)    ${(results[0].heap / 1e6).toFixed(0)} MB, ${((results[0].heap / COUNT) | 0).toLocaleString('en-US')} bytes per record`,
    );
    console.log(
      `  filter change (code chip)         median ${across((r) => r.chip.median)}, p95 ${across((r) => r.chip.p95)}, max ${across((r) => r.chip.max)}   (target 50 ms)`,
    );
    console.log(
      `  search change (per keystroke)     median ${across((r) => r.search.median)}, p95 ${across((r) => r.search.p95)}, max ${across((r) => r.search.max)}   (target 50 ms)`,
    );
    console.log(
      `  scroll, 200 steps of 7 rows       frame interval median ${across((r) => r.frame.median)}, p95 ${across((r) => r.frame.p95)}, max ${across((r) => r.frame.max)}`,
    );
    console.log(
      `                                    work per step median ${across((r) => r.step.median)}, p95 ${across((r) => r.step.p95)}, max ${across((r) => r.step.max)}`,
    );
  } finally {
    await context.close();
  }
}

await main();
