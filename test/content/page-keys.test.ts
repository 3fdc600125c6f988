import { describe, expect, it } from 'vitest';
import { readStoredKeys } from '../../src/content/page-keys.ts';
import { parseAuthKeys } from '../../src/core/keys/index.ts';

/** localStorage as the page has it (the isolated world shares it). */
function storage(entries: Record<string, string>): Storage {
  const keys = Object.keys(entries);
  return {
    get length() {
      return keys.length;
    },
    key: (i: number) => keys[i] ?? null,
    getItem: (name: string) => entries[name] ?? null,
    setItem: () => undefined,
    removeItem: () => undefined,
    clear: () => undefined,
  };
}

const hex = (fill: number) => fill.toString(16).padStart(2, '0').repeat(256);

describe('reading the page\'s stored keys', () => {
  it('takes the entries where Web K, Web A and GramJS keep keys, and nothing else', () => {
    const { dump, places } = readStoredKeys(
      storage({
        account1: JSON.stringify({ dc2_auth_key: hex(1), dc2_server_salt: '00', userId: 1 }),
        dc4_auth_key: JSON.stringify(hex(2)),
        'app:authKey': JSON.stringify({ type: 'Buffer', data: Array(256).fill(3) }),
        'app:dcId': '5',
        theme: 'dark',
        user_auth: JSON.stringify({ dcID: 2, id: '1' }),
      }),
    );
    expect(places).toEqual(['localStorage account1', 'localStorage dc4_auth_key', 'localStorage app:authKey', 'localStorage app:dcId']);
    expect(dump).not.toContain('dark');
    const parsed = parseAuthKeys(dump);
    expect(parsed.keys.map((k) => [k.dc, k.source]).sort()).toEqual([[2, 'webk-account'], [4, 'dc-auth-key'], [5, 'gramjs-store-session']].sort());
  });

  it('reads a bounded amount from a hostile page', () => {
    const many: Record<string, string> = {};
    for (let i = 0; i < 500; i++) many[`dc${i}_auth_key`] = JSON.stringify(hex(i % 256));
    many.account1 = 'x'.repeat(200_000);
    const { places, dump } = readStoredKeys(storage(many));
    expect(places.length).toBeLessThanOrEqual(64);
    expect(dump.length).toBeLessThan(64 * 1100);
  });
});
