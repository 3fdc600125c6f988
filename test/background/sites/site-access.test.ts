import { describe, expect, it } from 'vitest';
import { grantCovers, SiteAccess, SITE_SCRIPT_IDS, SITES_KEY } from '../../../src/background/sites/site-access.ts';
import { DEFAULT_SITE_PATTERNS, isSitePattern, sitePatternOf, siteStatus } from '../../../src/core/inspected-sites.ts';
import type { DynamicContentScript, SiteApi } from '../../../src/platform/extension-api.ts';
import { MemoryStorage } from '../../helpers/memory-storage.ts';

class FakeSiteApi implements SiteApi {
  scripts = new Map<string, DynamicContentScript>();
  granted: string[] = [...DEFAULT_SITE_PATTERNS];
  calls: string[] = [];
  async registered(ids: string[]) {
    return [...this.scripts.values()].filter((s) => ids.includes(s.id)).map((s) => ({ id: s.id, matches: s.matches }));
  }
  async register(scripts: DynamicContentScript[]) {
    this.calls.push('register');
    for (const s of scripts) {
      if (this.scripts.has(s.id)) throw new Error(`Duplicate script ID '${s.id}'`);
      this.scripts.set(s.id, s);
    }
  }
  async unregister(ids: string[]) {
    this.calls.push('unregister');
    for (const id of ids) this.scripts.delete(id);
  }
  async grantedOrigins() {
    return this.granted;
  }
  async removeOrigins(origins: string[]) {
    this.granted = this.granted.filter((g) => !origins.includes(g));
    return true;
  }
  onPermissionsChanged() {}
}

const BUILT = [
  { js: ['src/content/main.js'], world: 'ISOLATED' as const },
  { js: ['src/hook/main.js'], world: 'MAIN' as const },
];

function make() {
  const api = new FakeSiteApi();
  const settings = new MemoryStorage();
  return { api, settings, sites: new SiteAccess({ settings, api, scripts: () => BUILT }) };
}

describe('site patterns', () => {
  it('names a page by scheme and host, any port; nothing for pages that cannot be inspected', () => {
    expect(sitePatternOf('https://example.test:8443/a/b?c#d')).toBe('https://example.test/*');
    expect(sitePatternOf('http://127.0.0.1:5173/')).toBe('http://127.0.0.1/*');
    expect(sitePatternOf('http://[::1]:80/')).toBe('http://[::1]/*');
    for (const url of ['about:blank', 'chrome://extensions/', 'file:///tmp/a.html', 'chrome-extension://abc/panel.html', 'not a url', ''])
      expect(sitePatternOf(url)).toBeNull();
  });

  it('accepts only the patterns it makes', () => {
    expect(isSitePattern('https://example.test/*')).toBe(true);
    for (const bad of [
      '*://*/*',
      '<all_urls>',
      'https://*.example.test/*',
      'https://example.test:8080/*',
      'https://example.test/a/*',
      'ftp://x/*',
      'https://EXAMPLE.test/*',
      42,
      null,
    ]) {
      expect(isSitePattern(bad)).toBe(false);
    }
  });

  it('the defaults: web.telegram.org and local development, on any port', () => {
    for (const url of [
      'https://web.telegram.org/k/',
      'https://web.telegram.org/a/#123',
      'http://localhost:5173/',
      'https://localhost:8443/',
      'http://127.0.0.1:41234/x',
      'https://127.0.0.1/',
    ]) {
      expect(siteStatus(url, [])).toMatchObject({ isDefault: true, enabled: true });
    }
    for (const url of ['https://web.telegram.org.evil.test/', 'https://webk.telegram.org/', 'http://example.test/', 'http://web.telegram.org/']) {
      expect(siteStatus(url, [])).toMatchObject({ isDefault: false, enabled: false });
    }
  });

  it('a broader grant covers a site; another host or scheme does not', () => {
    expect(grantCovers(['*://*/*'], 'https://example.test/*')).toBe(true);
    expect(grantCovers(['<all_urls>'], 'http://example.test/*')).toBe(true);
    expect(grantCovers(['https://*.test/*'], 'https://example.test/*')).toBe(true);
    expect(grantCovers(['https://example.test/*'], 'http://example.test/*')).toBe(false);
    expect(grantCovers(['https://other.test/*'], 'https://example.test/*')).toBe(false);
    expect(grantCovers(['https://example.test/only/*'], 'https://example.test/*')).toBe(false);
  });
});

