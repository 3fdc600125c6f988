// Default successful answers of the fake server, for the methods the scenarios call. Anything
// else gets 400 FAKE_METHOD_NOT_IMPLEMENTED, marked unscripted in the log, so a test notices.

import { returnBigInt as bigInt } from 'telegram/Helpers.js';
import { Api } from 'telegram';
import { DC_HOSTS } from './dcs.ts';
import type { TLObject } from './tl.ts';

const now = (): number => Math.floor(Date.now() / 1000);

function config(dc: number): Api.Config {
  return new Api.Config({
    date: now(),
    expires: now() + 3600,
    testMode: false,
    thisDc: dc,
    // Web host names instead of IPs: GramJS in Node looks DCs up here (in the browser it builds
    // the names itself), and the smoke test's socket maps the names to the fake server.
    dcOptions: Object.entries(DC_HOSTS).map(([id, host]) => new Api.DcOption({ id: Number(id), ipAddress: host, port: 443 })),
    dcTxtDomainName: 'apv3.stel.com',
    chatSizeMax: 200,
    megagroupSizeMax: 200000,
    forwardedCountMax: 100,
    onlineUpdatePeriodMs: 210000,
    offlineBlurTimeoutMs: 5000,
    offlineIdleTimeoutMs: 30000,
    onlineCloudTimeoutMs: 300000,
    notifyCloudDelayMs: 30000,
    notifyDefaultDelayMs: 1500,
    pushChatPeriodMs: 60000,
    pushChatLimit: 2,
    editTimeLimit: 172800,
    revokeTimeLimit: 2147483647,
    revokePmTimeLimit: 2147483647,
    ratingEDecay: 2419200,
    stickersRecentLimit: 200,
    channelsReadMediaPeriod: 604800,
    callReceiveTimeoutMs: 20000,
    callRingTimeoutMs: 90000,
    callConnectTimeoutMs: 30000,
    callPacketTimeoutMs: 10000,
    meUrlPrefix: 'https://t.me/',
    captionLengthMax: 1024,
    messageLengthMax: 4096,
    webfileDcId: 4,
  });
}

let nextId = 1;
/** The user the fake's sessions are logged in as. */
export const SELF_USER_ID = 1000001;

/** The default result object for a call on `dc`, or undefined when the fake has none. */
export function defaultResult(method: string, dc: number, call: TLObject): unknown {
  switch (method) {
    case 'help.getConfig':
      return config(dc);
    case 'users.getUsers':
      // getMe (users.getUsers([inputUserSelf])): the logged-in user, whatever was asked.
      return [new Api.User({ self: true, id: bigInt(SELF_USER_ID), accessHash: bigInt(1), firstName: 'Fake', lastName: 'User' })];
    case 'help.getNearestDc':
      // thisDc tells the app which DC really answered: proof that a redirect was followed.
      return new Api.NearestDc({ country: 'NL', thisDc: dc, nearestDc: dc });
    case 'updates.getState':
      return new Api.updates.State({ pts: 1, qts: 0, date: now(), seq: 1, unreadCount: 0 });
    case 'messages.sendMessage':
      return new Api.UpdateShortSentMessage({ out: true, id: nextId++, pts: nextId, ptsCount: 1, date: now() });
    case 'help.getCountriesList':
      return new Api.help.CountriesListNotModified();
    case 'contacts.getContacts':
      return new Api.contacts.ContactsNotModified();
    case 'updates.getDifference':
      return new Api.updates.DifferenceEmpty({ date: now(), seq: 1 });
    case 'contacts.resolveUsername': {
      const user = new Api.User({ id: bigInt(777000), accessHash: bigInt(1), firstName: 'Fake', username: String(call.username) });
      return new Api.contacts.ResolvedPeer({ peer: new Api.PeerUser({ userId: bigInt(777000) }), chats: [], users: [user] });
    }
    case 'upload.getFile':
      // A fixed part (the Web K-style demo shows it): bytes 0, 1, 2, ... up to the limit.
      return new Api.upload.File({
        type: new Api.storage.FileUnknown(),
        mtime: 1700000000,
        bytes: Buffer.from(Array.from({ length: Math.min(Number(call.limit) || 0, 1024) }, (_, i) => i & 0xff)),
      });
    default:
      return undefined;
  }
}
