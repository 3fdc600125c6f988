import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeRequestParams, decodeTlObject, type TlJson } from '../../src/core/params/decode-params.ts';
import { tlConstructor } from '../../src/core/params/tl-schema.ts';
import { concat, container, gzipPacked, loadSchema, tl, u32 } from '../mtproto/tl-helpers.ts';

// Random requests are built from api-schema.json and serialized by @mtcute/tl's own writer
// (an independent TL implementation); the decoder must give back exactly what was generated.

interface Arg {
  name: string;
  type: string;
  typeModifiers?: { predicate?: string; isVector?: boolean };
}
interface Entry {
  kind: string;
  name: string;
  id: number;
  type?: string;
  arguments?: Arg[];
}

const api = loadSchema('api-schema.json') as Entry[];
const classesByType = new Map<string, Entry[]>();
for (const e of api) if (e.kind === 'class') (classesByType.get(e.type!) ?? classesByType.set(e.type!, []).get(e.type!)!).push(e);
// The simplest constructor of each type ends recursion once deep enough.
const simplest = new Map<string, Entry>();
for (const [type, list] of classesByType) simplest.set(type, [...list].sort((a, b) => (a.arguments?.length ?? 0) - (b.arguments?.length ?? 0))[0]);
const methods = api.filter((e) => e.kind === 'method' && !e.name.startsWith('mtcute.') && !e.arguments?.some((a) => a.type === '!X'));

