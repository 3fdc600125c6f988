// The Firefox end-to-end tests (npm test runs them after the Chromium ones): Playwright is the
// runner only; the tests drive Debian's Firefox ESR over WebDriver BiDi (./bidi.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: '**/*.firefox.ts',
  workers: 1,
  reporter: [['list'], ['json', { outputFile: fileURLToPath(new URL('../../artifacts/playwright-firefox.json', import.meta.url)) }]],
  outputDir: fileURLToPath(new URL('../../test-results/firefox', import.meta.url)),
  timeout: 90_000,
});
