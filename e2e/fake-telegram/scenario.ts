// The standard scenario: the server's script, the calls the app makes, and what the app should
// see. Shared by the Node smoke test and the browser page (no node: imports), so both runs play
// exactly the same exchange.

import { Api, type TelegramClient } from 'telegram';
import type { Rule } from './script.ts';

/** One rule per error kind the extension must find; comments say what GramJS does with it. */
export const SCRIPT: readonly Rule[] = [
  // GramJS switches to DC 2 (venus.web.telegram.org, a new WebSocket) and repeats the call.
  { method: 'help.getNearestDc', answer: { kind: 'error', code: 303, message: 'USER_MIGRATE_2' } },
  // Waits ≤ floodSleepThreshold (60 s) are slept inside GramJS, then the call is repeated.
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_2' } },
  { method: 'messages.sendMessage', answer: { kind: 'result' } },
  { method: 'messages.sendMessage', answer: { kind: 'error', code: 403, message: 'CHAT_WRITE_FORBIDDEN' } },
  // GramJS retries RPC_CALL_FAIL after 2 s (any other 500 would reach the app).
  { method: 'updates.getState', answer: { kind: 'error', code: 500, message: 'RPC_CALL_FAIL' } },
  { method: 'contacts.getContacts', answer: { kind: 'error', code: -503, message: 'Timeout' } },
  // Handled in MTProtoSender: new salt, the request is sent again.
  { method: 'help.getCountriesList', answer: { kind: 'bad_server_salt' } },
  { method: 'contacts.resolveUsername', answer: { kind: 'error', code: 400, message: 'USERNAME_NOT_OCCUPIED', gzip: 'inner', container: true } },
  { method: 'contacts.resolveUsername', answer: { kind: 'error', code: 420, message: 'FLOOD_WAIT_3600' } },
  { method: 'users.getFullUser', answer: { kind: 'error', code: 400, message: 'USER_ID_INVALID', gzip: 'outer', container: true } },
];

export interface Outcome {
  name: string;
  ok: boolean;
  /** Success: the result's GramJS class name. */
  result?: string;
  /** Success of help.getNearestDc: the DC that answered. */
  thisDc?: number;
  /** A "success" whose value is an rpc_error object (GramJS does that for rpc_result → gzip_packed → rpc_error). */
  rpcError?: { code: number; message: string };
  /** Failure: what the app caught. */
  error?: { name: string; code?: number; errorMessage?: string; seconds?: number; message: string };
}

async function attempt(name: string, run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const value = (await run()) as { className?: string; thisDc?: number; errorCode?: number; errorMessage?: string };
    const out: Outcome = { name, ok: true, result: value?.className };
    if (value?.thisDc !== undefined) out.thisDc = value.thisDc;
    if (value?.className === 'RpcError') out.rpcError = { code: value.errorCode!, message: value.errorMessage! };
    return out;
  } catch (e) {
    const err = e as { constructor: { name: string }; code?: number; errorMessage?: string; seconds?: number; message: string };
    return {
      name,
      ok: false,
      error: { name: err.constructor.name, code: err.code, errorMessage: err.errorMessage, seconds: err.seconds, message: err.message },
    };
  }
}

/** The app's calls, in order (sequential, so the script's order is the call order). */
export async function runScenario(client: TelegramClient): Promise<Outcome[]> {
  const self = new Api.InputPeerSelf();
  const out: Outcome[] = [];
  out.push(await attempt('help.getNearestDc', () => client.invoke(new Api.help.GetNearestDc())));
  out.push(await attempt('messages.sendMessage#1', () => client.invoke(new Api.messages.SendMessage({ peer: self, message: 'hello' }))));
  out.push(await attempt('messages.sendMessage#2', () => client.invoke(new Api.messages.SendMessage({ peer: self, message: 'again' }))));
  out.push(await attempt('updates.getState', () => client.invoke(new Api.updates.GetState())));
  out.push(await attempt('contacts.getContacts', () => client.invoke(new Api.contacts.GetContacts({ hash: 0 as never }))));
  out.push(await attempt('help.getCountriesList', () => client.invoke(new Api.help.GetCountriesList({ langCode: 'en', hash: 0 }))));
  out.push(await attempt('contacts.resolveUsername#1', () => client.invoke(new Api.contacts.ResolveUsername({ username: 'nobody_here' }))));
  out.push(await attempt('contacts.resolveUsername#2', () => client.invoke(new Api.contacts.ResolveUsername({ username: 'nobody_here' }))));
  out.push(await attempt('users.getFullUser', () => client.invoke(new Api.users.GetFullUser({ id: new Api.InputUserSelf() }))));
  return out;
}

/** Connects, plays the scenario and disconnects, whatever happens: what the app saw, and what broke the run if anything did. */
export async function playScenario(client: TelegramClient): Promise<{ outcomes: Outcome[]; error?: string }> {
  try {
    await client.connect();
    return { outcomes: await runScenario(client) };
  } catch (e) {
    return { outcomes: [], error: String((e as Error)?.stack ?? e) };
  } finally {
    await client.destroy().catch(() => undefined);
  }
}
