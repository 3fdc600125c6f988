#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): classification, MTProto decoding, and the
# page hook's overhead in Chromium. Needs the built extension for the browser ones.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent gen
echo "== classification (Node)"; npx tsx scripts/bench-classify.ts
echo "== MTProto decoding (Node)"; npx tsx scripts/bench-mtproto.ts
if [ -f scripts/bench-hook.ts ]; then
  npm run --silent build
  echo "== page hook overhead (Chromium)"; npx tsx scripts/bench-hook.ts
fi
