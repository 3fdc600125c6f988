// @mtproto/core, the library of issue 19.1: 6.3.0 (npm, pinned) speaks layer 158 and has
// 510 methods, 14 of which were unnamed before older layers were read. Its own generated writer
// (src/tl/builder + src/tl/serializer) builds the requests; none of its code is ours. Its older
// releases (layers 113 to 139, pinned aliases) are schema sources of gen-catalog
// (scripts/parse-mtproto-core.ts): every method each of them sends is named.

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeTlObject, type TlJsonObject } from '../../src/core/params/decode-params.ts';
import { createRequestDescriber } from '../../src/core/params/describe-request.ts';
import { methodNameById } from '../../src/core/errors/method-names.ts';

const require = createRequire(import.meta.url);
type Builder = (this: unknown, params: Record<string, unknown>) => void;
const builders = require('@mtproto/core/src/tl/builder') as Record<string, Builder>;
const Serializer = require('@mtproto/core/src/tl/serializer') as new (fn: Builder, params: Record<string, unknown>) => { byteView: Uint8Array };
const parsers = require('@mtproto/core/src/tl/parser') as Map<number, unknown>;

const serialize = (method: string, params: Record<string, unknown>) => new Serializer(builders[method], params).byteView;
const idOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);

/**
 * The builder's methods: what it writes whose id its parser (which reads types only) does not
 * know. Each builder function starts by writing its id (`this.int32(1376532592)`).
 */
function methodIds(): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [name, fn] of Object.entries(builders)) {
    if (name.startsWith('mt_')) continue;
    const id = Number(/this\.int32\((-?\d+)\)/.exec(fn.toString())![1]) >>> 0;
    if (!parsers.has(id)) out.push([name, id]);
  }
  return out;
}

describe('older @mtproto/core releases (layers 108 to 139), read by gen-catalog from their generated code or schema', () => {
  it.each([
    ['@mtproto/core-layer-113', 338],
    ['@mtproto/core-layer-121', 350],
    ['@mtproto/core-layer-133', 397],
    ['@mtproto/core-layer-139', 419],
  ] as const)('%s: every method named', (alias, count) => {
    const builderModule = require(`${alias}/src/tl/builder`) as { default?: Record<string, Builder> };
    const olderBuilders = (builderModule.default ?? builderModule) as Record<string, Builder>;
    const parserModule = require(`${alias}/src/tl/parser`) as { default?: Map<number, unknown> };
    const olderParsers = (parserModule.default ?? parserModule) as Map<number, unknown>;
    const methods = Object.entries(olderBuilders)
      .filter(([name]) => !name.startsWith('mt_'))
      .map(([name, fn]) => [name, Number(/this\.int32\((-?\d+)\)/.exec(fn.toString())![1]) >>> 0] as const)
      .filter(([, id]) => !olderParsers.has(id));
    expect(methods).toHaveLength(count);
    expect(methods.filter(([name, id]) => methodNameById(id) !== name)).toEqual([]);
  });

  it('@mtproto/core-layer-108 (2.0.2, its schema as JSON): every API method named', () => {
    const scheme = require('@mtproto/core-layer-108/scheme/full.js') as { methodsByName: Record<string, { id: number; method: string }> };
    const api = Object.values(scheme.methodsByName).filter((m) => m.method.includes('.') || /^(invoke|init)/.test(m.method));
    expect(api.length).toBeGreaterThan(300);
    expect(api.filter((m) => methodNameById(m.id) !== m.method).map((m) => m.method)).toEqual([]);
  });

  it('layer 133 account.getChatThemes#d6d71d7b (a method no schema text has) and layer 113 contacts.block#332b49fc decode', () => {
    for (const [alias, method, params, expected] of [
      ['@mtproto/core-layer-133', 'account.getChatThemes', { hash: 77 }, { _: 'account.getChatThemes', hash: 77 }],
      [
        '@mtproto/core-layer-113',
        'contacts.block',
        { id: { _: 'inputUser', user_id: 9, access_hash: '1' } },
        { _: 'contacts.block', id: { _: 'inputUser', user_id: 9 } },
      ],
    ] as const) {
      const olderModule = require(`${alias}/src/tl/serializer`) as { default?: unknown };
      const OlderSerializer = (olderModule.default ?? olderModule) as new (fn?: Builder, params?: unknown) => { byteView: Uint8Array; offset: number };
      const builderModule = require(`${alias}/src/tl/builder`) as { default?: Record<string, Builder> };
      const olderBuilders = (builderModule.default ?? builderModule) as Record<string, Builder>;
      // 6.x writes in its constructor; 5.0 (ES modules) makes an empty buffer that the writer fills.
      let writer = new OlderSerializer(olderBuilders[method], params);
      if (writer.offset === 0) {
        writer = new OlderSerializer();
        olderBuilders[method].call(writer, params);
      }
      const bytes = writer.byteView.slice(0, writer.offset);
      expect(methodNameById(idOf(bytes))).toBe(method);
      const decoded = decodeTlObject(bytes);
      expect(decoded.complete).toBe(true);
      expect(decoded.value).toMatchObject(expected);
    }
  });
});

describe('@mtproto/core 6.3.0 (layer 158)', () => {
  it('names every one of its 510 methods', () => {
    const methods = methodIds();
    expect(methods).toHaveLength(510);
    expect(methods.filter(([name, id]) => methodNameById(id) !== name)).toEqual([]);
  });

  it('decodes the calls that meet flood and permission errors by layer 158, masking as usual', () => {
    const peer = { _: 'inputPeerUser', user_id: 42, access_hash: '5550001' };
    const media = { _: 'inputMediaGeoPoint', geo_point: { _: 'inputGeoPoint', lat: 1.5, long: 2.5 } };
    const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
      ['messages.sendMessage', { peer, message: 'hi', random_id: 5, reply_to_msg_id: 3 }, { reply_to_msg_id: 3, message: 'hi', random_id: '5' }],
      ['messages.sendMedia', { peer, media, message: 'map', random_id: 6, top_msg_id: 2 }, { top_msg_id: 2, media: { _: 'inputMediaGeoPoint' } }],
      [
        'messages.sendMultiMedia',
        { peer, multi_media: [{ _: 'inputSingleMedia', media, random_id: 7, message: 'one' }] },
        { multi_media: [{ _: 'inputSingleMedia', message: 'one' }] },
      ],
      ['messages.saveDraft', { peer, message: 'draft', reply_to_msg_id: 1 }, { reply_to_msg_id: 1, message: 'draft' }],
      ['updates.getDifference', { pts: 1, date: 2, qts: 3 }, { pts: 1, date: 2, qts: 3 }],
      ['contacts.block', { id: peer }, { id: { _: 'inputPeerUser', user_id: '42' } }],
    ];
    for (const [method, params, expected] of cases) {
      const bytes = serialize(method, params);
      expect(methodNameById(idOf(bytes)), method).toBe(method);
      const decoded = decodeTlObject(bytes);
      expect(decoded.complete, method).toBe(true);
      expect(decoded.value as TlJsonObject).toMatchObject({ _: method, ...expected });
      const described = createRequestDescriber(new Uint8Array(16).fill(1))(bytes, 0, bytes.length)!;
      expect(described.params).not.toContain('5550001'); // access_hash is masked
    }
  });
});
