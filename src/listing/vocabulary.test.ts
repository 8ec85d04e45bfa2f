import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary.ts';

describe('Vocabulary', () => {
  it('lists the terms a prefix starts, itself included, and nothing past them', () => {
    const vocabulary = new Vocabulary(['secur', 'sec', 'second', 'se', 'sed', 'secretariat', 'bord']);
    expect(vocabulary.withPrefix('sec', 10)).toEqual(['sec', 'second', 'secretariat', 'secur']);
    expect(vocabulary.withPrefix('secz', 10)).toEqual([]);
    expect(vocabulary.withPrefix('zzz', 10)).toEqual([]);
    expect(vocabulary.size).toBe(7);
  });

  it('refuses a prefix that starts more terms than the limit', () => {
    const vocabulary = new Vocabulary(['sec', 'second', 'secur']);
    expect(vocabulary.withPrefix('sec', 2)).toBeNull();
    expect(vocabulary.withPrefix('sec', 3)).toHaveLength(3);
  });

  it('keeps its terms sorted and distinct as terms are added', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 40 }),
        fc.array(fc.string({ maxLength: 6 }), { maxLength: 40 }),
        fc.string({ maxLength: 3 }),
        (initial, added, prefix) => {
          const vocabulary = new Vocabulary(initial);
          for (const term of added) vocabulary.add(term);
          const expected = [...new Set([...initial, ...added])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(vocabulary.all()).toEqual(expected);
          expect(vocabulary.withPrefix(prefix, 1000)).toEqual(expected.filter((term) => term.startsWith(prefix)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
