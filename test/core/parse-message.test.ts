import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { splitErrorMessage } from '../../src/core/errors/parse-message.ts';

describe('splitErrorMessage', () => {
  it('splits type and description', () => {
    expect(splitErrorMessage('FLOOD_WAIT_3')).toEqual({ type: 'FLOOD_WAIT_3', description: null });
    expect(splitErrorMessage('CHAT_ADMIN_REQUIRED: you must be an admin')).toEqual({
      type: 'CHAT_ADMIN_REQUIRED',
      description: 'you must be an admin',
    });
    expect(splitErrorMessage('2FA_CONFIRM_WAIT_30')).toEqual({ type: '2FA_CONFIRM_WAIT_30', description: null });
  });

  it('keeps multi-line and arbitrary descriptions whole', () => {
    expect(splitErrorMessage('PEER_ID_INVALID: line one\nline two: ok\r\n')).toEqual({
      type: 'PEER_ID_INVALID',
      description: 'line one\nline two: ok\r\n',
    });
  });

  it('has no type when the leading token is not the whole type', () => {
    for (const message of [
      'Timeout',
      'Timedout',
      'No workers running',
      'memory limit exit',
      'Internal_Server_Error',
      'Too Many Requests: retry after 5',
      'Bad Request: chat not found',
      'lower case text',
      'FLOOD_WAIT_3 and more',
      'FLOOD_WAIT_3:no space',
      'FLOOD_WAIT_3\n',
      '',
      ': FOO',
      'FILE_PART_\u0425_MISSING',
    ]) {
      expect(splitErrorMessage(message), message).toEqual({ type: null, description: null });
    }
  });

  it('treats an empty description as none', () => {
    expect(splitErrorMessage('FOO: ')).toEqual({ type: 'FOO', description: null });
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const { type, description } = splitErrorMessage(text);
        if (type !== null) {
          expect(/^[A-Z_0-9]+$/.test(type)).toBe(true);
          expect(text.startsWith(type)).toBe(true);
        }
        if (type === null) expect(description).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it('round-trips any [A-Z_0-9]+ type, with or without a description', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z_0-9]+$/), fc.option(fc.string({ minLength: 1, unit: 'binary' })), (type, description) => {
        const message = description === null ? type : `${type}: ${description}`;
        expect(splitErrorMessage(message)).toEqual({ type, description });
      }),
      { numRuns: 2000 },
    );
  });
});
