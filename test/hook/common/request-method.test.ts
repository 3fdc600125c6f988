import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { methodOfRequest, RecentRequests, requestOf } from '../../../src/hook/common/request-method.ts';

describe('request methods', () => {
  it('reads TL-JSON, {method} and TDLib requests', () => {
    expect(methodOfRequest(JSON.stringify({ _: 'auth.sendCode', phone_number: '+1' }))).toBe('auth.sendCode');
    expect(methodOfRequest(JSON.stringify({ method: 'users.getUsers', params: {} }))).toBe('users.getUsers');
    expect(methodOfRequest(JSON.stringify({ '@type': 'getChat', chat_id: 1, '@extra': 7 }))).toBe('getChat');
    expect(methodOfRequest(new Uint8Array(4))).toBeUndefined();
    expect(methodOfRequest('plain text')).toBeUndefined();
  });

  it('pairs an answer with the request it names (req_msg_id, @extra)', () => {
    const recent = new RecentRequests(2);
    recent.remember(requestOf(JSON.stringify({ _: 'messages.sendMessage', msg_id: '700', message: 'hi' }))!);
    recent.remember(requestOf(JSON.stringify({ '@type': 'getChat', chat_id: 5, '@extra': 7 }))!);
    expect(recent.methodFor(JSON.stringify({ _: 'rpc_result', req_msg_id: '700', result: {} }))).toBe('messages.sendMessage');
    expect(recent.methodFor(JSON.stringify({ '@type': 'error', code: 400, message: 'X', '@extra': 7 }))).toBe('getChat');
    recent.remember({ id: '9', method: 'a' });
    expect(recent.methodFor('{"req_msg_id":"700"}')).toBeUndefined();
  });

  it('never throws and only names word-like methods', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const method = methodOfRequest(text);
        return method === undefined || /^[a-zA-Z]\w*(\.[a-zA-Z]\w*)?$/.test(method);
      }),
    );
  });
});
