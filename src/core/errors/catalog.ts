// The error catalog: Telegram's errors as shipped by @mtcute/tl (generated tables, see
// scripts/gen-catalog.ts), the examples on the seed page (Telegram's error-handling page, with its
// own wording) and the numbered forms the notes list that the catalog lacks. Everything is keyed by
// template: the error name with `X` where the number goes (`FLOOD_WAIT_X`).

import type { ParamName } from '../record.ts';
import generatedErrors from '../generated/errors.json' with { type: 'json' };
import generatedThrows from '../generated/throws.json' with { type: 'json' };
import { CATALOG_GAPS } from './catalog-gaps.ts';

export type TemplateSource = 'catalog' | 'seed' | 'notes';

export interface TemplateInfo {
  /** Error name with `X` for the number (`FLOOD_WAIT_X`), or the plain name. */
  readonly template: string;
  readonly code: number;
  /** Human-readable description, `X` where the number goes; null when no source has one. */
  readonly description: string | null;
  /** The raw catalog description with `%d` for the number (for substituting the value). */
  readonly descriptionPattern: string | null;
  /** What the number in the name stands for; null for names without a placeholder. */
  readonly paramName: ParamName | null;
  /** True when the template has a placeholder for a number. */
  readonly numbered: boolean;
  readonly source: TemplateSource;
}

type GeneratedError = [code: number, description: string | null, paramName?: string];

/** The catalog's `_paramNames` spelled the way ErrorRecord.params spells them. */
const CATALOG_PARAM_NAMES: Readonly<Record<string, ParamName>> = {
  seconds: 'seconds',
  minutes: 'minutes',
  dc: 'dc',
  new_dc: 'dc',
  which: 'part',
  part: 'part',
  code_length: 'length',
  length: 'length',
  until: 'until',
  index: 'index',
  stars: 'stars',
};

/**
 * Numbered forms and what X means (from the notes on error catalogs). Used to name the parameter
 * when the catalog does not, and to know forms the catalog lacks (those get source 'notes').
 */
const NUMBERED_FORMS: ReadonlyArray<readonly [template: string, code: number, param: ParamName]> = [
  ['FLOOD_WAIT_X', 420, 'seconds'],
  ['FLOOD_PREMIUM_WAIT_X', 420, 'seconds'],
  ['FLOOD_TEST_PHONE_WAIT_X', 420, 'seconds'],
  ['SLOWMODE_WAIT_X', 420, 'seconds'],
  ['TAKEOUT_INIT_DELAY_X', 420, 'seconds'],
  ['2FA_CONFIRM_WAIT_X', 420, 'seconds'],
  ['PASSWORD_TOO_FRESH_X', 400, 'seconds'],
  ['SESSION_TOO_FRESH_X', 400, 'seconds'],
  ['STORY_SEND_FLOOD_WEEKLY_X', 400, 'seconds'],
  ['STORY_SEND_FLOOD_MONTHLY_X', 400, 'seconds'],
  ['STARGIFT_RESELL_TOO_EARLY_X', 400, 'seconds'],
  ['STARGIFT_TRANSFER_TOO_EARLY_X', 400, 'seconds'],
  ['FILE_MIGRATE_X', 303, 'dc'],
  ['PHONE_MIGRATE_X', 303, 'dc'],
  ['NETWORK_MIGRATE_X', 303, 'dc'],
  ['USER_MIGRATE_X', 303, 'dc'],
  ['STATS_MIGRATE_X', 303, 'dc'],
  ['INTERDC_X_CALL_ERROR', 500, 'dc'],
  ['INTERDC_X_CALL_RICH_ERROR', 500, 'dc'],
  ['PREVIOUS_CHAT_IMPORT_ACTIVE_WAIT_XMIN', 406, 'minutes'],
  ['PREMIUM_SUB_ACTIVE_UNTIL_X', 420, 'until'],
  ['FILE_PART_X_MISSING', 400, 'part'],
  ['FILE_REFERENCE_X_EXPIRED', 400, 'index'],
  ['FILE_REFERENCE_X_INVALID', 400, 'index'],
  ['FILE_REFERENCE_X_EMPTY', 400, 'index'],
  ['EMAIL_UNCONFIRMED_X', 400, 'length'],
  ['ALLOW_PAYMENT_REQUIRED_X', 403, 'stars'],
];

