// The Firefox manifest is derived from manifest.json (the one source): what changes and what not.
import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import { FIREFOX_ADDON_ID, FIREFOX_MIN_VERSION, firefoxManifest } from '../../scripts/firefox-manifest.ts';

describe('firefoxManifest', () => {
  const firefox = firefoxManifest(manifest) as Record<string, any>;

  it('turns the service worker into an event page of the same script', () => {
    expect(firefox.background).toEqual({ scripts: [manifest.background.service_worker], type: 'module' });
  });

  it('adds the gecko id and minimum version, drops minimum_chrome_version', () => {
    expect(firefox.browser_specific_settings.gecko).toEqual({
      id: FIREFOX_ADDON_ID,
      strict_min_version: FIREFOX_MIN_VERSION,
      data_collection_permissions: { required: ['none'] },
    });
    expect(firefox).not.toHaveProperty('minimum_chrome_version');
  });

  it('drops Chrome-only permissions and keeps the others', () => {
    const derived = firefoxManifest({ ...manifest, permissions: ['storage', 'debugger', 'tabs'] }) as Record<string, any>;
    expect(derived.permissions).toEqual(['storage', 'tabs']);
  });

  it('leaves everything else as it is and does not touch its input', () => {
    const before = JSON.stringify(manifest);
    const { background: _b, browser_specific_settings: _g, permissions: _p, ...rest } = firefox;
    const { background: _cb, minimum_chrome_version: _m, permissions: _cp, ...chromeRest } = manifest as Record<string, any>;
    expect(rest).toEqual(chromeRest);
    expect(JSON.stringify(manifest)).toBe(before);
  });
});
