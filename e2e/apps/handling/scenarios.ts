// Two GramJS apps for the handling audit, against the project's fake Telegram: one that
// mishandles errors on purpose, one that leaves everything to GramJS (which handles them the way
// Telegram prescribes). Each has its own server script. Shared by the page and the tests (no
// node: imports).

import { Api, type TelegramClient } from 'telegram';
import type { Rule } from '../../fake-telegram/script.ts';

export type HandlingMode = 'misbehaving' | 'well-behaved' | 'worker-restart';

/** What the misbehaving app does wrong, one error each (the test checks each verdict). */
export const MISBEHAVING_SCRIPT: readonly Rule[] = [
  // The app turned GramJS's flood sleeping off (floodSleepThreshold: 0) and resends at once.
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_5' } },
  // Sent with the sender of the current DC directly, so GramJS does not migrate; repeated there.
  { method: 'help.getNearestDc', answer: { kind: 'error', code: 303, message: 'USER_MIGRATE_2' } },
  // Hammered in a loop without a pause until it succeeds: four errors of one retry chain.
  { method: 'updates.getState', times: 4, answer: { kind: 'error', code: 500, message: 'INTERNAL_SERVER_ERROR' } },
  // Repeated unchanged.
  { method: 'contacts.resolveUsername', times: 2, answer: { kind: 'error', code: 400, message: 'USERNAME_NOT_OCCUPIED' } },
  // Calls go on with the refused key.
  { method: 'help.getCountriesList', answer: { kind: 'error', code: 401, message: 'AUTH_KEY_UNREGISTERED' } },
];

/** The same kinds of error, handled by GramJS (or by the app, correctly). */
export const WELL_BEHAVED_SCRIPT: readonly Rule[] = [
  // GramJS switches to DC 2 and repeats the call there.
  { method: 'help.getNearestDc', answer: { kind: 'error', code: 303, message: 'USER_MIGRATE_2' } },
  // Slept through inside GramJS (floodSleepThreshold 60 s), then repeated.
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_2' } },
  { method: 'messages.sendMessage', answer: { kind: 'result' } },
  // GramJS retries RPC_CALL_FAIL after 2 s.
  { method: 'updates.getState', answer: { kind: 'error', code: 500, message: 'RPC_CALL_FAIL' } },
  // New salt, resent by GramJS's sender.
  { method: 'help.getCountriesList', answer: { kind: 'bad_server_salt' } },
  // The app corrects the input (another username) instead of repeating it.
  { method: 'contacts.resolveUsername', answer: { kind: 'error', code: 400, message: 'USERNAME_NOT_OCCUPIED' } },
  // Not repeated.
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 403, message: 'CHAT_WRITE_FORBIDDEN' } },
];

/** Seconds of the flood wait the service worker is stopped in (longer than Chrome's 30 s idle stop). */
export const RESTART_FLOOD_SECONDS = 45;
/** When the slow answer comes: after the test has stopped the service worker. */
export const LATE_ANSWER_MS = 12_000;
/** When the eager client calls again: well inside the wait, after the restart. */
export const EAGER_RETRY_MS = 16_000;

/** A flood wait that outlives the service worker (issue 20): two clients meet it, an answer comes late. */
export const WORKER_RESTART_SCRIPT: readonly Rule[] = [
  // The patient client (GramJS sleeps through waits up to 60 s, then repeats the call).
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 420, message: `FLOOD_WAIT_${RESTART_FLOOD_SECONDS}` } },
  // The eager client (the sender directly: no sleeping), which calls again long before the end.
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 420, message: `FLOOD_WAIT_${RESTART_FLOOD_SECONDS}` } },
  // Sent before the stop, answered after the restart.
  { method: 'contacts.resolveUsername', delayMs: LATE_ANSWER_MS, answer: { kind: 'error', code: 400, message: 'USERNAME_NOT_OCCUPIED' } },
];

export const SCRIPTS: Record<HandlingMode, readonly Rule[]> = {
  misbehaving: MISBEHAVING_SCRIPT,
  'well-behaved': WELL_BEHAVED_SCRIPT,
  'worker-restart': WORKER_RESTART_SCRIPT,
};

export interface StepOutcome {
  step: string;
  ok: boolean;
  error?: string;
}

async function step(out: StepOutcome[], name: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
    out.push({ step: name, ok: true });
  } catch (e) {
    out.push({ step: name, ok: false, error: String((e as Error)?.message ?? e) });
  }
}

