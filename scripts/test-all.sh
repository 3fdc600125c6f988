#!/usr/bin/env bash
# Every test: typecheck, lint (type-aware, eslint.config.js) and format check (Prettier, .prettierrc.json), unit, build, end-to-end in Debian's Chromium, then in Debian's Firefox ESR.
# Ends with one line "tests: N passed, M failed" counted from the runners' JSON reports.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh || exit 1
mkdir -p artifacts
rm -f artifacts/vitest.json artifacts/playwright.json artifacts/playwright-firefox.json
failed=""
step() {
  local name=$1; shift
  echo "== $name"
  "$@" || failed="$failed $name"
}
# Each step has a time limit, so a hang fails the run instead of eating CI's 90 minutes.
step typecheck timeout 600 npm run --silent typecheck
step lint timeout 900 npm run --silent lint
step unit timeout 900 npm run --silent test:unit -- --reporter=default --reporter=json --outputFile.json=artifacts/vitest.json
step build timeout 600 npm run --silent build
if [[ $failed == *build* ]]; then
  echo "build failed: end-to-end tests not run"
else
  step e2e timeout 2700 npm run --silent test:e2e
  # Firefox: the Firefox build (dist-firefox/) in Debian's Firefox ESR over WebDriver BiDi,
  # web-ext lint included; Playwright is only the runner (e2e/firefox/playwright.config.ts).
  step e2e-firefox timeout 900 npm run --silent test:e2e:firefox
fi
npx tsx scripts/summarize-tests.ts artifacts/vitest.json artifacts/playwright.json artifacts/playwright-firefox.json
if [ -n "$failed" ]; then
  echo "failed steps:$failed"
  exit 1
fi
