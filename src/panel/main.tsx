import { render } from 'preact';
import { devtools, runtime } from '../platform/extension-api.ts';
import { App } from './components/App.tsx';
import { saveFile } from './save-file.ts';
import './panel.css';

/** In DevTools the inspected tab; opened as a page (tests, demo), `?tabId=N`. */
function resolveTabId(): number | null {
  const inspected = devtools.inspectedTabId();
  if (inspected !== null) return inspected;
  const param = Number(new URLSearchParams(location.search).get('tabId'));
  return Number.isSafeInteger(param) && param >= 0 ? param : null;
}

function resolveTheme(): 'light' | 'dark' {
  const forced = new URLSearchParams(location.search).get('theme');
  if (forced === 'dark' || forced === 'light') return forced;
  const name = devtools.themeName();
  if (name) return name === 'dark' ? 'dark' : 'light';
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

document.documentElement.dataset.theme = resolveTheme();
const root = document.getElementById('app')!;
const tabId = resolveTabId();
if (tabId === null) {
  root.textContent = 'No tab to inspect: open this panel in DevTools, or pass ?tabId=N.';
} else {
  render(<App tabId={tabId} connect={runtime.connect} saveFile={saveFile} />, root);
}