/**
 * The examples on the seed page (core.telegram.org/api/errors), in its wording. Its
 * `FILE_PART_Х_MISSING` is written with a Cyrillic Х; here it is the Latin X form.
 */
const SEED_EXAMPLES: ReadonlyArray<readonly [template: string, code: number, description: string]> = [
  ['FILE_MIGRATE_X', 303, 'the file to be accessed is currently stored in a different data center.'],
  ['PHONE_MIGRATE_X', 303, 'the phone number a user is trying to use for authorization is associated with a different data center.'],
  ['NETWORK_MIGRATE_X', 303, 'the source IP address is associated with a different data center (for registration)'],
  ['USER_MIGRATE_X', 303, 'the user whose identity is being used to execute queries is associated with a different data center (for registration)'],
  ['FIRSTNAME_INVALID', 400, 'The first name is invalid'],
  ['LASTNAME_INVALID', 400, 'The last name is invalid'],
  ['PHONE_NUMBER_INVALID', 400, 'The phone number is invalid'],
  ['PHONE_CODE_HASH_EMPTY', 400, 'phone_code_hash is missing'],
  ['PHONE_CODE_EMPTY', 400, 'phone_code is missing'],
  ['PHONE_CODE_EXPIRED', 400, 'The confirmation code has expired'],
  ['API_ID_INVALID', 400, 'The api_id/api_hash combination is invalid'],
  ['PHONE_NUMBER_OCCUPIED', 400, 'The phone number is already in use'],
  ['PHONE_NUMBER_UNOCCUPIED', 400, 'The phone number is not yet being used'],
  ['USERS_TOO_FEW', 400, 'Not enough users (to create a chat, for example)'],
  ['USERS_TOO_MUCH', 400, 'The maximum number of users has been exceeded (to create a chat, for example)'],
  ['TYPE_CONSTRUCTOR_INVALID', 400, 'The type constructor is invalid'],
  ['FILE_PART_INVALID', 400, 'The file part number is invalid'],
  ['FILE_PARTS_INVALID', 400, 'The number of file parts is invalid'],
  ['FILE_PART_X_MISSING', 400, 'Part X (where X is a number) of the file is missing from storage'],
  ['MD5_CHECKSUM_INVALID', 400, 'The MD5 checksums do not match'],
  ['PHOTO_INVALID_DIMENSIONS', 400, 'The photo dimensions are invalid'],
  ['FIELD_NAME_INVALID', 400, 'The field with the name FIELD_NAME is invalid'],
  ['FIELD_NAME_EMPTY', 400, 'The field with the name FIELD_NAME is missing'],
  ['MSG_WAIT_FAILED', 400, 'A waiting call returned an error'],
  ['AUTH_KEY_UNREGISTERED', 401, 'The key is not registered in the system'],
  ['AUTH_KEY_INVALID', 401, 'The key is invalid'],
  ['USER_DEACTIVATED', 401, 'The user has been deleted/deactivated'],
  ['SESSION_REVOKED', 401, 'The authorization has been invalidated, because of the user terminating all sessions'],
  ['SESSION_EXPIRED', 401, 'The authorization has expired'],
  ['ACTIVE_USER_REQUIRED', 401, 'The method is only available to already activated users'],
  ['AUTH_KEY_PERM_EMPTY', 401, 'The method is unavailble for temporary authorization key, not bound to permanent'],
  ['FLOOD_WAIT_X', 420, 'A wait of X seconds is required (where X is a number)'],
];

/** The seed's templates, in its order (for tests and documentation). */
export const SEED_TEMPLATES: readonly string[] = SEED_EXAMPLES.map(([template]) => template);

const CYRILLIC_KHA = '\u0425';

