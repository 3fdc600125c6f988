// The generated layer tables (scripts/gen-catalog.ts, issue 19.1): one name per id, every id of
// every real GramJS release we read named (its classes come from GramJS's own api.tl parser, not
// ours), the coverage docs/api-layers.md lists equal to what was generated, and the schema
// packages pinned.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import schema from '../../src/core/generated/tl-schema.json' with { type: 'json' };
import methods from '../../src/core/generated/methods.json' with { type: 'json' };
import coverage from '../../src/core/generated/api-layers.json' with { type: 'json' };
import { tlConstructor } from '../../src/core/params/tl-schema.ts';
import { methodNameById } from '../../src/core/errors/method-names.ts';
import { loadLayerSchemas } from '../../scripts/api-layer-sources.ts';

const require = createRequire(import.meta.url);
const table = schema as unknown as { layer: number; c: Record<string, string>; o: Array<[number, Record<string, string>]> };
const nameOf = (text: string) => text.slice(0, text.indexOf('|'));
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { devDependencies: Record<string, string> };

describe('generated layer tables', () => {
  it('every id appears once, in the newest layer that has it, with one name; method names agree', () => {
    const seen = new Map<string, string>();
    for (const group of [table.c, ...table.o.map(([, g]) => g)]) {
      for (const [id, text] of Object.entries(group)) {
        expect(seen.has(id), `id ${id} listed twice`).toBe(false);
        seen.set(id, nameOf(text));
      }
    }
    for (const [id, name] of Object.entries(methods as Record<string, string>)) expect(seen.get(id), `method ${id}`).toBe(name);
    // Groups newest first, all older than the current layer.
    const layers = table.o.map(([layer]) => layer);
    expect(layers).toEqual([...layers].sort((a, b) => b - a));
    expect(layers.every((l) => l < table.layer)).toBe(true);
    expect(seen.size).toBe(coverage.ids);
  });

  // Telegram leaves `flags.N?true` parameters out of a combinator's id, so a later layer may add one
  // and keep the id: such an id is decoded by its newest definition (the same bytes on the wire).
  // @mtproto/core's generated code keeps no type names for boxed values ('Object'): the wire
  // layout of a definition is its parameters without those, with every boxed type alike.
  const PRIMITIVES = new Set(['#', 'int', 'long', 'double', 'string', 'bytes', 'int128', 'int256']);
  const wire = (params: string[]) =>
    params
      .filter((p) => !p.endsWith('true'))
      .map((p) => p.replace(/(Vector|vector)?([\w.!]+)$/, (_, v: string | undefined, t: string) => `${v ?? ''}${PRIMITIVES.has(t) ? t : 'Boxed'}`));

  it('every definition of every layer read comes back whole (older ones are stored as references to the newest)', () => {
    const layers = loadLayerSchemas(new URL('../../package.json', import.meta.url).pathname);
    const exact = new Set<number>();
    const wrong: string[] = [];
    for (const { layer, entries } of layers) {
      for (const e of entries) {
        const ours = tlConstructor(e.id);
        // mtcute's own helpers; its older schemas also list `invokeWith...Prefix` twins of real ids.
        if (e.name.startsWith('mtcute.') || (e.name.endsWith('Prefix') && ours?.name === e.name.slice(0, -6))) continue;
        const expected = (e.arguments ?? []).map((a) => {
          const m = a.typeModifiers ?? {};
          return `${a.name}:${m.predicate ?? ''}${m.isVector ? 'Vector' : m.isBareVector ? 'vector' : ''}${a.type === 'int53' ? 'long' : a.type}`;
        });
        const got = (ours?.params ?? []).map((p) => `${p.name}:${p.flagField === null ? '' : `${p.flagField}.${p.flagBit}`}${p.vector ?? ''}${p.type}`);
        const stored = ours?.layer === layer;
        if (stored) exact.add(e.id >>> 0);
        const same = stored ? JSON.stringify(got) === JSON.stringify(expected) : JSON.stringify(wire(got)) === JSON.stringify(wire(expected));
        if (!same) wrong.push(`${layer} ${e.name}#${(e.id >>> 0).toString(16)} (stored from ${ours?.layer})`);
      }
    }
    expect(wrong).toEqual([]);
    // Every older-layer id was compared with the very definition it was stored from.
    const olderIds = table.o.flatMap(([, group]) => Object.keys(group).map(Number));
    expect(olderIds.filter((id) => !exact.has(id))).toEqual([]);
    expect(exact.size).toBeGreaterThan(3000);
  });

  const gramjsStyle = Object.keys(packageJson.devDependencies).filter((n) => n === 'telegram' || /^(telegram|teleproto)-layer-\d+$/.test(n));

  it('the schema packages are pinned, one per layer alias', () => {
    expect(gramjsStyle.length).toBeGreaterThanOrEqual(20);
    for (const name of gramjsStyle.filter((n) => n !== 'telegram'))
      expect(packageJson.devDependencies[name]).toMatch(/^npm:(telegram|teleproto)@\d+\.\d+\.\d+$/);
  });

  // GramJS names classes in camelCase ('messages.SendMessage', 'MsgsAck' for msgs_ack). Telegram's
  // newest schema renamed a few retired constructors '...Legacy' (inputPeerPhotoFileLocation#27d69997):
  // an id is named by its newest definition.
  const bare = (name: string) => name.replace(/_/g, '').toLowerCase();
  const sameName = (gramjs: string, ours: string) => bare(gramjs) === bare(ours) || `${bare(gramjs)}legacy` === bare(ours);

  it.each(gramjsStyle)('every constructor and method of %s is named, methods by the method table', (alias) => {
    require(alias); // the package's index wires its tl objects up before AllTLObjects can be read alone
    const { tlobjects, LAYER } = require(`${alias}/tl/AllTLObjects`) as { LAYER: number; tlobjects: Record<string, { className: string; classType: string }> };
    expect(coverage.layers.some((l) => l.layer === LAYER)).toBe(true);
    const unnamed: string[] = [];
    let requests = 0;
    for (const [id, cls] of Object.entries(tlobjects)) {
      // GramJS's description of its fake-TLS ClientHello (schema.tl lines without an id): never TL on the wire.
      if (cls.className.startsWith('Tls')) continue;
      const ours = tlConstructor(Number(id));
      if (!ours || !sameName(cls.className, ours.name)) unnamed.push(`${cls.className}#${Number(id).toString(16)}`);
      if (cls.classType === 'request') {
        requests++;
        if (!methodNameById(Number(id))) unnamed.push(`method ${cls.className}`);
      }
    }
    expect(requests).toBeGreaterThan(300);
    expect(unnamed).toEqual([]);
  });
});

describe('docs/api-layers.md', () => {
  it('lists exactly the layers and sources gen-catalog read', () => {
    const doc = readFileSync(new URL('../../docs/api-layers.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+) \| `([^`]+)` \| ([^|`]+?) \| (all \d+|\d+) \|$/gm)].map((m) => ({
      layer: Number(m[1]),
      source: m[2],
      format: m[3],
      newIds: m[4].startsWith('all') ? null : Number(m[4]),
    }));
    expect(rows).toEqual(coverage.layers.map(({ layer, source, format, newIds }) => ({ layer, source, format, newIds })));
    expect(rows.at(-1)!.layer).toBeLessThanOrEqual(133);
  });
});
