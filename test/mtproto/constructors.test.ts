import { describe, expect, it } from 'vitest';
import { ID, SERVICE_NAMES, WRAPPER_NAMES } from '../../src/core/mtproto/tl/constructors.ts';
import { loadSchema } from './tl-helpers.ts';

describe('constructor ids match @mtcute/tl schemas', () => {
  const mtp = new Map(loadSchema('mtp-schema.json').map((e) => [e.name.replace(/^mt_/, ''), e.id >>> 0]));
  const api = new Map(loadSchema('api-schema.json').map((e) => [e.name, e.id >>> 0]));

  it('service constructor names and ids', () => {
    const native = new Set(['rpc_result', 'msg_container', 'gzip_packed', 'msg_copy']);
    for (const [id, name] of SERVICE_NAMES) {
      if (native.has(name)) continue;
      expect([name, mtp.get(name)]).toEqual([name, id]);
    }
    // Every mtp-schema constructor has a name here.
    for (const [name, id] of mtp) expect([name, SERVICE_NAMES.get(id)]).toEqual([name, name]);
  });

  it('request wrappers and initConnection argument types', () => {
    for (const [id, name] of WRAPPER_NAMES) expect([name, api.get(name)]).toEqual([name, id]);
    const pairs: Array<[keyof typeof ID, string]> = [
      ['inputClientProxy', 'inputClientProxy'],
      ['jsonObjectValue', 'jsonObjectValue'],
      ['jsonNull', 'jsonNull'],
      ['jsonBool', 'jsonBool'],
      ['jsonNumber', 'jsonNumber'],
      ['jsonString', 'jsonString'],
      ['jsonArray', 'jsonArray'],
      ['jsonObject', 'jsonObject'],
    ];
    // boolTrue/boolFalse are core TL types absent from api-schema.json; the ids are the documented ones.
    expect([ID.boolTrue, ID.boolFalse]).toEqual([0x997275b5, 0xbc799737]);
    for (const [key, name] of pairs) expect([name, api.get(name)]).toEqual([name, ID[key] >>> 0]);
  });

  it('the argument layouts the request decoder skips are the ones in the schema', () => {
    const entries = new Map(loadSchema('api-schema.json').map((e) => [e.name, e]));
    const args = (name: string) => entries.get(name)!.arguments!.map((a) => `${a.name}:${a.type}`);
    expect(args('initConnection')).toEqual([
      'flags:#',
      'api_id:int',
      'device_model:string',
      'system_version:string',
      'app_version:string',
      'system_lang_code:string',
      'lang_pack:string',
      'lang_code:string',
      'proxy:InputClientProxy',
      'params:JSONValue',
      'query:!X',
    ]);
    expect(args('invokeWithLayer')).toEqual(['layer:int', 'query:!X']);
    expect(args('invokeAfterMsg')).toEqual(['msg_id:long', 'query:!X']);
    expect(args('invokeAfterMsgs')).toEqual(['msg_ids:long', 'query:!X']);
    expect(args('invokeWithoutUpdates')).toEqual(['query:!X']);
    expect(args('invokeWithMessagesRange')).toEqual(['range:MessageRange', 'query:!X']);
    expect(args('invokeWithTakeout')).toEqual(['takeout_id:long', 'query:!X']);
    expect(args('invokeWithBusinessConnection')).toEqual(['connection_id:string', 'query:!X']);
    expect(args('invokeWithGooglePlayIntegrity')).toEqual(['nonce:string', 'token:string', 'query:!X']);
    expect(args('invokeWithApnsSecret')).toEqual(['nonce:string', 'secret:string', 'query:!X']);
    expect(args('invokeWithReCaptcha')).toEqual(['token:string', 'query:!X']);
    expect(api.get('messageRange')).toBe(0x0ae30253);
  });
});
