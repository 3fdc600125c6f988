import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'e2e/specs',
  workers: 1,
  // The JSON report feeds the one closing count line of `npm test` (scripts/summarize-tests.ts).
  reporter: [['list'], ['json', { outputFile: 'artifacts/playwright.json' }]],
  timeout: 60_000,
});