/** Calls `run` until it succeeds or `attempts` are used, without pausing. */
async function hammer(attempts: number, run: () => Promise<unknown>): Promise<unknown> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await run();
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The misbehaving app: every mistake of issue 13's list. The client has floodSleepThreshold 0. */
export async function runMisbehaving(client: TelegramClient): Promise<StepOutcome[]> {
  const out: StepOutcome[] = [];
  const self = new Api.InputPeerSelf();
  const sender = (client as unknown as { _sender: { send(request: unknown): Promise<unknown> } })._sender;
  // FLOOD_WAIT_5 reaches the app (no sleeping); it sends again at once.
  await step(out, 'sendMessage during its flood wait', () => hammer(2, () => client.invoke(new Api.messages.SendMessage({ peer: self, message: 'hello' }))));
  // USER_MIGRATE_2, repeated on the DC that refused it.
  await step(out, 'getNearestDc repeated on the old DC', () => hammer(2, () => sender.send(new Api.help.GetNearestDc())));
  // A 500 hammered in a tight loop (four errors, then a result).
  await step(out, 'getState in a tight loop', () => hammer(6, () => sender.send(new Api.updates.GetState())));
  // A 400 repeated unchanged.
  await step(out, 'resolveUsername repeated unchanged', () => hammer(2, () => client.invoke(new Api.contacts.ResolveUsername({ username: 'nobody_here' }))));
  // A 401, then more calls with the same key.
  await step(out, 'getCountriesList refused', () => client.invoke(new Api.help.GetCountriesList({ langCode: 'en', hash: 0 })));
  await pause(400);
  // Catching up on updates with the refused key: the violation is certain at this first call.
  await step(out, 'getDifference after the 401', () => client.invoke(new Api.updates.GetDifference({ pts: 1, date: 0, qts: 0 })));
  await step(out, 'a call after the 401', () => client.invoke(new Api.contacts.GetContacts({ hash: 0 as never })));
  return out;
}

/** The well-behaved app: GramJS's defaults, and a corrected input after the 400. */
export async function runWellBehaved(client: TelegramClient): Promise<StepOutcome[]> {
  const out: StepOutcome[] = [];
  const self = new Api.InputPeerSelf();
  await step(out, 'getNearestDc (redirected)', () => client.invoke(new Api.help.GetNearestDc()));
  await step(out, 'sendMessage (flood wait slept)', () => client.invoke(new Api.messages.SendMessage({ peer: self, message: 'hello' })));
  await step(out, 'getState (retried)', () => client.invoke(new Api.updates.GetState()));
  await step(out, 'getCountriesList (salt)', () => client.invoke(new Api.help.GetCountriesList({ langCode: 'en', hash: 0 })));
  await step(out, 'resolveUsername', () => client.invoke(new Api.contacts.ResolveUsername({ username: 'nobody_here' })));
  await step(out, 'resolveUsername corrected', () => client.invoke(new Api.contacts.ResolveUsername({ username: 'somebody_else' })));
  await step(out, 'sendMessage (forbidden, not repeated)', () => client.invoke(new Api.messages.SendMessage({ peer: self, message: 'once' })));
  return out;
}

/**
 * The worker-restart app: the patient client's flood wait is slept through by GramJS; the eager
 * client's error reaches the app, which sends the same message again EAGER_RETRY_MS later; a
 * username lookup is answered only after LATE_ANSWER_MS. `window.__phase` says 'waiting' once
 * everything was sent (the test then stops the service worker).
 */
export async function runWorkerRestart(client: TelegramClient): Promise<StepOutcome[]> {
  const out: StepOutcome[] = [];
  const self = new Api.InputPeerSelf();
  const sender = (client as unknown as { _sender: { send(request: unknown): Promise<unknown> } })._sender;
  const patient = step(out, 'patient sendMessage (slept through the wait)', () =>
    client.invoke(new Api.messages.SendMessage({ peer: self, message: 'patient' })),
  );
  await pause(500);
  await step(out, 'eager sendMessage (flood wait)', () => sender.send(new Api.messages.SendMessage({ peer: self, message: 'eager' })));
  const late = step(out, 'resolveUsername answered late', () => client.invoke(new Api.contacts.ResolveUsername({ username: 'answered_late' })));
  (globalThis as { __phase?: string }).__phase = 'waiting';
  await pause(EAGER_RETRY_MS - 500);
  await step(out, 'eager sendMessage again, inside the wait', () => sender.send(new Api.messages.SendMessage({ peer: self, message: 'eager' })));
  await late;
  await patient;
  return out;
}
