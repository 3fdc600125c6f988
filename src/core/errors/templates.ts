// Matches an error type against the catalog's templates, with the number anywhere in the name:
// FLOOD_WAIT_30 -> FLOOD_WAIT_X {seconds: 30}, INTERDC_2_CALL_ERROR -> INTERDC_X_CALL_ERROR {dc: 2}.
//
// Order: an exact name wins (MD5_CHECKSUM_INVALID, FILE_PART_0_MISSING, a literal FLOOD_WAIT_X);
// then each run of digits is tried as the placeholder (2FA_CONFIRM_WAIT_30 tries XFA_CONFIRM_WAIT_30,
// then 2FA_CONFIRM_WAIT_X); then names in no table are read by their form (*_MIGRATE_N -> dc, ...).
// Lookups are Map hits on strings built by a character scan; results are cached per type.

import { lookupTemplate, normaliseTemplateName, type TemplateInfo } from './catalog.ts';
import type { ErrorParams, ParamName } from '../record.ts';

export interface TemplateMatch {
  /** The template (`FLOOD_WAIT_X`); for a derived match, the name with X for its number. */
  readonly template: string;
  /** The table entry, or null when the template was derived from the name's form. */
  readonly info: TemplateInfo | null;
  readonly paramName: ParamName | null;
  /** The number in the name, or null (literal X, or too large to be a safe integer). */
  readonly value: number | null;
  /** Frozen; copy before handing it out. */
  readonly params: Readonly<ErrorParams>;
  /** True when the template and the number's meaning come from the name's form, not a table. */
  readonly derived: boolean;
}

const NO_PARAMS: Readonly<ErrorParams> = Object.freeze({});

/** Forms read from names in no table: [how the X-template ends, what X is]. */
const DERIVED_SUFFIXES: ReadonlyArray<readonly [string, ParamName]> = [
  ['_MIGRATE_X', 'dc'],
  ['_WAIT_XMIN', 'minutes'],
  ['_WAIT_X', 'seconds'],
  ['_DELAY_X', 'seconds'],
  ['_TOO_FRESH_X', 'seconds'],
  ['_TOO_EARLY_X', 'seconds'],
  ['_FLOOD_WEEKLY_X', 'seconds'],
  ['_FLOOD_MONTHLY_X', 'seconds'],
  ['_UNTIL_X', 'until'],
  ['_PAYMENT_REQUIRED_X', 'stars'],
  ['_UNCONFIRMED_X', 'length'],
];
const DERIVED_PREFIXES: ReadonlyArray<readonly [string, ParamName]> = [
  ['INTERDC_X_', 'dc'],
  ['FILE_PART_X_', 'part'],
  ['FILE_REFERENCE_X_', 'index'],
];

function derivedParam(template: string): ParamName | null {
  for (const [suffix, param] of DERIVED_SUFFIXES) if (template.endsWith(suffix)) return param;
  for (const [prefix, param] of DERIVED_PREFIXES) if (template.startsWith(prefix)) return param;
  return null;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function makeMatch(template: string, info: TemplateInfo | null, paramName: ParamName | null, digits: string | null, derived: boolean): TemplateMatch {
  let value: number | null = null;
  if (digits !== null) {
    const n = Number(digits);
    if (Number.isSafeInteger(n)) value = n;
  }
  const params = paramName !== null && value !== null ? Object.freeze({ [paramName]: value } as ErrorParams) : NO_PARAMS;
  return Object.freeze({ template, info, paramName, value, params, derived });
}

function matchUncached(rawType: string): TemplateMatch | null {
  const type = normaliseTemplateName(rawType);
  const exact = lookupTemplate(type);
  if (exact !== null) return makeMatch(exact.template, exact, exact.paramName, null, false);

  // Each maximal run of digits, left to right, as the placeholder.
  const candidates: Array<[template: string, digits: string]> = [];
  for (let i = 0; i < type.length; i++) {
    if (!isDigit(type.charCodeAt(i))) continue;
    let end = i + 1;
    while (end < type.length && isDigit(type.charCodeAt(end))) end++;
    const template = type.slice(0, i) + 'X' + type.slice(end);
    const info = lookupTemplate(template);
    const digits = type.slice(i, end);
    if (info !== null && info.numbered) return makeMatch(info.template, info, info.paramName, digits, false);
    candidates.push([template, digits]);
    i = end;
  }

  // A name no table knows: read its form, rightmost number first (suffix forms end with it).
  for (let k = candidates.length - 1; k >= 0; k--) {
    const [template, digits] = candidates[k];
    const param = derivedParam(template);
    if (param !== null) return makeMatch(template, null, param, digits, true);
  }
  return null;
}

const MAX_CACHED_TYPES = 8192;
const cache = new Map<string, TemplateMatch | null>();

/**
 * The template a type matches and the number it carries, or null when the type is in no table
 * and has no recognisable numbered form. Accepts the Cyrillic Х and `%d` placeholders too.
 */
export function matchTemplate(type: string): TemplateMatch | null {
  const cached = cache.get(type);
  if (cached !== undefined) return cached;
  const match = matchUncached(type);
  if (cache.size >= MAX_CACHED_TYPES) cache.clear();
  cache.set(type, match);
  return match;
}
