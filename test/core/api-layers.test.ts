// Older API layers (issue 19.1): requests serialized by REAL old GramJS releases from npm
// (telegram@2.17.10 speaks layer 158, telegram@1.11.1 layer 131; installed as the pinned
// aliases telegram-layer-N that gen-catalog reads) are named and decoded by their own layer's
// definition. GramJS's writer is independent of our reader: its classes are generated from
// api.tl by GramJS's own code (tl/api.js), not by scripts/parse-tl-text.ts.

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeTlObject, type TlJsonObject } from '../../src/core/params/decode-params.ts';
import { createRequestDescriber } from '../../src/core/params/describe-request.ts';
import { tlConstructor, TL_SCHEMA_LAYER } from '../../src/core/params/tl-schema.ts';
import { methodNameById } from '../../src/core/errors/method-names.ts';

const require = createRequire(import.meta.url);

interface GramjsRequest {
  getBytes(): Buffer;
}
type GramjsApi = Record<string, any>;

/** An old GramJS release's Api namespace and its own big-integer (its longs must be its bigInts). */
function oldGramjs(alias: string): { Api: GramjsApi; big: (n: number) => unknown; layer: number } {
  const { Api } = require(alias) as { Api: GramjsApi };
  const { LAYER } = require(`${alias}/tl/AllTLObjects`) as { LAYER: number };
  const big = require(require.resolve('big-integer', { paths: [require.resolve(alias)] })) as (n: number) => unknown;
  return { Api, big, layer: LAYER };
}

const idOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);

function decoded(request: GramjsRequest): { id: number; value: TlJsonObject; complete: boolean } {
  const bytes = new Uint8Array(request.getBytes());
  const result = decodeTlObject(bytes);
  return { id: idOf(bytes), value: result.value as TlJsonObject, complete: result.complete };
}

const BOT_TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0';

describe('layer 158 (GramJS telegram@2.17.10): the calls that meet flood and permission errors', () => {
  const { Api, big, layer } = oldGramjs('telegram-layer-158');
  const peer = new Api.InputPeerUser({ userId: big(42), accessHash: big(987654321) });

  it('is the layer the issue reports, older than the newest one we read', () => {
    expect(layer).toBe(158);
    expect(TL_SCHEMA_LAYER).toBeGreaterThan(158);
  });

  it('messages.sendMessage#1cc20387: named, decoded by the layer-158 layout, text kept and secrets masked', () => {
    const request = new Api.messages.SendMessage({
      peer,
      message: `deploy with ${BOT_TOKEN}`,
      randomId: big(77),
      replyToMsgId: 10,
      topMsgId: 3,
      entities: [new Api.MessageEntityBold({ offset: 0, length: 6 })],
    });
    const { id, value, complete } = decoded(request);
    expect(id).toBe(0x1cc20387);
    expect(methodNameById(id)).toBe('messages.sendMessage');
    expect(complete).toBe(true);
    // reply_to_msg_id and top_msg_id exist only in the old layout (the newest has reply_to).
    expect(value).toMatchObject({
      _: 'messages.sendMessage',
      peer: { _: 'inputPeerUser', user_id: '42' },
      reply_to_msg_id: 10,
      top_msg_id: 3,
      random_id: '77',
    });
    expect(value.entities).toEqual([{ _: 'messageEntityBold', offset: 0, length: 6 }]);
    expect(tlConstructor(id)?.layer).toBe(158);

    const bytes = new Uint8Array(request.getBytes());
    const described = createRequestDescriber(new Uint8Array(16).fill(3))(bytes, 0, bytes.length)!;
    const params = JSON.parse(described.params) as TlJsonObject;
    expect(params._).toBe('messages.sendMessage');
    expect(String(params.message)).toMatch(/^deploy with /);
    expect(described.params).not.toContain(BOT_TOKEN);
    expect(described.params).not.toContain('987654321'); // access_hash
  });

  it('messages.sendMedia, sendMultiMedia and saveDraft of layer 158', () => {
    const media = new Api.InputMediaGeoPoint({ geoPoint: new Api.InputGeoPoint({ lat: 1.5, long: 2.5 }) });
    const sendMedia = decoded(new Api.messages.SendMedia({ peer, media, message: 'here', randomId: big(5), topMsgId: 9 }));
    expect(sendMedia.id).toBe(0x7547c966);
    expect(methodNameById(sendMedia.id)).toBe('messages.sendMedia');
    expect(sendMedia.value).toMatchObject({
      _: 'messages.sendMedia',
      top_msg_id: 9,
      message: 'here',
      media: { _: 'inputMediaGeoPoint', geo_point: { _: 'inputGeoPoint', lat: 1.5, long: 2.5 } },
    });

    const multi = decoded(
      new Api.messages.SendMultiMedia({
        peer,
        multiMedia: [
          new Api.InputSingleMedia({ media, randomId: big(6), message: 'one' }),
          new Api.InputSingleMedia({ media, randomId: big(7), message: 'two' }),
        ],
      }),
    );
    expect(multi.id).toBe(0xb6f11a1c);
    expect(methodNameById(multi.id)).toBe('messages.sendMultiMedia');
    expect((multi.value.multi_media as TlJsonObject[]).map((m) => m.message)).toEqual(['one', 'two']);

    const draft = decoded(new Api.messages.SaveDraft({ peer, message: 'draft text', replyToMsgId: 4 }));
    expect(draft.id).toBe(0xb4331e3f);
    expect(methodNameById(draft.id)).toBe('messages.saveDraft');
    expect(draft.value).toMatchObject({ _: 'messages.saveDraft', reply_to_msg_id: 4, message: 'draft text' });
    for (const d of [sendMedia, multi, draft]) expect(d.complete).toBe(true);
  });

  it('updates.getDifference#25939651 and contacts.block#68cc1411', () => {
    const diff = decoded(new Api.updates.GetDifference({ pts: 100, ptsTotalLimit: 5000, date: 1700000000, qts: 7 }));
    expect(diff.id).toBe(0x25939651);
    expect(methodNameById(diff.id)).toBe('updates.getDifference');
    expect(diff.value).toEqual({ _: 'updates.getDifference', pts: 100, pts_total_limit: 5000, date: 1700000000, qts: 7 });

    const block = decoded(new Api.contacts.Block({ id: peer }));
    expect(block.id).toBe(0x68cc1411);
    expect(methodNameById(block.id)).toBe('contacts.block');
    expect(block.value).toMatchObject({ _: 'contacts.block', id: { _: 'inputPeerUser', user_id: '42' } });
  });
});

describe('layer 131 (GramJS telegram@1.11.1): before 64-bit ids', () => {
  it('messages.sendMessage#520c3870 with an int user_id', () => {
    const { Api, big, layer } = oldGramjs('telegram-layer-131');
    expect(layer).toBe(131);
    const { id, value, complete } = decoded(
      new Api.messages.SendMessage({ peer: new Api.InputPeerUser({ userId: 42, accessHash: big(1) }), message: 'old', randomId: big(2) }),
    );
    expect(id).toBe(0x520c3870);
    expect(methodNameById(id)).toBe('messages.sendMessage');
    expect(complete).toBe(true);
    expect(value).toMatchObject({ _: 'messages.sendMessage', peer: { _: 'inputPeerUser', user_id: 42 }, message: 'old' });
  });
});
