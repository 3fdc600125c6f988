// Error names the @mtcute/tl catalog lacks but the web clients meet, with the code each is
// known to carry and where that is written. Only used when the traffic carries no code (Web A
// sends error texts without one): a code taken from here is always marked inferred.

import type { ParamName } from '../record.ts';

export interface CatalogGap {
  /** Name with X for the number, as the catalog writes templates. */
  readonly template: string;
  readonly code: number;
  readonly paramName: ParamName | null;
  /** Where the code is written (repository, file, commit). */
  readonly source: string;
}

export const CATALOG_GAPS: readonly CatalogGap[] = [
  {
    template: 'FROZEN_METHOD_INVALID',
    code: 420,
    paramName: null,
    source:
      'morethanwords/tweb src/lib/appManagers/apiManager.ts @4940a831 (its 420 branch excludes it by name); ' +
      'Ajaxy/telegram-tt src/api/gramjs/methods/client.ts (notSupportedInFrozenAccount update)',
  },
  {
    template: 'BOOSTS_REQUIRED',
    code: 400,
    paramName: null,
    source:
      'mtcute/mtcute packages/core/src/highlevel/methods/stories/can-send-story.ts (maps it to need_boosts); Telegram method page stories.canSendStory (400)',
  },
  {
    template: 'ALLOW_PAYMENT_REQUIRED_X',
    code: 403,
    paramName: 'stars',
    source: 'morethanwords/tweb src/lib/appManagers/utils/repayRequestHandler.ts @5ad0183a (canHandleError: code 403, ALLOW_PAYMENT_REQUIRED_)',
  },
  {
    template: 'FLOOD_PREMIUM_WAIT_X',
    code: 420,
    paramName: 'seconds',
    source:
      'morethanwords/tweb src/lib/appManagers/apiManager.ts @4940a831 (420 branch, file_speed_limited); ' +
      'Ajaxy/telegram-tt src/lib/gramjs/errors/RPCErrorList.ts @319c0396 (FloodPremiumWaitError extends FloodError, 420)',
  },
];

const byTemplate = new Map<string, CatalogGap>(CATALOG_GAPS.map((gap) => [gap.template, gap]));

/** The gap entry for a template, or null when the name is not one of ours. */
export function catalogGap(template: string): CatalogGap | null {
  return byTemplate.get(template) ?? null;
}
