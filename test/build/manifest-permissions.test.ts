// What installing the extension asks for. `debugger` stays a required permission in the Chrome
// build: Chromium refuses it as an optional one (chrome_api_permissions.cc declares it with
// kFlagCannotBeOptional; an extension listing it under optional_permissions gets the load
// warning "cannot be listed as optional" and permissions.request({permissions: ['debugger']})
// rejects with "Only permissions specified in the manifest may be requested", checked in Debian's
// Chromium 156). Listing it as optional would silently break "Capture inside workers". Users who
// never turn that on install the Chrome lite build instead (dist-chrome-lite/: no `debugger`).
import { describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import { firefoxManifest } from '../../scripts/firefox-manifest.ts';
import { chromeLiteManifest } from '../../scripts/chrome-lite-manifest.ts';

const DEFAULT_SITES = ['https://web.telegram.org/*', 'http://localhost/*', 'https://localhost/*', 'http://127.0.0.1/*', 'https://127.0.0.1/*'];

describe('manifest.json permissions', () => {
  const m = manifest as Record<string, any>;

  it('asks for storage, scripting, activeTab and debugger, nothing else', () => {
    expect([...m.permissions].sort()).toEqual(['activeTab', 'debugger', 'scripting', 'storage']);
  });

  it('never lists debugger as optional (Chromium cannot grant it at run time)', () => {
    expect(m.optional_permissions ?? []).not.toContain('debugger');
  });

  it('holds the default sites only; any other site is optional', () => {
    expect(m.host_permissions).toEqual(DEFAULT_SITES);
    expect(m.optional_host_permissions).toEqual(['*://*/*']);
  });

  it('the Chrome lite build asks for storage, scripting and activeTab only, the same hosts, debugger nowhere', () => {
    const lite = chromeLiteManifest(manifest) as Record<string, any>;
    expect([...lite.permissions].sort()).toEqual(['activeTab', 'scripting', 'storage']);
    expect(lite.optional_permissions ?? []).not.toContain('debugger');
    expect(lite.host_permissions).toEqual(DEFAULT_SITES);
    expect(lite.optional_host_permissions).toEqual(['*://*/*']);
    // Everything else as in the full build.
    const { permissions: _full, ...fullRest } = m;
    const { permissions: _lite, ...liteRest } = lite;
    expect(liteRest).toEqual(fullRest);
    expect(JSON.stringify(lite)).not.toContain('debugger');
  });

  it('the Firefox build asks for storage, scripting and activeTab only, the same hosts', () => {
    const firefox = firefoxManifest(manifest) as Record<string, any>;
    expect([...firefox.permissions].sort()).toEqual(['activeTab', 'scripting', 'storage']);
    expect(firefox.host_permissions).toEqual(DEFAULT_SITES);
  });
});
