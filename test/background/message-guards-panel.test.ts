import { describe, expect, it } from 'vitest';
import { isPanelMessage } from '../../src/background/message-guards.ts';

describe('isPanelMessage', () => {
  it('takes a request for a snapshot’s older records with an integer id only', () => {
    expect(isPanelMessage({ type: 'send-older', beforeId: 1001 })).toBe(true);
    expect(isPanelMessage({ type: 'send-older', beforeId: '1001' })).toBe(false);
    expect(isPanelMessage({ type: 'send-older', beforeId: 1.5 })).toBe(false);
    expect(isPanelMessage({ type: 'send-older' })).toBe(false);
  });
});
