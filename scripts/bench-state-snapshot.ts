// The cost of a tab's state snapshot (issue 20.2: the handling audit, the request pairing and
// the sightings merge window kept across a stopped service worker), in Node:
//   npx tsx scripts/bench-state-snapshot.ts
// For a typical tab (a few errors being watched) and for one at every cap (500 open errors with
// 32 related requests each, 1,024 requests kept for pairing, 8 connections x 128 requests with
// 1 KB of masked parameters, 256 held and 256 remembered sightings): the time to collect the
// state (save()), to structured-clone it (what IndexedDB's put does to a value) and its size as
// JSON. The background writes a changed tab at most once per 500 ms and waits 10x a write's
// duration before the next (src/background/state/tab-state-snapshots.ts).

import { HandlingAudit, MAX_OPEN_ERRORS, MAX_RELATED_REQUESTS } from '../src/core/handling/index.ts';
import { CaptureSession } from '../src/core/capture/decode-capture.ts';
import { SightingMerger } from '../src/core/capture/sightings.ts';
import type { NewRecord } from '../src/core/record.ts';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');

function audit(openErrors: number, related: number, requests: number): HandlingAudit {
  const a = new HandlingAudit();
  let at = T0;
  for (let i = 0; i < requests; i++)
    a.add({
      kind: 'request',
      requestId: `m${i}`,
      at: at++,
      method: 'messages.getHistory',
      dc: 2,
      family: 'tab:1',
      fingerprint: `fp${i}`,
      authKeyId: 'aaaa000000000000',
      msgId: String(7_000_000_000_000_000_000n + BigInt(i * 4)),
    });
  for (let e = 0; e < openErrors; e++) {
    // 401s on one key: every later call on it is related and counted for 30 s, the verdict stays open.
    a.add({
      kind: 'error',
      id: e + 1,
      at: at++,
      code: 401,
      class: 'UNAUTHORIZED',
      type: 'AUTH_KEY_UNREGISTERED',
      params: {},
      method: `m.call${e}`,
      dc: 2,
      family: 'tab:1',
      authKeyId: 'aaaa000000000000',
      fingerprint: `f${e}`,
      msgId: null,
    });
  }
  for (let r = 0; r < related; r++) {
    a.add({
      kind: 'request',
      requestId: `q${r}`,
      at: at + 300 + r * 10,
      method: 'messages.getHistory',
      dc: 2,
      family: 'tab:1',
      fingerprint: `other${r}`,
      authKeyId: 'aaaa000000000000',
      msgId: null,
    });
  }
  if (a.stats.openErrors !== openErrors) throw new Error(`expected ${openErrors} open errors, got ${a.stats.openErrors}`);
  return a;
}

function session(connections: number, requests: number, paramsChars: number): CaptureSession {
  const s = new CaptureSession(64, new Uint8Array(16));
  for (let c = 0; c < connections; c++)
    for (let i = 0; i < requests; i++)
      s.trackerFor(`conn${c}`).remember(String(i), {
        method: 'messages.sendMessage',
        constructorId: '0x0d9d75a4',
        params: JSON.stringify({ _: 'messages.sendMessage', message: 'x'.repeat(paramsChars) }),
        fingerprint: 'ab'.repeat(16),
      });
  return s;
}

function sightings(n: number): SightingMerger {
  let now = T0;
  const m = new SightingMerger({ now: () => now, later: () => undefined }, () => undefined);
  const record = {
    channel: 'worker',
    dialect: 'gramjs',
    type: 'FLOOD',
    message: 'FLOOD',
    code: 420,
    method: null,
    capturedAt: new Date(T0).toISOString(),
    evidence: { kind: 'json', excerpt: '{"errorMessage":"FLOOD","code":420}' },
  } as unknown as NewRecord;
  m.pageRecords(
    1,
    Array.from({ length: n }, () => record),
  );
  m.rememberWire(
    1,
    Array.from({ length: n }, (_, i) => ({ ...record, id: i + 1, channel: 'websocket', type: `X_${i}` }) as never),
  );
  now += 1;
  return m;
}

function measure(name: string, make: () => { audit: HandlingAudit; capture: CaptureSession; sightings: SightingMerger }): void {
  const parts = make();
  const collect = () => ({
    v: 1,
    audit: { audit: parts.audit.save({ maxRequests: 1024 }), requestCounter: 0 },
    capture: parts.capture.save(),
    sightings: parts.sightings.save(1),
  });
  const rounds = 15;
  const saveMs: number[] = [];
  const cloneMs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    const state = collect();
    saveMs.push(performance.now() - t);
    t = performance.now();
    structuredClone(state);
    cloneMs.push(performance.now() - t);
    bytes = JSON.stringify(state).length;
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  console.log(
    `  ${name}: ${(bytes / 1024).toFixed(0)} KB as JSON; collect ${median(saveMs).toFixed(2)} ms, structured clone ${median(cloneMs).toFixed(2)} ms (medians of ${rounds})`,
  );
}

console.log('Tab state snapshot (Node; the background writes a changed tab at most every 500 ms, and at least 10x the last write apart)');
measure('typical tab (5 errors watched, 200 requests, 2 connections x 50 requests, 2 sightings)', () => ({
  audit: audit(5, 2, 200),
  capture: session(2, 50, 200),
  sightings: sightings(2),
}));
measure(
  `every cap (${MAX_OPEN_ERRORS} open errors x ${MAX_RELATED_REQUESTS - 1} related (the 32nd decides), 1,024 requests, 8 x 128 requests with 1 KB params, 256 + 256 sightings)`,
  () => ({ audit: audit(MAX_OPEN_ERRORS, MAX_RELATED_REQUESTS - 1, 4096), capture: session(8, 128, 1000), sightings: sightings(256) }),
);
