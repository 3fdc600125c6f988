import { describe, expect, it } from 'vitest';
import { methodFromClassName, readGramjsText } from '../../src/core/dialects/gramjs-text.ts';

describe('GramJS error texts (telegram-tt src/lib/gramjs/errors)', () => {
  it('turns GramJS class names into schema method names', () => {
    expect(methodFromClassName('messages.SendMessage')).toBe('messages.sendMessage');
    expect(methodFromClassName('InvokeWithLayer')).toBe('invokeWithLayer');
    expect(methodFromClassName('messages.sendMessage')).toBeNull();
  });

  it('reads RPCError texts with and without a code or a request', () => {
    expect(readGramjsText('RPCError 400: INVITE_HASH_EXPIRED (caused by messages.ImportChatInvite)')).toEqual({
      name: 'INVITE_HASH_EXPIRED',
      code: 400,
      codeFromClass: false,
      method: 'messages.importChatInvite',
      note: null,
    });
    expect(readGramjsText('RPCError 420: FROZEN_METHOD_INVALID')).toMatchObject({ name: 'FROZEN_METHOD_INVALID', code: 420, method: null });
    expect(readGramjsText('RPCError : PASSKEY_CREDENTIAL_NOT_FOUND (caused by auth.FinishPasskeyLogin)')).toMatchObject({
      name: 'PASSKEY_CREDENTIAL_NOT_FOUND',
      code: null,
    });
  });

  it('reads the sentences of the regex classes', () => {
    expect(readGramjsText('A wait of 7 seconds is required (caused by upload.GetFile)')?.name).toBe('FLOOD_WAIT_7');
    // SlowModeWaitError's super() text has a space before the request; its message has none.
    expect(readGramjsText('A wait of 9 seconds is required before sending another message in this chat (caused by messages.SendMessage)')?.name).toBe(
      'SLOWMODE_WAIT_9',
    );
    expect(readGramjsText('A wait of 9 seconds is required before sending another message in this chat  (caused by messages.SendMessage)')?.name).toBe(
      'SLOWMODE_WAIT_9',
    );
    expect(readGramjsText('The file to be accessed is currently stored in DC 2')?.name).toBe('FILE_MIGRATE_2');
  });

  it('reads class names with their class code', () => {
    expect(readGramjsText('FLOOD')).toMatchObject({ name: 'FLOOD', code: 420, codeFromClass: true });
    expect(readGramjsText('BAD_REQUEST')).toMatchObject({ name: 'BAD_REQUEST', code: 400, codeFromClass: true });
  });

  it('says null for local texts', () => {
    for (const text of [
      'Request was unsuccessful 5 time(s)',
      'Disconnect',
      'RESTART_AUTH_WITH_PASSKEY',
      'USER_ALREADY_AUTHORIZED',
      '',
      'RPCError 400: not a name',
    ]) {
      expect(readGramjsText(text)).toBeNull();
    }
  });
});
