import { describe, expect, it } from 'vitest';
import { CATALOG_GAPS } from '../../src/core/errors/catalog-gaps.ts';
import { lookupTemplate } from '../../src/core/errors/catalog.ts';
import { classifyRpcError } from '../../src/core/errors/classify.ts';

const ctx = { capturedAt: 0, channel: 'worker' as const, direction: 'in' as const };

describe('catalog gaps', () => {
  it('names a source for every entry and reaches the catalog', () => {
    for (const gap of CATALOG_GAPS) {
      expect(gap.source).toMatch(/\//);
      expect(lookupTemplate(gap.template)?.code).toBe(gap.code);
    }
  });

  it('gives the code only when the traffic has none, and marks it inferred', () => {
    expect(classifyRpcError({ code: null, message: 'FROZEN_METHOD_INVALID', dialect: 'weba' }, ctx, 1)).toMatchObject({
      code: 420,
      codeInferred: true,
      class: 'FLOOD',
    });
    expect(classifyRpcError({ code: null, message: 'BOOSTS_REQUIRED', dialect: 'weba' }, ctx, 1)).toMatchObject({ code: 400, codeInferred: true });
    expect(classifyRpcError({ code: null, message: 'ALLOW_PAYMENT_REQUIRED_100', dialect: 'weba' }, ctx, 1)).toMatchObject({
      code: 403,
      codeInferred: true,
      params: { stars: 100 },
    });
    expect(classifyRpcError({ code: 500, message: 'BOOSTS_REQUIRED', dialect: 'weba' }, ctx, 1)).toMatchObject({ code: 500, codeInferred: false });
  });
});