describe('SiteAccess', () => {
  it('registers both scripts for a site the user enabled, with its permission', async () => {
    const { api, sites } = make();
    api.granted.push('https://example.test/*');
    const status = await sites.add('https://example.test/*');
    expect(status).toMatchObject({ pattern: 'https://example.test/*', enabled: true, isDefault: false });
    expect([...api.scripts.values()]).toEqual([
      { id: SITE_SCRIPT_IDS.relay, js: ['src/content/main.js'], matches: ['https://example.test/*'], world: 'ISOLATED' },
      { id: SITE_SCRIPT_IDS.hook, js: ['src/hook/main.js'], matches: ['https://example.test/*'], world: 'MAIN' },
    ]);
    // Syncing again changes nothing.
    api.calls = [];
    await sites.sync();
    expect(api.calls).toEqual([]);
  });

  it('without the permission nothing is registered, and a second site extends the matches', async () => {
    const { api, sites } = make();
    expect((await sites.add('https://example.test/*')).enabled).toBe(false);
    expect(api.scripts.size).toBe(0);
    api.granted.push('https://example.test/*', 'http://second.test/*');
    await sites.add('http://second.test/*');
    expect(api.scripts.get(SITE_SCRIPT_IDS.hook)!.matches).toEqual(['https://example.test/*', 'http://second.test/*']);
  });

  it('removing a site unregisters it and gives its permission back; the last one leaves nothing registered', async () => {
    const { api, sites } = make();
    api.granted.push('https://a.test/*', 'https://b.test/*');
    await sites.add('https://a.test/*');
    await sites.add('https://b.test/*');
    await sites.remove('https://a.test/*');
    expect(api.scripts.get(SITE_SCRIPT_IDS.relay)!.matches).toEqual(['https://b.test/*']);
    expect(api.granted).not.toContain('https://a.test/*');
    expect((await sites.remove('https://b.test/*')).enabled).toBe(false);
    expect(api.scripts.size).toBe(0);
  });

  it('a permission revoked in the browser unregisters the site at the next sync; granted again, it comes back', async () => {
    const { api, sites } = make();
    api.granted.push('https://a.test/*');
    await sites.add('https://a.test/*');
    api.granted = api.granted.filter((g) => g !== 'https://a.test/*');
    await sites.granted([]);
    expect(api.scripts.size).toBe(0);
    api.granted.push('https://a.test/*');
    await sites.granted(['https://a.test/*']);
    expect(api.scripts.size).toBe(2);
  });

  it('a permission granted from the browser adds the site (the popup may close under the prompt)', async () => {
    const { api, settings, sites } = make();
    api.granted.push('https://c.test/*', '*://*/*');
    await sites.granted(['https://c.test/*', '*://*/*', 'http://localhost/*']);
    expect((await settings.get([SITES_KEY]))[SITES_KEY]).toEqual(['https://c.test/*']);
    expect(api.scripts.get(SITE_SCRIPT_IDS.hook)!.matches).toEqual(['https://c.test/*']);
  });

  it('defaults are never stored nor removed, and stored junk is ignored', async () => {
    const { api, settings, sites } = make();
    await settings.set({ [SITES_KEY]: ['http://localhost/*', '<all_urls>', 7, 'https://ok.test/*'] });
    api.granted.push('https://ok.test/*');
    expect(await sites.added()).toEqual(['https://ok.test/*']);
    const status = await sites.remove('http://localhost/*');
    expect(status).toMatchObject({ isDefault: true, enabled: true });
    expect(api.granted).toContain('http://localhost/*');
    await expect(sites.add('*://*/*')).rejects.toThrow();
  });
});
