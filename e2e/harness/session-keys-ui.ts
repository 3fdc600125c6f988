// Giving the inspector a session's keys the way a user does, in the panel's Session keys
// dialog: "Read keys from this page", then pasting any other key. Shared by the e2e specs and
// the demo.

import type { Page } from 'playwright-core';
import { computeAuthKeyId } from '../../src/core/keys/index.ts';

export interface GiveKeys {
  /** Click "Read keys from this page" first. */
  readFromPage?: boolean;
  /** Keys to paste, as hex (a GramJS StoreSession holds only the current DC's). */
  paste?: string[];
}

/** Opens the dialog in a panel page, gives the keys, waits for the list, and closes it; returns how many keys are listed. */
export async function giveKeysInPanel(panel: Page, give: GiveKeys): Promise<number> {
  await panel.getByRole('button', { name: /^Session keys/ }).click();
  const dialog = panel.getByRole('dialog', { name: 'Session keys' });
  const listed = dialog.getByRole('list', { name: 'Keys for this origin' }).getByRole('listitem');
  if (give.readFromPage) {
    await dialog.getByRole('button', { name: 'Read keys from this page' }).click();
    await dialog
      .getByRole('status')
      .filter({ hasText: /Read from this page|No auth key found/ })
      .waitFor();
  }
  for (const hex of give.paste ?? []) {
    // Listed by auth_key_id: a key already given is not pasted again.
    const id = computeAuthKeyId(Uint8Array.from(Buffer.from(hex, 'hex')));
    const item = listed.filter({ hasText: id });
    if ((await item.count()) > 0) continue;
    await dialog.getByLabel('Auth key').fill(`"${hex}"`);
    await dialog.getByRole('button', { name: 'Add key' }).click();
    await item.first().waitFor();
  }
  const count = await listed.count();
  await dialog.getByRole('button', { name: 'Close' }).click();
  return count;
}
