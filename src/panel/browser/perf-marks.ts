// Named performance marks for scripts/bench-panel.ts: it reads them to time the panel's own
// steps (an import parsed, its first render) instead of guessing from outside.
export const MARK_IMPORT_PARSED = 'tg-panel:import-parsed';

export function mark(name: string): void {
  try {
    performance.mark(name);
  } catch {
    // Marks are a measuring aid only.
  }
}
