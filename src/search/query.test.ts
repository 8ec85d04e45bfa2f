// How a reader's search text is read: "phrases", -exclusions, OR, prefix*, and everything else
// (FTS operators, column filters, stray punctuation) as plain words.
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, parseSearchQuery, type SearchTerm } from './query.ts';
import { toFtsQuery } from './sqlite-fts.ts';

const word = (text: string): SearchTerm => ({ words: text.split(' '), prefix: false });
const prefix = (text: string): SearchTerm => ({ words: text.split(' '), prefix: true });

/** The groups a text requires, each as its terms' words (prefix terms end with *). */
function groups(text: string): string[][] {
  const query = parseSearchQuery(text);
  return (query?.required ?? []).map((group) => group.map((t) => `${t.words.join(' ')}${t.prefix ? '*' : ''}`));
}

describe('parseSearchQuery', () => {
  it('plain words are all required, lower-cased', () => {
    expect(parseSearchQuery('  Human Rights  ')).toEqual({
      text: 'Human Rights',
      required: [[word('human')], [word('rights')]],
      excluded: [],
    });
  });

  it('a quoted phrase is one term, keeping its word order', () => {
    expect(groups('"human trafficking" Vienna')).toEqual([['human trafficking'], ['vienna']]);
    expect(groups('"Rights, human"')).toEqual([['rights human']]);
  });

  it('OR joins the terms on either side into one group', () => {
    expect(groups('police OR media elections')).toEqual([['police', 'media'], ['elections']]);
    expect(groups('a OR "b c" OR ddd* e')).toEqual([['a', 'b c', 'ddd*'], ['e']]);
  });

  it('OR with nothing on one side, and lower-case or, are not operators', () => {
    expect(groups('OR police')).toEqual([['police']]);
    expect(groups('police OR')).toEqual([['police']]);
    expect(groups('police OR OR media')).toEqual([['police', 'media']]);
    expect(groups('police or media')).toEqual([['police'], ['or'], ['media']]);
  });

  it('-word and -"phrase" exclude, and a lone exclusion is still a search', () => {
    expect(parseSearchQuery('elections -Vienna -"human rights"')).toMatchObject({
      required: [[word('elections')]],
      excluded: [word('vienna'), word('human rights')],
    });
    expect(parseSearchQuery('-media')).toMatchObject({ required: [], excluded: [word('media')] });
    expect(parseSearchQuery('--media')?.excluded).toEqual([word('media')]);
  });

  it('a hyphen inside or after a word does not exclude', () => {
    expect(groups('co-operation')).toEqual([['co operation']]);
    expect(groups('police- media')).toEqual([['police'], ['media']]);
    expect(parseSearchQuery('police - media')?.excluded).toEqual([]);
  });

  it('a trailing * makes a prefix; a leading or inner * does not', () => {
    expect(parseSearchQuery('traffick*')?.required).toEqual([[prefix('traffick')]]);
    expect(groups('traffick** co-oper*')).toEqual([['traffick*'], ['co oper*']]);
    expect(groups('*traffick')).toEqual([['traffick']]);
    expect(groups('traf*fick')).toEqual([['traf fick']]);
    expect(parseSearchQuery('-traffick*')?.excluded).toEqual([prefix('traffick')]);
  });

  it('a prefix shorter than three letters is a word, and only four prefixes count', () => {
    expect(groups('ab* abc*')).toEqual([['ab'], ['abc*']]);
    expect(groups('co-op*')).toEqual([['co op']]);
    expect(groups('aaa* bbb* ccc* ddd* eee* fff*')).toEqual([['aaa*'], ['bbb*'], ['ccc*'], ['ddd*'], ['eee'], ['fff']]);
    expect(parseSearchQuery('-aaa* -bbb* -ccc* -ddd* -eee*')?.excluded.filter((t) => t.prefix)).toHaveLength(4);
  });

  it('FTS5 operators and syntax typed by a reader become plain words', () => {
    expect(groups('NEAR(police media, 3)')).toEqual([['near police'], ['media'], ['3']]);
    expect(groups('title:foo')).toEqual([['title foo']]);
    expect(groups('police AND media NOT youth')).toEqual([['police'], ['and'], ['media'], ['not'], ['youth']]);
    expect(groups('^police +media {title}: (youth)')).toEqual([['police'], ['media'], ['title'], ['youth']]);
    expect(groups('"unbalanced quote')).toEqual([['unbalanced'], ['quote']]);
    expect(groups('one "two three')).toEqual([['one'], ['two'], ['three']]);
  });

  it('keeps letters of every script and apostrophes inside words', () => {
    expect(groups('Türkiye Вена 警察')).toEqual([['türkiye'], ['вена'], ['警察']]);
    expect(groups('Don’t OSCE’s')).toEqual([["don't"], ["osce's"]]);
    expect(groups('ﬁeld ２００７')).toEqual([['field'], ['2007']]);
  });

  it('returns null when there is nothing to search for', () => {
    for (const text of ['', '   ', '\t\n', '"', '""', '" "', '-', '*', 'OR', 'OR OR', '( ) { } : ^ + -- **', '-""']) {
      expect(parseSearchQuery(text), JSON.stringify(text)).toBeNull();
    }
  });

  it('keeps at most 32 required groups and 32 exclusions from very long texts', () => {
    const query = parseSearchQuery(`${'w '.repeat(MAX_QUERY_LENGTH / 2)}`);
    expect(query?.required).toHaveLength(32);
    const excluding = parseSearchQuery('-x '.repeat(300));
    expect(excluding?.excluded).toHaveLength(32);
  });
});

describe('toFtsQuery', () => {
  it('quotes every term, so that no reader text is read as an FTS5 operator', () => {
    const query = parseSearchQuery('NEAR(a b) OR title:c "d e" fff* -g -"h i"');
    expect(query && toFtsQuery(query)).toEqual({
      required: '"near a" AND ("b" OR "title c") AND "d e" AND "fff" *',
      excluded: '("g" OR "h i")',
    });
  });

  it('joins groups with an explicit AND, which FTS5 needs after a parenthesised group', () => {
    const query = parseSearchQuery('police OR media elections');
    expect(query && toFtsQuery(query).required).toBe('("police" OR "media") AND "elections"');
  });
});
