// The toolbar popup: the current tab's site, "Inspect this site" (asks the browser for the
// site's permission, then reloads the tab so the hook runs before page code) or "Stop
// inspecting this site". The tab's URL is visible to the popup through activeTab.

import { activeTab, permissionRequest, runtime } from '../platform/extension-api.ts';
import type { SiteStatus } from '../core/inspected-sites.ts';
import { describeSite, disableSite, enableSite } from './site-control.ts';

const statusLine = document.getElementById('status')!;
const actions = document.getElementById('actions')!;
const deps = { request: permissionRequest, send: runtime.send };

function button(text: string, onClick: () => Promise<void>): HTMLButtonElement {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.addEventListener('click', () => {
    b.disabled = true;
    void onClick().finally(() => (b.disabled = false));
  });
  return b;
}

function show(tabId: number, status: SiteStatus, note = ''): void {
  statusLine.textContent = describeSite(status) + (note ? ` ${note}` : '');
  actions.replaceChildren();
  const pattern = status.pattern;
  if (pattern === null || status.isDefault) return;
  if (!status.enabled) {
    actions.append(
      button('Inspect this site', async () => {
        const result = await enableSite(pattern, deps);
        if (typeof result === 'string') return show(tabId, status, result);
        show(tabId, result, 'Reloading the page…');
        await activeTab.reload(tabId);
        window.close();
      }),
    );
  } else {
    actions.append(
      button('Stop inspecting this site', async () => {
        const result = await disableSite(pattern, deps);
        show(tabId, result, 'It stops at the next page load.');
      }),
    );
  }
}

async function start(): Promise<void> {
  const tab = await activeTab.current();
  if (!tab) {
    statusLine.textContent = 'No tab.';
    return;
  }
  show(tab.id, (await runtime.send({ type: 'site-status', tabId: tab.id, url: tab.url })) as SiteStatus);
}

void start();
