import { describe, expect, it } from 'vitest';
import { allTemplates, lookupTemplate, methodsThatThrow, SEED_TEMPLATES } from '../../src/core/errors/catalog.ts';

// Every example on the seed page (Telegram's error-handling page), under its section's code.
// FILE_PART_Х_MISSING is written as the seed writes it, with a Cyrillic Х (U+0425).
const SEED_PAGE_EXAMPLES: ReadonlyArray<readonly [string, number]> = [
  ['FILE_MIGRATE_X', 303],
  ['PHONE_MIGRATE_X', 303],
  ['NETWORK_MIGRATE_X', 303],
  ['USER_MIGRATE_X', 303],
  ['FIRSTNAME_INVALID', 400],
  ['LASTNAME_INVALID', 400],
  ['PHONE_NUMBER_INVALID', 400],
  ['PHONE_CODE_HASH_EMPTY', 400],
  ['PHONE_CODE_EMPTY', 400],
  ['PHONE_CODE_EXPIRED', 400],
  ['API_ID_INVALID', 400],
  ['PHONE_NUMBER_OCCUPIED', 400],
  ['PHONE_NUMBER_UNOCCUPIED', 400],
  ['USERS_TOO_FEW', 400],
  ['USERS_TOO_MUCH', 400],
  ['TYPE_CONSTRUCTOR_INVALID', 400],
  ['FILE_PART_INVALID', 400],
  ['FILE_PARTS_INVALID', 400],
  ['FILE_PART_\u0425_MISSING', 400],
  ['MD5_CHECKSUM_INVALID', 400],
  ['PHOTO_INVALID_DIMENSIONS', 400],
  ['FIELD_NAME_INVALID', 400],
  ['FIELD_NAME_EMPTY', 400],
  ['MSG_WAIT_FAILED', 400],
  ['AUTH_KEY_UNREGISTERED', 401],
  ['AUTH_KEY_INVALID', 401],
  ['USER_DEACTIVATED', 401],
  ['SESSION_REVOKED', 401],
  ['SESSION_EXPIRED', 401],
  ['ACTIVE_USER_REQUIRED', 401],
  ['AUTH_KEY_PERM_EMPTY', 401],
  ['FLOOD_WAIT_X', 420],
];

describe('lookupTemplate', () => {
  it('resolves every seed example to the seed entry with its code', () => {
    for (const [name, code] of SEED_PAGE_EXAMPLES) {
      const info = lookupTemplate(name);
      expect(info, name).not.toBeNull();
      expect(info!.code, name).toBe(code);
      expect(info!.source, name).toBe('seed');
      expect(info!.description, name).toBeTruthy();
    }
    expect(SEED_TEMPLATES).toHaveLength(SEED_PAGE_EXAMPLES.length);
  });

  it('normalises the seed’s Cyrillic Х to the Latin X form', () => {
    const info = lookupTemplate('FILE_PART_\u0425_MISSING');
    expect(info!.template).toBe('FILE_PART_X_MISSING');
    expect(info!.paramName).toBe('part');
    expect(info!.description).toBe('Part X (where X is a number) of the file is missing from storage');
  });

  it('keeps the seed’s wording over the catalog’s for the seed’s examples', () => {
    expect(lookupTemplate('FLOOD_WAIT_X')!.description).toBe('A wait of X seconds is required (where X is a number)');
    expect(lookupTemplate('FLOOD_WAIT_X')!.paramName).toBe('seconds');
  });

  it('serves catalog entries with X for %d', () => {
    const info = lookupTemplate('SLOWMODE_WAIT_X')!;
    expect(info).toMatchObject({ template: 'SLOWMODE_WAIT_X', code: 420, paramName: 'seconds', source: 'catalog', numbered: true });
    expect(info.description).toContain('X seconds');
    expect(lookupTemplate('SLOWMODE_WAIT_%d')!.template).toBe('SLOWMODE_WAIT_X');
    expect(lookupTemplate('PEER_ID_INVALID')).toMatchObject({ code: 400, source: 'catalog', numbered: false, paramName: null });
  });

  it('maps the catalog’s parameter names to the record’s', () => {
    expect(lookupTemplate('USER_MIGRATE_X')!.paramName).toBe('dc'); // new_dc
    expect(lookupTemplate('STATS_MIGRATE_X')!.paramName).toBe('dc');
    expect(lookupTemplate('EMAIL_UNCONFIRMED_X')!.paramName).toBe('length'); // code_length
    expect(lookupTemplate('PREVIOUS_CHAT_IMPORT_ACTIVE_WAIT_XMIN')!.paramName).toBe('minutes');
    expect(lookupTemplate('INTERDC_X_CALL_RICH_ERROR')!.paramName).toBe('dc');
  });

  it('knows the notes’ numbered forms the catalog lacks', () => {
    expect(lookupTemplate('PREMIUM_SUB_ACTIVE_UNTIL_X')).toMatchObject({ code: 420, paramName: 'until', source: 'notes' });
    expect(lookupTemplate('ALLOW_PAYMENT_REQUIRED_X')).toMatchObject({ code: 403, paramName: 'stars' });
    expect(lookupTemplate('FILE_REFERENCE_X_EXPIRED')).toMatchObject({ code: 400, paramName: 'index' });
  });

  it('knows free-text catalog names and negative codes', () => {
    expect(lookupTemplate('Timeout')!.code).toBe(-503);
    expect(lookupTemplate('Invalid msgs_ack query')!.code).toBe(-500);
  });

  it('returns null for unknown names and prototype keys', () => {
    expect(lookupTemplate('NOT_A_REAL_ERROR_NAME')).toBeNull();
    expect(lookupTemplate('constructor')).toBeNull();
    expect(lookupTemplate('__proto__')).toBeNull();
  });

  it('has a code for every template', () => {
    let count = 0;
    for (const info of allTemplates()) {
      expect(Number.isInteger(info.code)).toBe(true);
      if (info.numbered) expect(info.paramName, info.template).not.toBeNull();
      count++;
    }
    expect(count).toBeGreaterThan(500);
  });
});

describe('methodsThatThrow', () => {
  it('lists the methods documented to raise an error', () => {
    expect(methodsThatThrow('SLOWMODE_WAIT_X').length).toBeGreaterThan(0);
    expect(methodsThatThrow('SLOWMODE_WAIT_%d')).toEqual(methodsThatThrow('SLOWMODE_WAIT_X'));
    expect(methodsThatThrow('2FA_CONFIRM_WAIT_X')).toContain('account.deleteAccount');
    expect(methodsThatThrow('FIRSTNAME_INVALID')).toContain('account.updateProfile');
  });

  it('resolves methods the catalog names by constructor id', () => {
    expect(methodsThatThrow('INVITE_HASH_EXPIRED')).toContain('messages.importChatInvite');
    expect(methodsThatThrow('INVITE_HASH_EXPIRED')).not.toContain('1817183516');
  });

  it('is empty for unknown names', () => {
    expect(methodsThatThrow('NOT_A_REAL_ERROR_NAME')).toEqual([]);
    expect(methodsThatThrow('constructor')).toEqual([]);
  });
});
