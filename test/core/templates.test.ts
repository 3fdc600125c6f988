import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { matchTemplate } from '../../src/core/errors/templates.ts';
import type { ParamName } from '../../src/core/record.ts';

// The notes' table of numbered forms: an example with a number, its template, what X means.
const NUMBERED_EXAMPLES: ReadonlyArray<readonly [string, string, ParamName, number]> = [
  ['FLOOD_WAIT_30', 'FLOOD_WAIT_X', 'seconds', 30],
  ['FLOOD_PREMIUM_WAIT_7', 'FLOOD_PREMIUM_WAIT_X', 'seconds', 7],
  ['FLOOD_TEST_PHONE_WAIT_60', 'FLOOD_TEST_PHONE_WAIT_X', 'seconds', 60],
  ['SLOWMODE_WAIT_15', 'SLOWMODE_WAIT_X', 'seconds', 15],
  ['TAKEOUT_INIT_DELAY_86400', 'TAKEOUT_INIT_DELAY_X', 'seconds', 86400],
  ['2FA_CONFIRM_WAIT_30', '2FA_CONFIRM_WAIT_X', 'seconds', 30],
  ['PASSWORD_TOO_FRESH_3600', 'PASSWORD_TOO_FRESH_X', 'seconds', 3600],
  ['SESSION_TOO_FRESH_1800', 'SESSION_TOO_FRESH_X', 'seconds', 1800],
  ['STORY_SEND_FLOOD_WEEKLY_100', 'STORY_SEND_FLOOD_WEEKLY_X', 'seconds', 100],
  ['STORY_SEND_FLOOD_MONTHLY_200', 'STORY_SEND_FLOOD_MONTHLY_X', 'seconds', 200],
  ['STARGIFT_RESELL_TOO_EARLY_50', 'STARGIFT_RESELL_TOO_EARLY_X', 'seconds', 50],
  ['STARGIFT_TRANSFER_TOO_EARLY_51', 'STARGIFT_TRANSFER_TOO_EARLY_X', 'seconds', 51],
  ['FILE_MIGRATE_2', 'FILE_MIGRATE_X', 'dc', 2],
  ['PHONE_MIGRATE_4', 'PHONE_MIGRATE_X', 'dc', 4],
  ['NETWORK_MIGRATE_1', 'NETWORK_MIGRATE_X', 'dc', 1],
  ['USER_MIGRATE_5', 'USER_MIGRATE_X', 'dc', 5],
  ['STATS_MIGRATE_3', 'STATS_MIGRATE_X', 'dc', 3],
  ['INTERDC_2_CALL_ERROR', 'INTERDC_X_CALL_ERROR', 'dc', 2],
  ['INTERDC_3_CALL_RICH_ERROR', 'INTERDC_X_CALL_RICH_ERROR', 'dc', 3],
  ['PREVIOUS_CHAT_IMPORT_ACTIVE_WAIT_5MIN', 'PREVIOUS_CHAT_IMPORT_ACTIVE_WAIT_XMIN', 'minutes', 5],
  ['PREMIUM_SUB_ACTIVE_UNTIL_1700000000', 'PREMIUM_SUB_ACTIVE_UNTIL_X', 'until', 1700000000],
  ['FILE_PART_7_MISSING', 'FILE_PART_X_MISSING', 'part', 7],
  ['FILE_REFERENCE_2_EXPIRED', 'FILE_REFERENCE_X_EXPIRED', 'index', 2],
  ['FILE_REFERENCE_0_INVALID', 'FILE_REFERENCE_X_INVALID', 'index', 0],
  ['FILE_REFERENCE_9_EMPTY', 'FILE_REFERENCE_X_EMPTY', 'index', 9],
  ['EMAIL_UNCONFIRMED_6', 'EMAIL_UNCONFIRMED_X', 'length', 6],
  ['ALLOW_PAYMENT_REQUIRED_10', 'ALLOW_PAYMENT_REQUIRED_X', 'stars', 10],
];

