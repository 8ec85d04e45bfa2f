import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { selectRange } from './select-range.ts';

describe('selectRange', () => {
  it('puts the ranks of a slice in place, sorted, as a full sort would', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 2 ** 32 - 1 }), { maxLength: 300 }),
        fc.nat(320),
        fc.nat(40),
        (list, from, length) => {
          const values = Uint32Array.from(list);
          const sorted = Uint32Array.from(list).sort();
          selectRange(values, from, from + length);
          expect([...values.subarray(from, from + length)]).toEqual([...sorted.subarray(from, from + length)]);
          // Nothing is lost or duplicated: the same values, only moved.
          expect([...values].sort((a, b) => a - b)).toEqual([...sorted]);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('is linear on sorted and reversed input (median-of-three pivots)', () => {
    const ascending = Uint32Array.from({ length: 100_000 }, (_, index) => index);
    selectRange(ascending, 50_000, 50_020);
    expect([...ascending.subarray(50_000, 50_003)]).toEqual([50_000, 50_001, 50_002]);
    const descending = Uint32Array.from({ length: 100_000 }, (_, index) => 100_000 - index);
    selectRange(descending, 0, 5);
    expect([...descending.subarray(0, 5)]).toEqual([1, 2, 3, 4, 5]);
  });
});
