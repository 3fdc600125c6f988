// What the session taught about Telegram's data centers: each *_MIGRATE_X names the DC that
// holds something (the user, the phone number, a file, the stats). Later redirects win.

import type { ErrorRecord } from '../../core/record.ts';

export type DcRole = 'user' | 'phone' | 'files' | 'stats' | 'network';

const ROLE_BY_TEMPLATE: Readonly<Record<string, DcRole>> = {
  USER_MIGRATE_X: 'user',
  PHONE_MIGRATE_X: 'phone',
  FILE_MIGRATE_X: 'files',
  STATS_MIGRATE_X: 'stats',
  NETWORK_MIGRATE_X: 'network',
};

export const ROLE_WORDS: Readonly<Record<DcRole, string>> = {
  user: 'the user',
  phone: 'the phone number',
  files: 'files',
  stats: 'statistics',
  network: 'this network (registration)',
};

export interface DcMap {
  /** DC number -> what it holds, as redirects said. */
  roles: Map<number, DcRole[]>;
  /** DCs that answered some query (record.dc). */
  seen: Set<number>;
  /** The highest DC number worth drawing (at least 5, Telegram's production DCs). */
  count: number;
}

export function buildDcMap(records: readonly ErrorRecord[]): DcMap {
  const holder = new Map<DcRole, number>();
  const seen = new Set<number>();
  for (const r of records) {
    if (r.dc !== null) seen.add(r.dc);
    const role = r.template ? ROLE_BY_TEMPLATE[r.template] : undefined;
    if (role !== undefined && r.action.kind === 'redirect' && r.action.dc !== undefined) holder.set(role, r.action.dc);
  }
  const roles = new Map<number, DcRole[]>();
  for (const [role, dc] of holder) roles.set(dc, [...(roles.get(dc) ?? []), role]);
  const count = Math.max(5, ...roles.keys(), ...seen);
  return { roles, seen, count };
}
