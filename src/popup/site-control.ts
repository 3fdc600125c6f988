// "Inspect this site": the words and the one button shared by the toolbar popup and the panel.
// The permission is asked for here, in the page the user clicked in (the browser shows its
// prompt only for a user gesture); the background then registers the scripts for the site.

import { siteHost, type SiteStatus } from '../core/inspected-sites.ts';

export interface SiteControlDeps {
  /** permissions.request, null where the page has none (then the user is sent to the toolbar popup). */
  request: ((origins: string[]) => Promise<boolean>) | null;
  send: (message: unknown) => Promise<unknown>;
}

export function describeSite(status: SiteStatus): string {
  if (status.pattern === null) return 'The inspector cannot run on this page.';
  const host = siteHost(status.pattern);
  if (status.isDefault) return `The inspector runs on ${host} (enabled out of the box).`;
  return status.enabled ? `The inspector runs on ${host}: you enabled it.` : `The inspector is not enabled on ${host}: it adds nothing to this page.`;
}

/** Asks the browser for the site's permission, then has the background register the scripts. The new status, or an error in words. */
export async function enableSite(pattern: string, deps: SiteControlDeps): Promise<SiteStatus | string> {
  if (!deps.request) return 'Use the extension’s toolbar button here: “Inspect this site”.';
  let granted: boolean;
  try {
    granted = await deps.request([pattern]);
  } catch (error) {
    return `The browser refused: ${(error as Error)?.message ?? String(error)}`;
  }
  if (!granted) return 'Permission not granted: the site stays off.';
  return (await deps.send({ type: 'site-add', pattern })) as SiteStatus;
}

export async function disableSite(pattern: string, deps: SiteControlDeps): Promise<SiteStatus> {
  return (await deps.send({ type: 'site-remove', pattern })) as SiteStatus;
}
