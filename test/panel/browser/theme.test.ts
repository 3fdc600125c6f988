// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { followTheme, type ColourScheme, type DevToolsTheme } from '../../../src/panel/browser/theme.ts';

/** A DevTools whose theme the test changes, as its settings menu would. */
function fakeDevTools(initial: 'default' | 'dark' | null) {
  let handler: ((name: 'default' | 'dark') => void) | null = null;
  const source: DevToolsTheme = {
    themeName: () => initial,
    onThemeChange: (h) => ((handler = h), true),
  };
  return { source, change: (name: 'default' | 'dark') => handler?.(name), listening: () => handler !== null };
}

function fakeScheme(dark: boolean) {
  const listeners: Array<(event: { matches: boolean }) => void> = [];
  const scheme: ColourScheme = { matches: dark, addEventListener: (_type, listener) => listeners.push(listener) };
  return { scheme: () => scheme, change: (matches: boolean) => listeners.forEach((l) => l({ matches })) };
}

describe('followTheme', () => {
  it('inside DevTools: starts from the DevTools theme and follows its changes', () => {
    const root = document.createElement('html');
    const devtools = fakeDevTools('dark');
    followTheme(root, '', devtools.source, fakeScheme(false).scheme);
    expect(root.dataset.theme).toBe('dark');
    devtools.change('default');
    expect(root.dataset.theme).toBe('light');
    devtools.change('dark');
    expect(root.dataset.theme).toBe('dark');
  });

  it('opened as a page: follows the system colour scheme', () => {
    const root = document.createElement('html');
    const system = fakeScheme(true);
    followTheme(root, '?tabId=3', fakeDevTools(null).source, system.scheme);
    expect(root.dataset.theme).toBe('dark');
    system.change(false);
    expect(root.dataset.theme).toBe('light');
  });

  it('?theme= fixes the theme and listens to nothing', () => {
    const root = document.createElement('html');
    const devtools = fakeDevTools('dark');
    followTheme(root, '?theme=light', devtools.source, fakeScheme(true).scheme);
    expect(root.dataset.theme).toBe('light');
    expect(devtools.listening()).toBe(false);
  });
});
