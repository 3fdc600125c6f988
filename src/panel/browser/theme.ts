// The panel's light or dark look, kept in step with where it is shown: a `?theme=` in the
// URL fixes it (screenshots, tests); inside DevTools it follows the DevTools theme, live;
// opened as a page it follows the system's colour scheme, live.

export type Theme = 'light' | 'dark';

/** What DevTools tells of its theme (extension-api's `devtools`; null names: not in DevTools). */
export interface DevToolsTheme {
  themeName(): 'default' | 'dark' | null;
  onThemeChange(handler: (name: 'default' | 'dark') => void): boolean;
}

/** The system's colour scheme, as `matchMedia('(prefers-color-scheme: dark)')` gives it. */
export interface ColourScheme {
  readonly matches: boolean;
  addEventListener(type: 'change', listener: (event: { matches: boolean }) => void): void;
}

export function followTheme(root: HTMLElement, search: string, devtools: DevToolsTheme, scheme: () => ColourScheme): void {
  const apply = (theme: Theme): void => {
    root.dataset.theme = theme;
  };
  const forced = new URLSearchParams(search).get('theme');
  if (forced === 'dark' || forced === 'light') return apply(forced);
  const fromDevtools = devtools.themeName();
  if (fromDevtools !== null) {
    apply(fromDevtools === 'dark' ? 'dark' : 'light');
    devtools.onThemeChange((name) => apply(name === 'dark' ? 'dark' : 'light'));
    return;
  }
  const system = scheme();
  apply(system.matches ? 'dark' : 'light');
  system.addEventListener('change', (event) => apply(event.matches ? 'dark' : 'light'));
}
