// The fake data centers: their web host names, their pre-shared auth keys, and what Chromium
// needs to reach them. Imported by Node code only; the page gets the keys from the server.

import { createHash } from 'node:crypto';
import { authKeyId } from './crypto.ts';

/**
 * GramJS in the browser reaches DC N at `<name>.web.telegram.org` (TelegramClient.getDC, which
 * ignores help.getConfig outside Node) over `wss://…:443/apiws` on an https page, `ws://…:80/apiws`
 * otherwise (telegramBaseClient useWSS, PromisedWebSockets.getWebSocketLink).
 */
export const DC_HOSTS: Readonly<Record<number, string>> = {
  1: 'pluto.web.telegram.org',
  2: 'venus.web.telegram.org',
  3: 'aurora.web.telegram.org',
  4: 'vesta.web.telegram.org',
  5: 'flora.web.telegram.org',
};

const HOST_DC = new Map(Object.entries(DC_HOSTS).map(([dc, host]) => [host.split('.')[0], Number(dc)]));

/**
 * The DC a Host header names (`venus.web.telegram.org:443`, `venus-1…` media), or null. Web K
 * reaches DC N at `kws{N}.web.telegram.org` (Web A's name: `zws{N}`), `-1` for media (tweb
 * src/lib/mtproto/dcConfigurator.ts constructTelegramWebSocketUrl); the same rules map them here.
 */
export function dcOfHost(host: string | undefined): number | null {
  const ws = /^[kz]ws([1-5])(?:-1)?\.web\.telegram\.org(?::\d+)?$/.exec(host ?? '');
  if (ws) return Number(ws[1]);
  const m = /^([a-z]+)(?:-1)?\.web\.telegram\.org(?::\d+)?$/.exec(host ?? '');
  return (m && HOST_DC.get(m[1])) ?? null;
}

/**
 * One 256-byte auth key per DC, derived from a fixed seed so tests (and later the extension's
 * decryption tests) know them without a key exchange. Distinct per DC on purpose: a decoder that
 * picks the wrong DC's key must fail, as it would with real sessions.
 */
export function presharedAuthKey(dc: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < 8; i++) parts.push(createHash('sha256').update(`fake-telegram dc${dc} key part ${i}`).digest());
  return Buffer.concat(parts);
}

export const PRESHARED_KEYS: ReadonlyMap<number, Buffer> = new Map(Object.keys(DC_HOSTS).map((dc) => [Number(dc), presharedAuthKey(Number(dc))]));

/** auth_key_id (hex) → DC, to find the key of an incoming frame. */
export const DC_OF_KEY_ID: ReadonlyMap<string, number> = new Map([...PRESHARED_KEYS].map(([dc, key]) => [authKeyId(key).toString('hex'), dc]));

/**
 * `--host-resolver-rules` sending every Telegram web host to the fake server. Checked with Debian
 * Chromium 156: MAP also rewrites the port (`MAP host:80 127.0.0.1:18080` works), and the Host
 * header keeps the Telegram name, which is how the server tells DCs apart. No port in the pattern,
 * so both ws:80 and wss:443 land on the one port that speaks plain HTTP and TLS.
 */
export const hostResolverRules = (port: number): string => `MAP *.web.telegram.org 127.0.0.1:${port}`;

/**
 * Extra Chromium flags for pages talking to the fake server. web.telegram.org is HSTS-preloaded
 * in Chromium, so even `ws://…:80` is upgraded to `wss://…:443`; the fake's certificate is
 * self-signed, hence --ignore-certificate-errors.
 */
export const fakeTelegramChromiumArgs = (port: number): string[] => [`--host-resolver-rules=${hostResolverRules(port)}`, '--ignore-certificate-errors'];