/** `%d` (catalog) and the seed's Cyrillic `Х` both become the Latin `X` placeholder. */
export function normaliseTemplateName(name: string): string {
  let out = name;
  if (out.includes('%d')) out = out.replaceAll('%d', 'X');
  if (out.includes(CYRILLIC_KHA)) out = out.replaceAll(CYRILLIC_KHA, 'X');
  return out;
}

const templates = new Map<string, TemplateInfo>();
/** template -> the catalog's own key (`FLOOD_WAIT_X` -> `FLOOD_WAIT_%d`) for the throws table. */
const catalogKeyByTemplate = new Map<string, string>();

function buildTables(): void {
  const notesParam = new Map<string, readonly [string, number, ParamName]>();
  for (const form of NUMBERED_FORMS) notesParam.set(form[0], form);

  for (const [name, entry] of Object.entries(generatedErrors as unknown as Record<string, GeneratedError>)) {
    const [code, descriptionPattern, rawParam] = entry;
    const numbered = name.includes('%d');
    const template = normaliseTemplateName(name);
    const paramName = numbered
      ? ((rawParam !== undefined && Object.hasOwn(CATALOG_PARAM_NAMES, rawParam) ? CATALOG_PARAM_NAMES[rawParam] : undefined) ??
        notesParam.get(template)?.[2] ??
        null)
      : null;
    templates.set(template, {
      template,
      code,
      description: descriptionPattern === null ? null : descriptionPattern.replaceAll('%d', 'X'),
      descriptionPattern,
      paramName,
      numbered,
      source: 'catalog',
    });
    catalogKeyByTemplate.set(template, name);
  }

  for (const [template, code, paramName] of NUMBERED_FORMS) {
    if (templates.has(template)) continue;
    templates.set(template, { template, code, description: null, descriptionPattern: null, paramName, numbered: true, source: 'notes' });
  }

  // Names the clients meet that no catalog lists (catalog-gaps.ts names the source of each).
  for (const gap of CATALOG_GAPS) {
    if (templates.has(gap.template)) continue;
    const numbered = gap.paramName !== null;
    templates.set(gap.template, {
      template: gap.template,
      code: gap.code,
      description: null,
      descriptionPattern: null,
      paramName: gap.paramName,
      numbered,
      source: 'notes',
    });
  }

  // The seed's wording wins over the catalog's for the seed's own examples.
  for (const [template, code, description] of SEED_EXAMPLES) {
    const known = templates.get(template);
    const numbered = template.endsWith('_X') || template.includes('_X_');
    templates.set(template, {
      template,
      code,
      description,
      descriptionPattern: null,
      paramName: known?.paramName ?? notesParam.get(template)?.[2] ?? null,
      numbered: known?.numbered ?? numbered,
      source: 'seed',
    });
  }
}

buildTables();

/**
 * The catalog entry for a template (`FLOOD_WAIT_X`), a plain name (`PEER_ID_INVALID`) or one of
 * the catalog's free-text names (`Timeout`). Placeholders may be written X, Cyrillic Х or %d.
 * Does not match numbers (`FLOOD_WAIT_30`); templates.ts does that.
 */
export function lookupTemplate(type: string): TemplateInfo | null {
  const direct = templates.get(type);
  if (direct !== undefined) return direct;
  if (type.includes('%d') || type.includes(CYRILLIC_KHA)) return templates.get(normaliseTemplateName(type)) ?? null;
  return null;
}

const NO_METHODS: readonly string[] = Object.freeze([]);

/** Methods documented to raise the error with this template (empty when none is documented). */
export function methodsThatThrow(template: string): readonly string[] {
  const normalised = normaliseTemplateName(template);
  const key = catalogKeyByTemplate.get(normalised) ?? normalised;
  // hasOwn: a type such as `constructor` must not reach Object.prototype.
  const table = generatedThrows as Record<string, string[]>;
  return Object.hasOwn(table, key) ? table[key] : NO_METHODS;
}

/** Every known template (catalog, notes and seed), for tests and tooling. */
export function allTemplates(): IterableIterator<TemplateInfo> {
  return templates.values();
}