describe('matchTemplate', () => {
  it('matches every numbered form of the notes', () => {
    for (const [type, template, param, value] of NUMBERED_EXAMPLES) {
      const match = matchTemplate(type);
      expect(match, type).not.toBeNull();
      expect(match!.template, type).toBe(template);
      expect(match!.params, type).toEqual({ [param]: value });
      expect(match!.derived, type).toBe(false);
    }
  });

  it('lets an exact name win over a placeholder form', () => {
    expect(matchTemplate('MD5_CHECKSUM_INVALID')).toMatchObject({ template: 'MD5_CHECKSUM_INVALID', params: {} });
    expect(matchTemplate('SHA256_HASH_INVALID')).toMatchObject({ template: 'SHA256_HASH_INVALID', params: {} });
    expect(matchTemplate('AUTH_TOKEN_INVALID2')).toMatchObject({ template: 'AUTH_TOKEN_INVALID2', params: {} });
    expect(matchTemplate('FILE_PART_0_MISSING')).toMatchObject({ template: 'FILE_PART_0_MISSING', params: {} });
    expect(matchTemplate('AUTH_KEY_UNREGISTERED')).toMatchObject({ template: 'AUTH_KEY_UNREGISTERED', params: {} });
  });

  it('resolves literal placeholders to the template with no parameter', () => {
    expect(matchTemplate('FLOOD_WAIT_X')).toMatchObject({ template: 'FLOOD_WAIT_X', params: {}, value: null, paramName: 'seconds' });
    expect(matchTemplate('FILE_PART_\u0425_MISSING')).toMatchObject({ template: 'FILE_PART_X_MISSING', params: {}, value: null });
    expect(matchTemplate('PREVIOUS_CHAT_IMPORT_ACTIVE_WAIT_XMIN')).toMatchObject({ params: {}, paramName: 'minutes' });
  });

  it('derives the meaning of the number from the form of unknown names', () => {
    const cases: ReadonlyArray<readonly [string, string, ParamName, number]> = [
      ['CDN_MIGRATE_4', 'CDN_MIGRATE_X', 'dc', 4],
      ['REACTION_WAIT_12', 'REACTION_WAIT_X', 'seconds', 12],
      ['EXPORT_DELAY_99', 'EXPORT_DELAY_X', 'seconds', 99],
      ['TOKEN_TOO_FRESH_5', 'TOKEN_TOO_FRESH_X', 'seconds', 5],
      ['GIFT_TOO_EARLY_6', 'GIFT_TOO_EARLY_X', 'seconds', 6],
      ['IMPORT_WAIT_3MIN', 'IMPORT_WAIT_XMIN', 'minutes', 3],
      ['BOOST_ACTIVE_UNTIL_1800000000', 'BOOST_ACTIVE_UNTIL_X', 'until', 1800000000],
      ['3D_FLOOD_WAIT_8', '3D_FLOOD_WAIT_X', 'seconds', 8],
    ];
    for (const [type, template, param, value] of cases) {
      const match = matchTemplate(type);
      expect(match, type).toMatchObject({ template, params: { [param]: value }, derived: true, info: null });
    }
  });

  it('does not read numbers that are part of a word', () => {
    expect(matchTemplate('SHA512_HASH_INVALID')).toBeNull();
    expect(matchTemplate('MD4_CHECKSUM_INVALID')).toBeNull();
    expect(matchTemplate('WAIT5')).toBeNull();
    expect(matchTemplate('PEER_ID_INVALID')).toMatchObject({ params: {} });
  });

  it('keeps the template but drops numbers too large to be exact', () => {
    const match = matchTemplate('FLOOD_WAIT_123456789012345678901234567890');
    expect(match).toMatchObject({ template: 'FLOOD_WAIT_X', params: {}, value: null });
  });

  it('returns frozen results so cached params cannot be changed', () => {
    const match = matchTemplate('FLOOD_WAIT_31')!;
    expect(Object.isFrozen(match.params)).toBe(true);
  });

  it('never throws on arbitrary upper-case types', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z_0-9]{1,60}$/), (type) => {
        const match = matchTemplate(type);
        if (match !== null && match.value !== null) expect(type).toContain(String(match.value).slice(0, 1));
      }),
      { numRuns: 3000 },
    );
  });
});
