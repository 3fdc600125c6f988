import { useEffect, useRef, useState } from 'preact/hooks';
import type { KeysMessage, KeysRequest, KeysResult } from '../../../shared/messages.ts';

interface Props {
  keys: KeysMessage | null;
  onRequest: (request: KeysRequest) => void;
  onClose: () => void;
}

const SOURCE_NAMES: Record<string, string> = {
  hex: 'hex',
  base64: 'base64',
  'webk-account': 'Web K account',
  'dc-auth-key': 'dcN_auth_key',
  'weba-session': 'Web A session',
  'gramjs-string-session': 'GramJS StringSession',
  'gramjs-store-session': 'GramJS StoreSession',
  'mtcute-string-session': 'mtcute session',
  'mtcute-storage': 'mtcute IndexedDB',
  'page-storage': 'page storage',
  'worker-memory': 'worker memory',
};

/** What the generic scan looked through, and the 256-byte values it did not keep. */
function describeScan(result: KeysResult): string {
  const scan = result.scan;
  if (!scan) return '';
  const looked = `Looked through ${scan.values.toLocaleString('en-US')} stored value${scan.values === 1 ? '' : 's'}${scan.capped ? ' (stopped at the cap)' : ''}`;
  const unmatched = result.unmatched ?? 0;
  const rest =
    unmatched > 0
      ? `; ${unmatched} other 256-byte value${unmatched === 1 ? '' : 's'} matched no auth_key_id seen in this tab's traffic (not kept: read again once the page has used them)`
      : '';
  return ` ${looked}${rest}.`;
}

/** The outcome of the last add or read, in words; never quotes what was pasted. */
export function describeKeysResult(result: KeysResult): string {
  const verb = result.action === 'read' ? 'Read from this page' : 'Added';
  if (result.found === 0) {
    const where = result.places.length ? ` (looked in ${result.places.join(', ')})` : '';
    return `No auth key found${where}${result.problems.length ? `: ${result.problems.join('; ')}` : ''}.${describeScan(result)}`;
  }
  const again = result.found - result.added;
  const where = result.places.length ? ` from ${result.places.join(', ')}` : '';
  return `${verb}: ${result.added} new key${result.added === 1 ? '' : 's'}${again > 0 ? `, ${again} already known` : ''}${where}.${describeScan(result)}`;
}

/**
 * The user's own auth keys for this tab's origin: pasted, or read from where the known
 * clients store them. Listed by auth_key_id only; the text box is emptied once sent.
 */
export function SessionKeysDialog({ keys, onRequest, onClose }: Props) {
  const [text, setText] = useState('');
  const box = useRef<HTMLTextAreaElement>(null);
  useEffect(() => box.current?.focus(), []);
  const origin = keys?.origin ?? null;
  const add = () => {
    if (!text.trim()) return;
    onRequest({ type: 'keys-add', text });
    setText('');
  };
  return (
    <div class="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onClose()}>
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="session-keys-title" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
        <div class="dialog-head">
          <h2 id="session-keys-title">Session keys</h2>
          <button type="button" class="link-button" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </div>
        {origin === null ? (
          <p>Keys belong to a page's origin: open your web client in this tab first.</p>
        ) : (
          <>
            <p class="dim">
              Real clients encrypt MTProto with the session's auth key. Give this origin's keys (<strong>{origin}</strong>) and the inspector decrypts its
              traffic, in this browser session only: keys are kept in memory, never saved, exported or shown again, and used for this origin alone.
            </p>
            <div class="dialog-row">
              <button type="button" class="tool-button bordered" onClick={() => onRequest({ type: 'keys-read-page' })}>
                Read keys from this page
              </button>
              <label class="check" title="Read this origin's stored keys whenever one of its pages loads, so a reload decrypts from the first frame">
                <input
                  type="checkbox"
                  checked={keys?.autoRead ?? false}
                  onChange={(e) => onRequest({ type: 'keys-auto-read', on: (e.currentTarget as HTMLInputElement).checked })}
                />
                At every load of this origin
              </label>
            </div>
            <label class="dialog-label" for="auth-key-text">
              Auth key
            </label>
            <textarea
              id="auth-key-text"
              ref={box}
              class="key-text"
              aria-label="Auth key"
              spellcheck={false}
              autocomplete="off"
              placeholder="512 hex characters (quoted or not), base64, a Web K accountN value, a GramJS or mtcute session string…"
              value={text}
              onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
            />
            <div class="dialog-row">
              <button type="button" class="tool-button bordered" onClick={add} disabled={!text.trim()}>
                Add key
              </button>
            </div>
            {keys?.result ? (
              <p class={keys.result.found === 0 ? 'keys-result keys-result-none' : 'keys-result'} role="status">
                {describeKeysResult(keys.result)}
              </p>
            ) : null}
            <h3>Keys for this origin</h3>
            {keys && keys.keys.length > 0 ? (
              <>
                <ul class="key-list" aria-label="Keys for this origin">
                  {keys.keys.map((key) => (
                    <li key={key.keyId}>
                      <code title="auth_key_id">{key.keyId}</code>
                      <span>{key.dc === null ? 'DC unknown' : `DC ${key.dc}`}</span>
                      <span class="dim key-source" title={key.place ?? undefined}>
                        {key.place ? `${SOURCE_NAMES[key.source] ?? key.source}: ${key.place}` : (SOURCE_NAMES[key.source] ?? key.source)}
                      </span>
                      <button
                        type="button"
                        class="link-button"
                        aria-label={`Forget key ${key.keyId}`}
                        onClick={() => onRequest({ type: 'keys-forget', keyId: key.keyId })}
                      >
                        Forget
                      </button>
                    </li>
                  ))}
                </ul>
                <button type="button" class="tool-button bordered" onClick={() => onRequest({ type: 'keys-forget-all' })}>
                  Forget all
                </button>
              </>
            ) : (
              <p class="dim">None yet.</p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