const camel = (s: string) => s.replace(/_([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());

class Rng {
  constructor(private s: number) {}
  next(n: number): number {
    this.s = (Math.imul(this.s ^ (this.s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) | 0;
    return ((this.s >>> 0) % 1_000_003) % n;
  }
}

/** [mtcute input value, expected decoded value]; null when the type cannot be generated. */
function gen(type: string, rng: Rng, depth: number): [unknown, TlJson] | null {
  switch (type) {
    case 'int': {
      const v = rng.next(1 << 30) - (1 << 29);
      return [v, v];
    }
    case 'long': {
      const v = BigInt(rng.next(1 << 30)) * 0x1_0000_0007n - 0x2_0000_0000_0000n;
      return [v, BigInt.asIntN(64, v).toString()];
    }
    case 'int53': {
      const v = rng.next(1 << 30) * 1000;
      return [v, String(v)];
    }
    case 'double': {
      const v = rng.next(10000) / 8;
      return [v, v];
    }
    case 'string': {
      const v = 'x'.repeat(rng.next(12)) + 'é';
      return [v, v];
    }
    case 'bytes': {
      const n = rng.next(300);
      return [new Uint8Array(n).fill(7), { _: 'bytes', length: n }];
    }
    case 'int128':
      return [new Uint8Array(16), { _: 'bytes', length: 16 }];
    case 'int256':
      return [new Uint8Array(32), { _: 'bytes', length: 32 }];
    case 'Bool': {
      const v = rng.next(2) === 1;
      return [v, v];
    }
  }
  const list = classesByType.get(type);
  if (!list) return null;
  const ctor = depth > 3 ? simplest.get(type)! : list[rng.next(list.length)];
  return genObject(ctor, rng, depth + 1);
}

function genObject(e: Entry, rng: Rng, depth: number): [unknown, TlJson] | null {
  const input: Record<string, unknown> = { _: e.name };
  const expected: Record<string, TlJson> = { _: e.name };
  const bits = new Map<string, boolean>();
  for (const a of e.arguments ?? []) {
    if (a.type === '#') continue;
    const pred = a.typeModifiers?.predicate;
    if (pred) {
      if (!bits.has(pred)) bits.set(pred, rng.next(2) === 1);
      if (!bits.get(pred)) continue;
    }
    if (a.type === 'true') {
      input[camel(a.name)] = true;
      expected[a.name] = true;
      continue;
    }
    if (a.typeModifiers?.isVector) {
      // An optional vector is written only when non-empty.
      const n = (pred ? 1 : 0) + rng.next(3);
      const items: unknown[] = [];
      const exp: TlJson[] = [];
      for (let i = 0; i < n; i++) {
        const g = gen(a.type, rng, depth);
        if (!g) return null;
        items.push(g[0]);
        exp.push(g[1]);
      }
      input[camel(a.name)] = items;
      expected[a.name] = exp;
      continue;
    }
    const g = gen(a.type, rng, depth);
    if (!g) return null;
    input[camel(a.name)] = g[0];
    expected[a.name] = g[1];
  }
  return [input, expected];
}

describe('decodeTlObject', () => {
  it('decodes random requests of every method exactly as generated (mtcute-serialized)', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const rng = new Rng(seed);
        const method = methods[rng.next(methods.length)];
        const g = genObject(method, rng, 0);
        if (!g) return;
        let bytes: Uint8Array;
        try {
          bytes = tl(g[0] as { _: string });
        } catch {
          return; // a combination mtcute's writer refuses
        }
        const d = decodeTlObject(bytes, { limits: { maxVectorItems: 10, maxStringLength: 100 } });
        expect(d.diagnostics).toEqual([]);
        expect(d.complete).toBe(true);
        expect(d.value).toEqual(g[1]);
        checked++;
      }),
      { numRuns: 1500 },
    );
    expect(checked).toBeGreaterThan(1000);
  });

  it('decodes invokeWithLayer(initConnection(...)) wrappers as nested queries', () => {
    const bytes = tl({
      _: 'invokeWithLayer',
      layer: 223,
      query: {
        _: 'initConnection',
        apiId: 2496,
        deviceModel: 'Chrome',
        systemVersion: 'Linux',
        appVersion: '1.0',
        systemLangCode: 'en',
        langPack: 'webk',
        langCode: 'en',
        query: { _: 'help.getConfig' },
      },
    });
    const d = decodeTlObject(bytes);
    expect(d.value).toMatchObject({ _: 'invokeWithLayer', layer: 223, query: { _: 'initConnection', api_id: 2496, query: { _: 'help.getConfig' } } });
  });

  it('stops cleanly at an unknown constructor, keeping what it read', () => {
    const good = tl({
      _: 'messages.getHistory',
      peer: { _: 'inputPeerSelf' },
      offsetId: 1,
      offsetDate: 0,
      addOffset: 0,
      limit: 20,
      maxId: 0,
      minId: 0,
      hash: 0n,
    });
    const broken = good.slice();
    broken.set(u32(0xdeadbeef), 4); // the peer's constructor
    const d = decodeTlObject(broken);
    expect(d.complete).toBe(false);
    expect(d.value).toEqual({ _: 'messages.getHistory', peer: { _: 'unknown', constructorId: '0xdeadbeef' } });
    expect(d.diagnostics[0]).toContain('unknown constructor 0xdeadbeef');
    expect(decodeTlObject(u32(0x12345678)).value).toEqual({ _: 'unknown', constructorId: '0x12345678' });
  });

  it('bounds vectors, strings, depth, object count, and never throws on junk', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => ({ _: 'inputUser', userId: BigInt(i), accessHash: 1n }));
    const d = decodeTlObject(tl({ _: 'users.getUsers', id: ids }));
    expect(d.complete).toBe(true);
    const list = (d.value as { id: TlJson[] }).id;
    expect(list).toHaveLength(21);
    expect(list[20]).toBe('… 980 more');
    const long = decodeTlObject(tl({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: 'a'.repeat(5000), randomId: 1n }));
    expect((long.value as { message: string }).message).toBe('a'.repeat(300) + '… (5000 chars)');
    expect(decodeTlObject(tl({ _: 'users.getUsers', id: ids }), { limits: { maxObjects: 100 } }).complete).toBe(false);
    const deep = decodeTlObject(tl({ _: 'messages.sendMessage', peer: { _: 'inputPeerSelf' }, message: '', randomId: 1n }), { limits: { maxDepth: 0 } });
    expect(deep.diagnostics[0]).toContain('deeper');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(0x520c3870, 0xc4f9186b, 0x1cb5c415, 0xda9b0d0d), (junk, id) => {
        const r = decodeTlObject(concat(u32(id), junk));
        expect(JSON.parse(JSON.stringify(r.value))).toEqual(r.value);
      }),
      { numRuns: 500 },
    );
  });

  it('opens gzip_packed requests, and every container item', () => {
    const req = tl({ _: 'help.getNearestDc' });
    expect(decodeTlObject(gzipPacked(tl({ _: 'auth.exportAuthorization', dcId: 4 }))).value).toEqual({ _: 'auth.exportAuthorization', dc_id: 4 });
    const items = decodeRequestParams(
      container([
        { msgId: 1n, body: req },
        { msgId: 3n, body: tl({ _: 'mt_msgs_ack', msgIds: [1n] }) },
      ]),
    );
    expect(items.map((i) => [i.msgId, (i.params.value as { _: string })._])).toEqual([
      ['1', 'help.getNearestDc'],
      ['3', 'msgs_ack'],
    ]);
    expect(decodeRequestParams(req, '9')[0]).toMatchObject({ msgId: '9', params: { complete: true } });
  });

  it('has the schema of the current layer', () => {
    expect(tlConstructor(3531600002)?.params.map((p) => p.name)).toEqual(['srp_id', 'A', 'M1']);
  });
});
