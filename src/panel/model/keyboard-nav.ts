// Keyboard movement in the timeline, as in the Network panel: arrows move one row,
// Page Up/Down one screen, Home/End to the ends. Pure: index in, index out.

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';

const NAV_KEYS = new Set<string>(['ArrowUp', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End']);

export function isNavKey(key: string): key is NavKey {
  return NAV_KEYS.has(key);
}

/**
 * The row index a key moves to. `current` is -1 when nothing is selected: then Down and
 * Page Down start at the first row, Up and Page Up at the last.
 */
export function moveSelection(key: NavKey, current: number, count: number, pageRows: number): number {
  if (count === 0) return -1;
  const page = Math.max(1, pageRows - 1);
  const clamp = (i: number) => Math.min(count - 1, Math.max(0, i));
  if (current < 0) return key === 'ArrowUp' || key === 'PageUp' || key === 'End' ? count - 1 : 0;
  switch (key) {
    case 'ArrowUp':
      return clamp(current - 1);
    case 'ArrowDown':
      return clamp(current + 1);
    case 'PageUp':
      return clamp(current - page);
    case 'PageDown':
      return clamp(current + page);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
  }
}

/** The scrollTop that brings row `index` into view, or null when it is already visible. */
export function scrollToReveal(index: number, rowHeight: number, scrollTop: number, viewHeight: number): number | null {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  if (top + rowHeight > scrollTop + viewHeight) return top + rowHeight - viewHeight;
  return null;
}
