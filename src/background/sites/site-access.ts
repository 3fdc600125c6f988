// The sites the user invited the inspector to, beyond the defaults (src/core/inspected-sites.ts).
// The defaults are static content_scripts in manifest.json; user-added sites get the same two
// scripts (the page hook in the MAIN world, the relay in the isolated world, document_start,
// all frames) through scripting.registerContentScripts, kept across browser restarts.
//
// What runs is always: the sites the user added AND whose host permission the browser holds.
// The permission is asked for in the panel or the toolbar popup (a user gesture); the user can
// also revoke it in the browser's own settings, which unregisters the scripts here.

import { isDefaultSite, isSitePattern, siteStatus, type SiteStatus } from '../../core/inspected-sites.ts';
import type { DynamicContentScript, SessionStorage, SiteApi } from '../../platform/extension-api.ts';

export const SITES_KEY = 'inspectedSites';
/** Ids of the registered scripts: one per world, their matches the user's sites. */
export const SITE_SCRIPT_IDS = { hook: 'tg-inspector-hook', relay: 'tg-inspector-relay' } as const;
/** More sites than anyone debugs at once; the list is kept bounded. */
export const MAX_SITES = 200;

export interface SiteAccessDeps {
  settings: SessionStorage;
  api: SiteApi;
  /** The built content scripts (the manifest's static ones). */
  scripts: () => { js: string[]; world: 'MAIN' | 'ISOLATED' }[];
}

/** True when a granted host permission covers the pattern (the pattern itself, or a broader grant such as `*://*\/*`). */
export function grantCovers(granted: readonly string[], pattern: string): boolean {
  const [scheme, host] = [pattern.slice(0, pattern.indexOf(':')), pattern.replace(/^https?:\/\//, '').replace(/\/\*$/, '')];
  return granted.some((g) => {
    if (g === '<all_urls>') return true;
    const m = /^(\*|https?):\/\/([^/]+)\/(.*)$/.exec(g);
    if (!m || (m[1] !== '*' && m[1] !== scheme) || m[3] !== '*') return false;
    const gHost = m[2].replace(/:\d+$|:\*$/, '');
    return gHost === '*' || gHost === host || (gHost.startsWith('*.') && (host === gHost.slice(2) || host.endsWith(gHost.slice(1))));
  });
}

export class SiteAccess {
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: SiteAccessDeps) {}

  /** The user's sites, as stored (whether or not the permission is still held). */
  async added(): Promise<string[]> {
    const stored = (await this.deps.settings.get([SITES_KEY]))[SITES_KEY];
    return Array.isArray(stored) ? stored.filter(isSitePattern).filter((p) => !isDefaultSite(p)) : [];
  }

  /** The user's sites the browser lets the extension into now. */
  async enabled(): Promise<string[]> {
    const [added, granted] = await Promise.all([this.added(), this.deps.api.grantedOrigins()]);
    return added.filter((p) => grantCovers(granted, p));
  }

  async status(url: string | null): Promise<SiteStatus> {
    return siteStatus(url, await this.enabled());
  }

  /** Adds a site (its permission already granted by the user in the panel or popup) and registers the scripts for it. */
  async add(pattern: string): Promise<SiteStatus> {
    if (!isSitePattern(pattern)) throw new Error('not a site');
    if (!isDefaultSite(pattern)) {
      const added = await this.added();
      if (!added.includes(pattern)) {
        if (added.length >= MAX_SITES) throw new Error(`at most ${MAX_SITES} sites`);
        await this.deps.settings.set({ [SITES_KEY]: [...added, pattern] });
      }
    }
    await this.sync();
    return this.status(pattern.replace('/*', '/'));
  }

  /** Removes a site: its scripts are unregistered and its permission given back. The defaults stay. */
  async remove(pattern: string): Promise<SiteStatus> {
    if (!isSitePattern(pattern)) throw new Error('not a site');
    const added = await this.added();
    if (added.includes(pattern)) await this.deps.settings.set({ [SITES_KEY]: added.filter((p) => p !== pattern) });
    await this.sync();
    // A permission granted at install (host_permissions) cannot be given back; that is fine: nothing is registered for it.
    if (!isDefaultSite(pattern)) await this.deps.api.removeOrigins([pattern]);
    return this.status(pattern.replace('/*', '/'));
  }

  /** Host permissions just granted: each plain site among them is added (the user asked for it); then the scripts follow. */
  async granted(origins: string[]): Promise<void> {
    const fresh = origins.filter((o) => isSitePattern(o) && !isDefaultSite(o));
    if (fresh.length > 0) {
      const added = await this.added();
      const next = [...added, ...fresh.filter((o) => !added.includes(o))].slice(0, MAX_SITES);
      if (next.length !== added.length) await this.deps.settings.set({ [SITES_KEY]: next });
    }
    await this.sync();
  }

  /** Makes the registered scripts match the enabled sites (one run at a time). */
  sync(): Promise<void> {
    const run = this.syncing.then(() => this.syncNow());
    this.syncing = run.catch(() => undefined);
    return run;
  }

  private async syncNow(): Promise<void> {
    const matches = await this.enabled();
    const ids = [SITE_SCRIPT_IDS.relay, SITE_SCRIPT_IDS.hook];
    const registered = await this.deps.api.registered(ids);
    if (matches.length === 0) {
      if (registered.length > 0) await this.deps.api.unregister(registered.map((s) => s.id));
      return;
    }
    const built = this.deps.scripts();
    const relay = built.find((s) => s.world === 'ISOLATED');
    const hook = built.find((s) => s.world === 'MAIN');
    if (!relay || !hook) throw new Error('the manifest has no content scripts to register');
    // The relay first, as in the manifest: it listens before the hook reports anything.
    const wanted: DynamicContentScript[] = [
      { id: SITE_SCRIPT_IDS.relay, js: relay.js, matches, world: 'ISOLATED' },
      { id: SITE_SCRIPT_IDS.hook, js: hook.js, matches, world: 'MAIN' },
    ];
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
    if (registered.length === wanted.length && registered.every((r) => same(r.matches, matches))) return;
    if (registered.length > 0) await this.deps.api.unregister(registered.map((s) => s.id));
    await this.deps.api.register(wanted);
  }
}
