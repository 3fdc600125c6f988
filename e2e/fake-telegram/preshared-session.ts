// Gives a GramJS session the fake server's pre-shared auth keys, one per DC. Runs in Node and in
// the browser bundle (no node: imports).
//
// Why not just a StringSession: on USER_MIGRATE_X GramJS's _switchDC drops the key and, finding
// none for the new DC, starts a key exchange (Authenticator.doAuthentication), which needs
// Telegram's RSA private keys; the fake cannot do it. A real GramJS app would end up with a key
// per DC all the same, so the session here simply already has them: getAuthKey() returns the
// key of the DC asked for (or the current one), a fresh AuthKey each time because _switchDC
// clears the object it was given.

import { StringSession, type Session } from 'telegram/sessions/index.js';
import { AuthKey } from 'telegram/crypto/AuthKey.js';
import { sha1 } from 'telegram/Helpers.js';

export type KeysHex = Record<number, string>;

export async function usePresharedKeys<S extends Session>(session: S, keysHex: KeysHex): Promise<S> {
  const keys = new Map<number, { key: Buffer; hash: Buffer }>();
  for (const [dc, hex] of Object.entries(keysHex)) {
    const key = Buffer.from(hex, 'hex');
    keys.set(Number(dc), { key, hash: await sha1(key) });
  }
  session.getAuthKey = (dcId?: number) => {
    const k = keys.get(dcId || session.dcId);
    return k ? new AuthKey(k.key, k.hash) : undefined;
  };
  return session;
}

/** GramJS's StringSession format ("1" + base64 of dc, address, port, key), built by GramJS itself. */
export async function presharedStringSession(dcId: number, serverAddress: string, port: number, keyHex: string): Promise<string> {
  const s = new StringSession('');
  s.setDC(dcId, serverAddress, port);
  const key = new AuthKey();
  await key.setKey(Buffer.from(keyHex, 'hex'));
  s.setAuthKey(key);
  return s.save();
}
