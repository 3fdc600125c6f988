// Who the samples of a V8 CPU profile (CDP Profiler.stop) belong to, by script URL.
//
// A sample's owner is its innermost frame that has a script URL: frames without one
// (builtins, DOM methods, natives) count for the script that called them. So the page's
// onmessage handler, which our hook's wrapper calls, counts for the page, and the content
// script's listener, which the hook's synchronous CustomEvent calls, counts for the content
// script. `(program)` (the browser's own work outside JavaScript: the network, event
// dispatch) and `(garbage collector)` are owners of their own; `(idle)` is left out of the
// total. Beside, `hookAnywhere`: samples with a hook frame anywhere in the stack (so the
// page's handler under our wrapper counts too), the upper bound.
//
// With `forwardedToPage`, a native that one of the hook's Proxy traps (`apply`, `construct`)
// calls directly (the page's own call passing through the wrapper: its `send`, its
// `new Response(blob).arrayBuffer()` read) counts for the page, as it would without the hook,
// and is also summed in `forwarded`; the trap's own work stays the hook's. Natives the traps
// call for themselves (WeakMap get/set, then) are told apart by name and stay the hook's.

/** Natives the hook's traps call for their own work (not the page's forwarded call). */
const TRAP_OWN_NATIVES = new Set([
  'get',
  'set',
  'has',
  'delete',
  'then',
  'call',
  'apply',
  'bind',
  'construct',
  'defineProperty',
  'getOwnPropertyDescriptor',
  'now',
]);

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string }; children?: number[] }>;
  samples: number[];
  /** Microseconds since the previous sample. */
  timeDeltas: number[];
}

export type Owner = 'hook' | 'content' | 'page' | 'program' | 'gc' | 'other';

export interface Attribution {
  /** Non-idle samples, by owner, and their total. */
  samples: Record<Owner, number>;
  total: number;
  /** Non-idle samples with a hook frame anywhere in the stack. */
  hookAnywhere: number;
  /** The same in microseconds (each sample weighs the time since the one before). */
  micros: Record<Owner, number>;
  totalMicros: number;
  /** Samples (and µs) of the page's own calls forwarded by the hook's traps, counted for the page (with `forwardedToPage`). */
  forwarded: number;
  forwardedMicros: number;
  /** Idle samples, and all samples. */
  idle: number;
  all: number;
}

/** `hookUrl`: the hook script's URL; `extensionOrigin`: chrome-extension://<id> (its other scripts). */
export function attribute(profile: CpuProfile, hookUrl: string, extensionOrigin: string, forwardedToPage = false): Attribution {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const owner = new Map<number, Owner | 'idle' | null>();
  const forwardedIds = new Set<number>();
  const hookBelow = new Map<number, boolean>();
  const ownerOfUrl = (url: string): Owner => (url === hookUrl ? 'hook' : url.startsWith(extensionOrigin) ? 'content' : 'page');
  const visit = (id: number, inherited: Owner | 'idle' | null, hookAbove: boolean, parentIsTrap = false, forwardedAbove = false): void => {
    const node = byId.get(id)!;
    const { functionName, url } = node.callFrame;
    let mine = inherited;
    const forwarded = forwardedAbove || (forwardedToPage && parentIsTrap && !url && !TRAP_OWN_NATIVES.has(functionName));
    if (forwarded) {
      mine = 'page';
      forwardedIds.add(id);
    } else if (functionName === '(idle)') mine = 'idle';
    else if (functionName === '(program)') mine = 'program';
    else if (functionName === '(garbage collector)') mine = 'gc';
    else if (url) mine = ownerOfUrl(url);
    const hook = hookAbove || url === hookUrl;
    owner.set(id, mine);
    hookBelow.set(id, hook);
    const isTrap = url === hookUrl && (functionName === 'apply' || functionName === 'construct');
    for (const child of node.children ?? []) visit(child, mine, hook, isTrap, forwarded);
  };
  const childIds = new Set(profile.nodes.flatMap((n) => n.children ?? []));
  for (const root of profile.nodes.filter((n) => !childIds.has(n.id))) visit(root.id, null, false);

  const zero = (): Record<Owner, number> => ({ hook: 0, content: 0, page: 0, program: 0, gc: 0, other: 0 });
  const result: Attribution = {
    samples: zero(),
    total: 0,
    hookAnywhere: 0,
    micros: zero(),
    totalMicros: 0,
    forwarded: 0,
    forwardedMicros: 0,
    idle: 0,
    all: profile.samples.length,
  };
  profile.samples.forEach((id, i) => {
    const who = owner.get(id) ?? 'other';
    if (who === 'idle') {
      result.idle++;
      return;
    }
    const micros = profile.timeDeltas[i] ?? 0;
    result.samples[who]++;
    result.micros[who] += micros;
    result.total++;
    result.totalMicros += micros;
    if (hookBelow.get(id)) result.hookAnywhere++;
    if (forwardedIds.has(id)) {
      result.forwarded++;
      result.forwardedMicros += micros;
    }
  });
  return result;
}
