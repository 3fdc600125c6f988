// Giving the inspector a session's keys the way a user does, in the panel's Session keys
// dialog: "Read keys from this page", then pasting any other key. Shared by the e2e specs and
// the demo.

import type { Page } from 'playwright-core';

export interface GiveKeys {
  /** Click "Read keys from this page" first. */
  readFromPage?: boolean;
  /** Keys to paste, as hex (a GramJS StoreSession holds only the current DC's). */
  paste?: string[];
}

/** Opens the dialog in a panel page, gives the keys, waits for the list, and closes it. */
export async function giveKeysInPanel(panel: Page, give: GiveKeys): Promise<number> {
  await panel.getByRole('button', { name: /^Session keys/ }).click();
  const dialog = panel.getByRole('dialog', { name: 'Session keys' });
  const listed = dialog.getByRole('list', { name: 'Keys for this origin' }).getByRole('listitem');
  let expected = await listed.count();
  if (give.readFromPage) {
    await dialog.getByRole('button', { name: 'Read keys from this page' }).click();
    await dialog.getByRole('status').filter({ hasText: /Read from this page|No auth key found/ }).waitFor();
    expected = await listed.count();
  }
  for (const hex of give.paste ?? []) {
    await dialog.getByLabel('Auth key').fill(`"${hex}"`);
    await dialog.getByRole('button', { name: 'Add key' }).click();
    expected++;
    await listed.nth(expected - 1).waitFor();
  }
  await dialog.getByRole('button', { name: 'Close' }).click();
  return expected;
}
