#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail): classification, MTProto decoding, the hook's
# per-message path in Chromium, and the page overhead of the built extension.
# Each prints one line per figure with its target; the browser ones need the build.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
npm run --silent gen
echo "== classification (Node)"; npx tsx scripts/bench-classify.ts
echo "== MTProto decoding (Node)"; npx tsx scripts/bench-mtproto.ts
echo "== MTProto 2.0 decryption plus decoding with the user's key (Node)"; npx tsx scripts/bench-decrypt.ts
echo "== Capture inside workers: a worker socket's messages in the background (Node)"; npx tsx scripts/bench-worker-capture.ts
echo "== a tab's state snapshot kept across a stopped service worker: size and cost (Node)"; npx tsx scripts/bench-state-snapshot.ts
echo "== hook prefilter / MTProto inspector on 100 MB of error-free frames (Chromium)"; npx tsx scripts/bench-prefilter-browser.ts
echo "== what a page pays for WebSocket messages that arrive as Blobs, by way of reading (Chromium, no extension)"; npx tsx scripts/bench-blob-read.ts
npm run --silent build
echo "== page overhead of the built extension, 100,000 WebSocket messages of 1 KB (Chromium)"; npx tsx scripts/bench-hook.ts
echo "== the hook's share of the page's main-thread CPU on 100,000 encrypted 1 KB messages, and one 1 MB frame (Chromium, V8 CPU profiler)"; npx tsx scripts/bench-hook-cpu.ts
echo "== the hook beside a real client: GramJS on the page reads a pushed stream of encrypted MTProto messages, the hook with the key (Chromium, V8 CPU profiler)"; npx tsx scripts/bench-gramjs-cpu.ts
echo "== a live log of 100,000 records: filled through 50 frames, the worker's heap, the panel opened on it, chip, search, scroll (Chromium, the built extension)"; npx tsx scripts/bench-live-log.ts
echo "== load: a page floods errors over fetch, WebSocket JSON and MTProto and a worker for 60 s; kept + dropped = sent (Chromium, the built extension)"; npx tsx scripts/bench-load.ts
