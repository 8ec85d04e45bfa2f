import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Vocabulary } from './vocabulary.ts';

/** Terms counted by their length, so that a count can be checked. */
const counted = (terms: string[]) => terms.map((term) => ({ term, documents: term.length }));

describe('Vocabulary', () => {
  it('lists the terms of an initial within a range of lengths, with their counts', () => {
    const vocabulary = new Vocabulary([
      { term: 'ombudsperson', documents: 100 },
      { term: 'ombudsman', documents: 7 },
      { term: 'omb', documents: 3 },
      { term: 'on', documents: 900 },
      { term: 'pombe', documents: 2 },
    ]);
    expect(vocabulary.byLength('o', 3, 10)).toEqual([
      { term: 'omb', documents: 3 },
      { term: 'ombudsman', documents: 7 },
    ]);
    expect(vocabulary.byLength('om', 12, 20)).toEqual([{ term: 'ombudsperson', documents: 100 }]);
    expect(vocabulary.byLength('x', 1, 20)).toEqual([]);
  });

  it('lists the terms a prefix starts, itself included, and nothing past them', () => {
    const vocabulary = new Vocabulary(counted(['secur', 'sec', 'second', 'se', 'sed', 'secretariat', 'bord']));
    expect(vocabulary.withPrefix('sec', 10)).toEqual(['sec', 'second', 'secretariat', 'secur']);
    expect(vocabulary.withPrefix('secz', 10)).toEqual([]);
    expect(vocabulary.withPrefix('zzz', 10)).toEqual([]);
    expect(vocabulary.size).toBe(7);
  });

  it('refuses a prefix that starts more terms than the limit', () => {
    const vocabulary = new Vocabulary(counted(['sec', 'second', 'secur']));
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
          const vocabulary = new Vocabulary(counted(initial));
          for (const term of added) vocabulary.add(term);
          const expected = [...new Set([...initial, ...added])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          expect(vocabulary.all().terms).toEqual(expected);
          // A term read at the start keeps its count (its length), one added later counts 0.
          expect(vocabulary.all().documents).toEqual(
            expected.map((term) => (initial.includes(term) ? term.length : 0)),
          );
          expect(vocabulary.withPrefix(prefix, 1000)).toEqual(expected.filter((term) => term.startsWith(prefix)));
        },
      ),
      { numRuns: 500 },
    );
  });
});
