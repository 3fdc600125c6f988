import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskSecrets, maskSecretsInText, maskUrlSecrets } from '../../src/core/capture/mask-secrets.ts';

const TOKEN = '123456789:AAEhBP0av28hRzZ1y1FJx3eGHh_0y7wJ9aQ';

describe('maskUrlSecrets', () => {
  it('masks a Bot API token in the path', () => {
    expect(maskUrlSecrets(`https://api.telegram.org/bot${TOKEN}/sendMessage`)).toBe('https://api.telegram.org/bot123456789:***/sendMessage');
    expect(maskUrlSecrets(`https://api.telegram.org/file/bot${TOKEN}/photos/file_1.jpg`)).toBe(
      'https://api.telegram.org/file/bot123456789:***/photos/file_1.jpg',
    );
    expect(maskUrlSecrets(`https://api.telegram.org/bot${TOKEN}`)).toBe('https://api.telegram.org/bot123456789:***');
    expect(maskUrlSecrets('https://example.org/bot123%3AAAEhBP0av28/getMe')).toBe('https://example.org/bot123%3A***/getMe');
  });

  it('masks secret query parameters and keeps the others', () => {
    expect(maskUrlSecrets('https://x.org/a?token=abc&chat_id=5&access_token=t&auth=u&key=k&hash=h&password=p')).toBe(
      'https://x.org/a?token=***&chat_id=5&access_token=***&auth=***&key=***&hash=***&password=***',
    );
    expect(maskUrlSecrets('https://x.org/a?TOKEN=abc')).toBe('https://x.org/a?TOKEN=***');
    expect(maskUrlSecrets('https://x.org/a?monkey=1&hashtag=2')).toBe('https://x.org/a?monkey=1&hashtag=2');
    expect(maskUrlSecrets('https://x.org/a#access_token=abc&state=1')).toBe('https://x.org/a#access_token=***&state=1');
  });

  it('leaves URLs without secrets unchanged', () => {
    for (const url of ['wss://zws2.web.telegram.org/apiws', 'https://web.telegram.org/k/', 'https://x.org/?a', '']) {
      expect(maskUrlSecrets(url)).toBe(url);
    }
  });

  it('is idempotent and exported as maskSecrets too', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const once = maskSecrets(url);
        expect(maskSecrets(once)).toBe(once);
      }),
    );
    const once = maskSecrets(`https://api.telegram.org/bot${TOKEN}/x?token=1`);
    expect(maskSecrets(once)).toBe(once);
  });

  it('never leaves a token in a URL', () => {
    fc.assert(
      fc.property(fc.webUrl(), fc.stringMatching(/^[A-Za-z0-9_-]{30,40}$/), (base, secret) => {
        expect(maskUrlSecrets(`${base}/bot42:${secret}/getMe`)).not.toContain(secret);
      }),
    );
  });
});

describe('maskSecretsInText', () => {
  it('masks bot tokens anywhere in text', () => {
    expect(maskSecretsInText(`token is ${TOKEN}.`)).toBe('token is 123456789:***.');
    expect(maskSecretsInText(`{"url":"/bot${TOKEN}/getMe"}`)).toBe('{"url":"/bot123456789:***/getMe"}');
  });

  it('leaves ordinary JSON alone', () => {
    const text = '{"_":"rpc_error","error_code":420,"error_message":"FLOOD_WAIT_3","time":"12:30:00"}';
    expect(maskSecretsInText(text)).toBe(text);
  });
});
