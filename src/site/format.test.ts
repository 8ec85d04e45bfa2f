import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from './format.ts';

describe('formatNumber', () => {
  const intl = new Intl.NumberFormat('en-GB');

  it('writes whole counts as Intl writes them in en-GB', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (value) => {
        expect(formatNumber(value)).toBe(intl.format(value));
      }),
      { numRuns: 5000 },
    );
    for (const value of [0, 7, 999, 1000, 1007, 12_500, 100_000, 999_999, 1_000_000]) {
      expect(formatNumber(value)).toBe(intl.format(value));
    }
  });

  it('leaves other numbers to Intl', () => {
    for (const value of [-1234, 1.5, Number.MAX_SAFE_INTEGER + 2]) expect(formatNumber(value)).toBe(intl.format(value));
  });
});
