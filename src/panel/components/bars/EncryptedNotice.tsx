import type { KeysMessage, TabStats } from '../../../shared/messages.ts';

interface Props {
  stats: TabStats;
  keys: KeysMessage | null;
  onReadKeys: () => void;
  onOpenKeys: () => void;
}

/**
 * Says what to do when the tab's MTProto is encrypted under keys the inspector does not
 * have: most errors of a real client (redirects, flood waits it sleeps through, 500
 * retries) are only on that wire. One click reads the keys where the known clients keep them.
 */
export function EncryptedNotice({ stats, keys, onReadKeys, onOpenKeys }: Props) {
  const unknown = stats.encrypted?.unknownKeyIds ?? [];
  const failed = stats.encrypted?.failed ?? 0;
  if (unknown.length === 0 && failed > 0 && (stats.encrypted?.decrypted ?? 0) === 0) {
    return (
      <div class="banner banner-keys" role="status">
        {failed === 1 ? 'A message' : `${failed.toLocaleString('en-US')} messages`} under a key you gave failed the msg_key check: that key is not this
        session's (an old or another account's key with the same id is unlikely).{' '}
        <button type="button" class="link-button" onClick={onOpenKeys}>
          Session keys…
        </button>
      </div>
    );
  }
  if (unknown.length === 0) return null;
  const haveKeys = (keys?.keys.length ?? 0) > 0;
  const made = (stats.encrypted?.madeOnWire ?? []).filter((id) => unknown.includes(id));
  const others = unknown.filter((id) => !made.includes(id));
  return (
    <div class="banner banner-keys" role="status">
      {made.length > 0 ? (
        <span>
          This connection made a temporary key (<code>{made.slice(0, 3).join(', ')}</code>
          {made.length > 3 ? ` and ${made.length - 3} more` : ''}): an unencrypted key exchange (req_pq_multi, req_DH_params) on the wire, then traffic under a
          new auth_key_id. A temporary (PFS) key lives in the client's memory only, so no stored key decrypts it: turn on <em>Capture inside workers</em>, then
          Read keys from this page reads it from the client's worker (Web K). A new login's first key is made the same way and is found in storage once the
          client saved it.
          {others.length > 0 ? (
            <>
              {' '}
              Other traffic is under a key you have not given (<code>{others.slice(0, 3).join(', ')}</code>).
            </>
          ) : null}{' '}
        </span>
      ) : haveKeys ? (
        <span>
          Some of this page's MTProto is encrypted under a key you have not given (<code>{unknown.slice(0, 3).join(', ')}</code>
          {unknown.length > 3 ? ` and ${unknown.length - 3} more` : ''}): another DC, a media or temporary key, or another account.{' '}
        </span>
      ) : (
        <span>
          This page's MTProto is encrypted: errors its client handles inside (redirects, flood waits, retries) are only readable with the session's auth
          key.{' '}
        </span>
      )}
      <button type="button" class="link-button" onClick={onReadKeys}>
        Read keys from this page
      </button>{' '}
      ·{' '}
      <button type="button" class="link-button" onClick={onOpenKeys}>
        Session keys…
      </button>
    </div>
  );
}
