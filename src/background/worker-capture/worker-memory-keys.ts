// Keys a client holds in its worker's memory only: Web K's temporary (PFS) keys. Read through
// the debugger (Runtime.evaluate in the worker, which Capture inside workers is attached to),
// on the user's click only; the background keeps a key only when its auth_key_id is one the
// tab's traffic was seen under. Where tweb keeps them (morethanwords/tweb @4940a83):
//  - src/lib/appManagers/appManagersManager.ts: `MOUNT_CLASS_TO.appManagersManager` (mounted in
//    production too: src/config/debug.ts `MOUNT_CLASS_TO = DEBUG || true ? ctx : {}`), whose
//    `managersByAccount` is a Promise until the managers are built, then {1..4: managers};
//  - src/lib/mtproto/tempAuthKeys.ts: `apiManager.tempAuthKeys['2' | '2-media']` holds `authKey`,
//    an MTAuthKey {key: Uint8Array(256), id, expiresAt} (src/lib/mtproto/authKey.ts);
//  - each networker's `authKey` (src/tests/api/pfs.test.ts reads
//    `apiManager.cachedNetworkers.websocket[client|download][dc][0].authKey`).
// The expression touches nothing: it reads properties, returns at most 32 keys as hex, and gives
// up after half a second on a promise that does not settle.

export interface WorkerKey {
  hex: string;
  place: string;
}

export const WORKER_KEYS_EXPRESSION = `(async () => {
  const out = [];
  const seen = new Set();
  const wait = (value) => Promise.race([value, new Promise((resolve) => setTimeout(resolve, 500))]);
  const hex = (bytes) => { let text = ''; for (let i = 0; i < bytes.length; i++) text += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16); return text; };
  const take = (authKey, place) => {
    const key = authKey && authKey.key;
    if (out.length >= 32 || !key || key.length !== 256 || typeof key[0] !== 'number') return;
    const text = hex(key);
    if (seen.has(text)) return;
    seen.add(text);
    out.push({ hex: text, place });
  };
  const root = self.appManagersManager;
  if (!root) return out;
  const byAccount = await wait(root.managersByAccount);
  if (!byAccount || typeof byAccount !== 'object') return out;
  for (const account of Object.keys(byAccount).slice(0, 8)) {
    const managers = await wait(byAccount[account]);
    const api = managers && managers.apiManager;
    if (!api) continue;
    const temp = api.tempAuthKeys || {};
    for (const name of Object.keys(temp).slice(0, 16)) {
      take(temp[name] && temp[name].authKey, 'Web K worker: account ' + account + " apiManager.tempAuthKeys['" + name + "']");
    }
    const sockets = (api.cachedNetworkers && api.cachedNetworkers.websocket) || {};
    for (const kind of Object.keys(sockets).slice(0, 8)) {
      const byDc = sockets[kind] || {};
      for (const dc of Object.keys(byDc).slice(0, 16)) {
        const list = Array.isArray(byDc[dc]) ? byDc[dc].slice(0, 8) : [];
        list.forEach((networker, i) => take(networker && networker.authKey, 'Web K worker: account ' + account + ' ' + kind + ' networker, DC ' + dc + ' #' + i));
      }
    }
  }
  return out;
})()`;

/** The evaluation's value, kept only where it has the expected shape. */
export function workerKeysOf(result: unknown): WorkerKey[] {
  const value = (result as { result?: { value?: unknown } } | null)?.result?.value;
  if (!Array.isArray(value)) return [];
  return value
    .slice(0, 32)
    .filter((item): item is WorkerKey => typeof item?.hex === 'string' && /^[0-9a-f]{512}$/.test(item.hex) && typeof item.place === 'string')
    .map((item) => ({ hex: item.hex, place: item.place.slice(0, 200) }));
}
