// The Firefox build (dist-firefox/) beside the Chrome one (dist/), both from manifest.json:
// the Firefox manifest is derived (event page, gecko id and minimum version, no Chrome-only
// key or permission), web-ext lint finds no error, and the packaged .xpi installs and works.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test, expect } from '@playwright/test';
import { CHROME_ONLY_PERMISSIONS, FIREFOX_ADDON_ID, FIREFOX_MIN_VERSION } from '../../scripts/firefox-manifest.ts';
import { startDemoServer } from '../demo/server.ts';
import { FirefoxBrowser, FirefoxExtensionHarness } from './firefox-browser.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const json = (path: string) => JSON.parse(readFileSync(`${root}${path}`, 'utf8')) as Record<string, any>;

test('dist-firefox/ has the Firefox manifest derived from manifest.json, dist/ the Chrome one', () => {
  const source = json('manifest.json');
  const chrome = json('dist/manifest.json');
  const firefox = json('dist-firefox/manifest.json');

  expect(chrome.background.service_worker).toBe('service-worker-loader.js');
  expect(chrome.minimum_chrome_version).toBe(source.minimum_chrome_version);
  expect(chrome.permissions).toEqual(source.permissions);
  expect(chrome.browser_specific_settings).toBeUndefined();

  expect(firefox.background).toEqual({ scripts: ['service-worker-loader.js'], type: 'module' });
  expect(firefox.browser_specific_settings.gecko).toMatchObject({ id: FIREFOX_ADDON_ID, strict_min_version: FIREFOX_MIN_VERSION });
  expect(firefox).not.toHaveProperty('minimum_chrome_version');
  expect(firefox.permissions).toEqual(source.permissions.filter((p: string) => !CHROME_ONLY_PERMISSIONS.has(p)));
  expect(firefox.permissions).not.toContain('debugger');
  // Everything else as in the Chrome build: same name, version, pages, content scripts (MAIN world too).
  for (const key of ['name', 'version', 'description', 'icons', 'action', 'devtools_page', 'content_scripts']) expect(firefox[key], key).toEqual(chrome[key]);
});

test('web-ext lint reports no error on dist-firefox/', async () => {
  test.setTimeout(120_000);
  const { stdout } = await promisify(execFile)(
    'npx',
    ['--no-install', 'web-ext', 'lint', '--source-dir', 'dist-firefox', '--output', 'json', '--no-config-discovery'],
    {
      cwd: root,
      maxBuffer: 32 * 1024 * 1024,
    },
  ).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  const report = JSON.parse(stdout) as { summary: { errors: number }; errors: { code: string; message: string; file?: string }[] };
  expect(report.errors.map((e) => `${e.code} ${e.file ?? ''}: ${e.message}`)).toEqual([]);
  expect(report.summary.errors).toBe(0);
});

test('npm run package: the .xpi installs in Firefox and captures', async () => {
  test.setTimeout(120_000);
  const out = mkdtempSync(join(tmpdir(), 'tg-errors-packages-'));
  await promisify(execFile)('npx', ['--no-install', 'tsx', 'scripts/package.ts', out], { cwd: root });
  const { version } = json('manifest.json') as { version: string };
  const demo = await startDemoServer();
  const firefox = await FirefoxBrowser.launch({ extension: false });
  try {
    const installed = await firefox.bidi.send<{ extension: string }>('webExtension.install', {
      extensionData: { type: 'archivePath', path: join(out, `telegram-api-error-inspector-${version}-firefox.xpi`) },
    });
    expect(installed.extension).toBe(FIREFOX_ADDON_ID);
    const harness = new FirefoxExtensionHarness(firefox);
    await firefox.firstTab.goto(`${demo.url}?auto=1`);
    await firefox.firstTab.waitFor('the demo to finish', () => (window as unknown as { demoDone?: boolean }).demoDone === true, undefined, 60_000);
    const tabId = await harness.tabIdOf(firefox.firstTab);
    expect((await harness.settledLog(tabId, 19)).records).toHaveLength(19);
  } finally {
    await firefox.close();
    await demo.close();
    rmSync(out, { recursive: true, force: true });
  }
});
