import { useCallback, useEffect, useState } from 'preact/hooks';
import type { SiteStatus } from '../../../core/inspected-sites.ts';
import { siteHost } from '../../../core/inspected-sites.ts';
import { describeSite, disableSite, enableSite, type SiteControlDeps } from '../../../popup/site-control.ts';

/** What the panel needs to tell whether the inspected site is enabled, and to enable it. */
export interface SiteDeps extends SiteControlDeps {
  /** The inspected page's URL (DevTools), null when unknown (the background then reads the tab's). */
  inspectedUrl: () => Promise<string | null>;
  reload: () => Promise<void>;
  /** Calls back when the inspected page navigates (DevTools), so the status follows. */
  onNavigated?: (handler: () => void) => void;
}

/**
 * The inspected tab's site when the inspector does not run there (it says so, and offers to
 * enable it and reload), or runs there because the user enabled it (it offers to stop).
 */
export function SiteBanner({ tabId, deps }: { tabId: number; deps: SiteDeps }) {
  const [status, setStatus] = useState<SiteStatus | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(async () => {
    const url = await deps.inspectedUrl();
    const next = (await deps.send({ type: 'site-status', tabId, url }).catch(() => null)) as SiteStatus | null;
    setStatus(next && typeof next === 'object' && 'enabled' in next ? next : null);
  }, [tabId, deps]);

  useEffect(() => {
    void refresh();
    deps.onNavigated?.(() => void refresh());
  }, [refresh]);

  if (!status || status.pattern === null || status.isDefault) return null;
  const pattern = status.pattern;

  const enable = () => {
    setBusy(true);
    // permissions.request is called at once, inside the click: the browser prompts only for a gesture.
    void enableSite(pattern, deps).then(async (result) => {
      if (typeof result === 'string') setNote(result);
      else {
        setStatus(result);
        setNote(null);
        if (result.enabled) await deps.reload();
      }
      setBusy(false);
    });
  };
  const disable = () => {
    setBusy(true);
    void disableSite(pattern, deps).then((result) => {
      setStatus(result);
      setNote('It stops at the next page load.');
      setBusy(false);
    });
  };

  return (
    <div class={`banner site-banner${status.enabled ? '' : ' site-off'}`} role="status" data-site={pattern}>
      {describeSite(status)}{' '}
      {status.enabled ? (
        <button type="button" class="link-button" disabled={busy} onClick={disable}>
          Stop inspecting {siteHost(pattern)}
        </button>
      ) : (
        <button type="button" disabled={busy} onClick={enable}>
          Inspect {siteHost(pattern)} and reload
        </button>
      )}
      {note ? <span class="site-note"> {note}</span> : null}
    </div>
  );
}
