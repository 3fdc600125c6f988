// Waiting for a tab's log to settle, the same way in every browser's harness: at least
// `atLeast` records, then a count that holds still over three reads (captures stopped arriving).

export async function settleLog<L extends { records: unknown[] }>(read: () => Promise<L>, atLeast = 0): Promise<L> {
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  let log = await read();
  const deadline = Date.now() + 10_000;
  while (log.records.length < atLeast && Date.now() < deadline) {
    await pause(100);
    log = await read();
  }
  for (let still = 0; still < 3 && Date.now() < deadline + 5_000;) {
    await pause(150);
    const next = await read();
    still = next.records.length === log.records.length ? still + 1 : 0;
    log = next;
  }
  return log;
}
