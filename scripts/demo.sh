#!/usr/bin/env bash
# The demo: builds the extension, starts the demo web client on 127.0.0.1 and opens
# Chromium with the extension and DevTools on it (headless without a display: saves a
# screenshot of the panel and prints the captured errors).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent build
exec npx tsx e2e/demo/run-demo.ts "$@"
