// The Web K-style demo worker's MTProto layer (bundled for the browser by build.ts into
// artifacts/webk-wire-page/webk/mtproto-wire.js; the worker imports it only with ?wire=1).
// createApiManager follows tweb's src/lib/mtproto/apiManager.ts invokeApi:
// - 303 PHONE_/NETWORK_/USER_MIGRATE_X: the base DC becomes X and the call is repeated there;
// - 420 FLOOD_WAIT_X up to floodMaxTimeout (60 s): sleep X seconds, repeat; longer: to the caller;
// - MSG_WAIT_FAILED / MSG_WAIT_TIMEOUT: repeat;
// - 500: repeat after 1 s, then 1.5 times longer each time (at most 60 s) until options.stopTime;
// - 406: to the caller, marked handled;
// - anything else: to the caller, as the ApiError tweb's networker makes (processError).
// bad_server_salt and bad_msg_notification never leave the networker (networker.ts).

import { fromHex, toHex } from '../../../src/core/mtproto/bytes.ts';
import { Networker } from './networker.ts';
import { knowsMethod, parseResult } from './tl.ts';

/** tweb's account in localStorage (`account1`): dcN_auth_key / dcN_server_salt as hex. */
export type WebKAccount = Record<string, unknown> & { dcId?: number };

export interface ApiManagerOptions {
  account: WebKAccount;
  /** Stores changed account fields (tweb: sessionStorage.set through the page's localStorageProxy). */
  save: (patch: Record<string, string | number>) => void;
  /** The ApiError tweb's networker makes from an rpc_error (the demo worker's own function). */
  makeApiError: (code: number, message: string, extra?: Record<string, unknown>) => Record<string, unknown>;
}

export interface InvokeOptions {
  dcId?: number;
  floodMaxTimeout?: number;
  stopTime?: number;
  waitTime?: number;
}

export interface ApiManager {
  invokeApi(method: string, params?: Record<string, unknown>, options?: InvokeOptions): Promise<unknown>;
  /** The DC calls go to (after any migration). */
  baseDcId(): number;
  close(): void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createApiManager(opts: ApiManagerOptions): ApiManager {
  let baseDcId = Number(opts.account.dcId ?? 1) || 1;
  const networkers = new Map<number, Networker>();

  const getNetworker = (dcId: number): Networker => {
    let networker = networkers.get(dcId);
    if (networker) return networker;
    const key = fromHex(String(opts.account[`dc${dcId}_auth_key`] ?? ''));
    if (!key || key.length !== 256) throw opts.makeApiError(401, 'AUTH_KEY_UNREGISTERED');
    const salt = fromHex(String(opts.account[`dc${dcId}_server_salt`] ?? '')) ?? new Uint8Array(8);
    networker = new Networker({
      dcId,
      authKey: key,
      salt: salt.length === 8 ? salt : new Uint8Array(8),
      onSalt: (next) => opts.save({ [`dc${dcId}_server_salt`]: toHex(next) }),
    });
    networkers.set(dcId, networker);
    return networker;
  };

  async function invokeApi(method: string, params: Record<string, unknown> = {}, options: InvokeOptions = {}): Promise<unknown> {
    if (!knowsMethod(method)) throw opts.makeApiError(400, 'METHOD_INVALID');
    let dcId = options.dcId ?? baseDcId;
    for (;;) {
      const outcome = await getNetworker(dcId).wrapApiCall(method, params);
      if (outcome.ok) return parseResult(outcome.body);
      const error = opts.makeApiError(outcome.rpcError.error_code, outcome.rpcError.error_message) as { code: number; type: string; handled?: boolean };
      const migrate = /^(PHONE_MIGRATE_|NETWORK_MIGRATE_|USER_MIGRATE_)(\d+)/.exec(error.type);
      if (error.code === 303 && migrate && Number(migrate[2]) !== dcId) {
        const next = Number(migrate[2]);
        if (options.dcId) options.dcId = next;
        else {
          baseDcId = next;
          opts.save({ dcId: next });
        }
        dcId = next;
        continue;
      }
      if (error.code === 420) {
        const wait = Number(/^FLOOD_WAIT_(\d+)/.exec(error.type)?.[1] ?? 1) || 1;
        if (wait <= (options.floodMaxTimeout ?? 60)) {
          await sleep(wait * 1000);
          continue;
        }
      } else if (error.type === 'MSG_WAIT_FAILED' || error.type === 'MSG_WAIT_TIMEOUT') {
        continue;
      } else if (error.code === 500 && !(options.stopTime && Date.now() >= options.stopTime)) {
        options.waitTime = options.waitTime ? Math.min(60, options.waitTime * 1.5) : 1;
        await sleep(options.waitTime * 1000);
        continue;
      }
      if (error.code === 406) error.handled = true;
      throw error;
    }
  }

  return {
    invokeApi,
    baseDcId: () => baseDcId,
    close: () => {
      for (const networker of networkers.values()) networker.destroy();
      networkers.clear();
    },
  };
}
