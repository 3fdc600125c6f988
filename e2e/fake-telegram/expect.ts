// What the standard scenario must produce, checked the same way for the Node and browser runs:
// the app's outcomes, and a server log holding every scripted error. Returns mismatches as text
// so both a plain script and Playwright can report them.

import type { Outcome } from './scenario.ts';
import { SCRIPT } from './scenario.ts';
import type { FakeTelegramLog, Rule } from './script.ts';

type Expected = Pick<Outcome, 'name' | 'ok' | 'thisDc' | 'result'> & { code?: number; errorMessage?: string; seconds?: number };

/** What the app sees; errors GramJS handles itself (303, FLOOD_WAIT_2, RPC_CALL_FAIL, bad_server_salt) never reach it. */
export const EXPECTED_OUTCOMES: readonly Expected[] = [
  { name: 'help.getNearestDc', ok: true, thisDc: 2 },
  { name: 'messages.sendMessage#1', ok: true },
  { name: 'messages.sendMessage#2', ok: false, code: 403, errorMessage: 'CHAT_WRITE_FORBIDDEN' },
  { name: 'updates.getState', ok: true },
  { name: 'contacts.getContacts', ok: false, code: -503, errorMessage: 'Timeout' },
  { name: 'help.getCountriesList', ok: true },
  // GramJS quirk: RPCResult.fromReader unzips gzip_packed into the result body without looking
  // for an rpc_error inside, so the call "succeeds" with an RpcError object as its value.
  { name: 'contacts.resolveUsername#1', ok: true, result: 'RpcError', code: 400, errorMessage: 'USERNAME_NOT_OCCUPIED' },
  { name: 'contacts.resolveUsername#2', ok: false, code: 420, errorMessage: 'FLOOD', seconds: 3600 },
  { name: 'users.getFullUser', ok: false, code: 400, errorMessage: 'USER_ID_INVALID' },
];

export function checkOutcomes(outcomes: readonly Outcome[]): string[] {
  const problems: string[] = [];
  EXPECTED_OUTCOMES.forEach((want, i) => {
    const got = outcomes[i];
    const gotFlat = {
      name: got?.name,
      ok: got?.ok,
      thisDc: got?.thisDc,
      result: got?.result,
      code: got?.error?.code ?? got?.rpcError?.code,
      errorMessage: got?.error?.errorMessage ?? got?.rpcError?.message,
      seconds: got?.error?.seconds,
    };
    for (const [k, v] of Object.entries(want)) {
      if (gotFlat[k as keyof typeof gotFlat] !== v)
        problems.push(
          `outcome ${want.name}: ${k} is ${JSON.stringify(gotFlat[k as keyof typeof gotFlat])}, want ${JSON.stringify(v)} (${JSON.stringify(got)})`,
        );
    }
  });
  if (outcomes.length !== EXPECTED_OUTCOMES.length) problems.push(`${outcomes.length} outcomes, want ${EXPECTED_OUTCOMES.length}`);
  return problems;
}

/** Every scripted error appears in the server's log of errors sent, with nothing else sent. */
export function checkLog(log: FakeTelegramLog, unused: readonly Rule[]): string[] {
  const problems = log.problems.map((p) => `server problem: ${p}`);
  const scripted = SCRIPT.filter((r) => r.answer.kind !== 'result');
  const sent = log.errors.map((e) => `${e.method} ${e.kind === 'bad_server_salt' ? 'bad_server_salt' : `${e.code} ${e.message}`}`);
  const want = scripted.map((r) => `${r.method} ${r.answer.kind === 'error' ? `${r.answer.code} ${r.answer.message}` : r.answer.kind}`);
  if (JSON.stringify(sent) !== JSON.stringify(want)) problems.push(`errors sent ${JSON.stringify(sent)}, want ${JSON.stringify(want)}`);
  for (const r of unused) problems.push(`rule not used: ${JSON.stringify(r)}`);
  const migrated = log.calls.filter((c) => c.method === 'help.getNearestDc').map((c) => c.dc);
  if (JSON.stringify(migrated) !== '[1,2]') problems.push(`help.getNearestDc went to DCs ${JSON.stringify(migrated)}, want [1,2]`);
  return problems;
}

export const checkRun = (outcomes: readonly Outcome[], log: FakeTelegramLog, unused: readonly Rule[]): string[] => [
  ...checkOutcomes(outcomes),
  ...checkLog(log, unused),
];
