// Node-only smoke test (no browser): GramJS in Node plays the standard scenario against the fake
// server. Run: npx tsx e2e/fake-telegram/smoke.ts   (exit code 1 on a mismatch)

import { checkRun } from './expect.ts';
import { createNodeClient } from './node-client.ts';
import { runScenario, SCRIPT } from './scenario.ts';
import { startFakeTelegram } from './server.ts';

const started = Date.now();
const fake = await startFakeTelegram({ script: SCRIPT });
const client = await createNodeClient(fake.port);
try {
  await client.connect();
  const outcomes = await runScenario(client);
  const problems = checkRun(outcomes, fake.log(), fake.unusedRules());
  if (process.env.VERBOSE) console.log(JSON.stringify({ outcomes, log: fake.log() }, null, 1));
  console.log(`fake-telegram smoke: ${outcomes.length} calls, ${fake.log().errors.length} errors sent, ${Date.now() - started} ms`);
  for (const p of problems) console.log(`  MISMATCH ${p}`);
  process.exitCode = problems.length ? 1 : 0;
} finally {
  await client.destroy();
  await fake.close();
}
