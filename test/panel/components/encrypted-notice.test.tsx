// @vitest-environment happy-dom
// The notice above the timeline: a key a connection made on the wire (an unencrypted key
// exchange, then traffic under a new auth_key_id) is named as a temporary key, with what to do,
// instead of "a key you have not given"; the Session keys dialog says where each key came from.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render } from '@testing-library/preact';
import { EncryptedNotice } from '../../../src/panel/components/bars/EncryptedNotice.tsx';
import { describeKeysResult } from '../../../src/panel/components/dialogs/SessionKeysDialog.tsx';
import type { KeysMessage, TabStats } from '../../../src/shared/messages.ts';

afterEach(cleanup);

const stats = (encrypted: TabStats['encrypted']): TabStats => ({ droppedOldest: 0, dropped: {}, diagnostics: 0, encrypted });
const keys: KeysMessage = {
  type: 'keys',
  origin: 'https://web.telegram.org',
  keys: [{ keyId: '1111111111111111', dc: 2, source: 'webk-account', place: "localStorage['account1']" }],
  autoRead: false,
};
const noop = () => undefined;

describe('EncryptedNotice', () => {
  it('names a key the connection made itself as a temporary key, with what to do', () => {
    const view = render(
      <EncryptedNotice
        stats={stats({ decrypted: 5, failed: 0, unknownKeyIds: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'], madeOnWire: ['aaaaaaaaaaaaaaaa'] })}
        keys={keys}
        onReadKeys={noop}
        onOpenKeys={noop}
      />,
    );
    const text = view.getByRole('status').textContent!;
    expect(text).toContain('This connection made a temporary key (aaaaaaaaaaaaaaaa)');
    expect(text).toContain('Capture inside workers');
    expect(text).toContain('Other traffic is under a key you have not given (bbbbbbbbbbbbbbbb)');
    expect(text).not.toContain('another DC, a media or temporary key');
  });

  it('without a handshake seen: a key you have not given, as before', () => {
    const view = render(
      <EncryptedNotice stats={stats({ decrypted: 5, failed: 0, unknownKeyIds: ['bbbbbbbbbbbbbbbb'] })} keys={keys} onReadKeys={noop} onOpenKeys={noop} />,
    );
    const text = view.getByRole('status').textContent!;
    expect(text).toContain('encrypted under a key you have not given (bbbbbbbbbbbbbbbb)');
    expect(text).not.toContain('temporary key (');
  });
});

describe('describeKeysResult', () => {
  it('says where keys were found and what the scan left out', () => {
    const text = describeKeysResult({
      action: 'read',
      added: 1,
      found: 1,
      problems: [],
      places: ["localStorage['2authKey'] (JSON array)"],
      scan: { values: 40, bytes: 9000, candidates: 3, skippedLarge: 0, capped: false },
      unmatched: 2,
    });
    expect(text).toBe(
      "Read from this page: 1 new key from localStorage['2authKey'] (JSON array). Looked through 40 stored values; 2 other 256-byte values matched no auth_key_id seen in this tab's traffic (not kept: read again once the page has used them).",
    );
  });
});
