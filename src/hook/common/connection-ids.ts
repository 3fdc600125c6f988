// Short connection ids, unique within the tab: frames each run their own hook, so a
// per-document random prefix keeps their counters apart.

import { mathRandom } from './natives.ts';

const documentPrefix = Math.floor(mathRandom() * 36 ** 4).toString(36);
let counter = 0;

export function nextConnectionId(kind: string): string {
  counter++;
  return `${kind}-${documentPrefix}-${counter}`;
}
