import { render } from 'preact';
import { capabilities, devtools, inspectedUrl, onInspectedNavigated, permissionRequest, reloadInspected, runtime } from '../platform/extension-api.ts';
import type { SiteDeps } from './components/bars/SiteBanner.tsx';
import { App } from './components/App.tsx';
import { saveFile } from './files/save-file.ts';
import { followTheme } from './browser/theme.ts';
import { storedLogReader } from './browser/stored-log-reader.ts';
import './panel.css';

/** In DevTools the inspected tab; opened as a page (tests, demo), `?tabId=N`. */
function resolveTabId(): number | null {
  const inspected = devtools.inspectedTabId();
  if (inspected !== null) return inspected;
  const param = Number(new URLSearchParams(location.search).get('tabId'));
  return Number.isSafeInteger(param) && param >= 0 ? param : null;
}

followTheme(document.documentElement, location.search, devtools, () => matchMedia('(prefers-color-scheme: dark)'));
const root = document.getElementById('app')!;
const tabId = resolveTabId();
if (tabId === null) {
  root.textContent = 'No tab to inspect: open this panel in DevTools, or pass ?tabId=N.';
} else {
  const id = tabId;
  const site: SiteDeps = {
    request: permissionRequest,
    send: runtime.send,
    inspectedUrl,
    reload: () => reloadInspected(id),
    onNavigated: onInspectedNavigated,
  };
  const readStored = typeof indexedDB === 'undefined' ? null : storedLogReader(indexedDB);
  render(<App tabId={tabId} connect={runtime.connect} saveFile={saveFile} capabilities={capabilities} site={site} readStored={readStored} />, root);
}
