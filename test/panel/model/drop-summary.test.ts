import { describe, expect, it } from 'vitest';
import { dropSummary } from '../../../src/panel/model/drop-summary.ts';

describe('what was seen and not listed', () => {
  it('says each reason with its count', () => {
    expect(dropSummary({})).toBeNull();
    expect(dropSummary({ 'local-error': 3, 'companion-notice': 1 })).toBe(
      '3 client-local errors (not from the server) not listed; 1 companion notice of an error already listed',
    );
    expect(dropSummary({ 'rate-limited': 1 })).toBe('1 capture dropped by the rate cap');
    expect(dropSummary({ 'repeated-wait': 2 })).toBe('2 waits the client repeated from errors already listed (no request sent)');
  });
});
