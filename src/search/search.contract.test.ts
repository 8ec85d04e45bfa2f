// The search contract: what every SearchProvider and IndexTermSource must do, whatever engine is
// behind it. Each provider in PROVIDERS runs the same cases on a fresh, seeded store; supporting
// another engine (PostgreSQL) means adding its entry here, and nothing else in this file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipPostgres } from '../../test/support/postgres.ts';
import { writeSearchCorpus } from '../../test/support/search-corpus.ts';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import type { DocumentInput } from '../documents/writer.ts';
import type { Db } from '../store/store.ts';
import type { IndexColumn, IndexTermSource, SearchProvider } from './provider.ts';
import { parseSearchQuery, type SearchQuery } from './query.ts';
import { suggestCorrection } from './suggest.ts';

interface ProviderUnderTest {
  name: string;
  /** A migrated, seeded store with this provider's search index and term source. */
  open(): Promise<TestStore>;
}

const PROVIDERS: ProviderUnderTest[] = [
  { name: 'sqlite', open: () => buildTestStore() },
  ...(skipPostgres ? [] : [{ name: 'postgres', open: () => buildTestStore({ engine: 'postgres' as const }) }]),
];

type Corpus = Record<string, Partial<DocumentInput> & { title: string; datedAt: string }>;

const CORPUS: Corpus = {
  // Same word in the title, the summary or only the body; the title one is the oldest, so that
  // only relevance can put it first.
  inTitle: { title: 'Zorblax agreement signed', datedAt: '2001-03-01' },
  inSummary: { title: 'Notes from a regional meeting', summary: 'On the zorblax question.', datedAt: '2002-03-01' },
  inBody1: {
    title: 'Talks continue in the capital',
    bodyHtml: '<p>The delegates discussed zorblax for a long time. Zorblax and flimwort were on the agenda.</p>',
    datedAt: '2003-03-01',
  },
  inBody2: {
    title: 'A second day of talks',
    bodyHtml: '<p>More about zorblax today, and about glarbex, the other open matter of the talks.</p>',
    datedAt: '2004-03-01',
  },
  adjacent: { title: 'Boats rest in the quiet harbour of Varnelle', datedAt: '2005-03-01' },
  apart: { title: 'The harbour of Varnelle was never quiet', datedAt: '2005-04-01' },
  trafficking: { title: 'Snarvik court hears trafficking case', datedAt: '2006-03-01' },
  trafficked: { title: 'Snarvik: women trafficked across the border', datedAt: '2006-04-01' },
  negotiated: { title: 'Quellstadt parties negotiated a settlement', datedAt: '2007-03-01' },
  negotiating: { title: 'Quellstadt negotiating team meets', datedAt: '2007-04-01' },
  diacritics: { title: 'Plonkety delegation visits Türkiye', datedAt: '2008-03-01' },
  // Headings that misspelled searches are corrected from.
  observation: { title: 'Election observation mission to Zembravia', datedAt: '2008-05-01' },
  cooperation: { title: 'Regional co-operation on water', datedAt: '2008-05-02' },
  zembravian: { title: 'Zembravia opens an office in Vălnești', summary: 'Observers arrive.', datedAt: '2008-06-01' },
  markup: {
    title: 'A note on formatting',
    bodyHtml: '<p>Type &lt;b&gt;bold&lt;/b&gt; around a wibblefrotz &amp; its "friends".</p>',
    datedAt: '2009-03-01',
  },
  // Control characters in a title must not leak into the index or a snippet.
  controls: { title: 'Gribbleton \u0002report\u0003 published', datedAt: '2009-04-01' },
  // Frequent terms: "quorvex" in four documents' titles, "plimsack" in three (two titles, a body).
  quorvex1: { title: 'Quorvex plimsack meeting', datedAt: '2010-01-01' },
  quorvex2: { title: 'Quorvex plimsack review', datedAt: '2010-02-01' },
  quorvex3: { title: 'Quorvex annual review', bodyHtml: '<p>On plimsack as well.</p>', datedAt: '2010-03-01' },
  quorvex4: { title: 'Quorvex closing session', datedAt: '2010-04-01' },
  // Written, rewritten and removed by the index/remove cases.
  transient: { title: 'Vorplex briefing', bodyHtml: '<p>About the oldword matter.</p>', datedAt: '2011-01-01' },
  removed: { title: 'Skrillet briefing', datedAt: '2011-02-01' },
  stale: { title: 'Dunmerrow notes', datedAt: '2011-03-01' },
};

const query = (text: string): SearchQuery => {
  const parsed = parseSearchQuery(text);
  if (!parsed) throw new Error(`"${text}" is not a search`);
  return parsed;
};

describe.each(PROVIDERS)('search contract on $name', (provider) => {
  let testStore: TestStore;
  let db: Db;
  let search: SearchProvider;
  let terms: IndexTermSource;
  const ids: Record<string, number> = {};
  const named = (...names: string[]) => names.map((name) => ids[name] as number);
  const sorted = (values: Iterable<number>) => [...values].sort((a, b) => a - b);

  /** Ids `restrict` keeps, in id order. */
  const restricted = async (text: string) =>
    sorted(
      (await search.restrict(db.selectFrom('documents as d').select('d.id'), query(text)).execute()).map((r) => r.id),
    );
  /** Ids `rankedDocuments` returns, in its order. */
  const ranked = async (text: string) =>
    (await search.rankedDocuments(db, query(text)).select('d.id').execute()).map((r) => r.id);
  const matching = async (text: string, column: IndexColumn | null = null) => {
    const { required, excluded } = await search.matchingIds(db, query(text), column);
    return { required: required && sorted(required), excluded: excluded && sorted(excluded) };
  };

  beforeAll(async () => {
    testStore = await provider.open();
    ({ search, terms } = testStore);
    db = testStore.store.db;
    await writeSearchCorpus(testStore.store, testStore.writer, CORPUS, ids);
  });
  afterAll(() => testStore.cleanup());

  describe('what a search finds', () => {
    it('restrict keeps the documents with every word, wherever it is', async () => {
      expect(await restricted('zorblax')).toEqual(sorted(named('inTitle', 'inSummary', 'inBody1', 'inBody2')));
      expect(await restricted('zorblax talks')).toEqual(sorted(named('inBody1', 'inBody2')));
      expect(await restricted('zorblax nowhereword')).toEqual([]);
    });

    it('restrict narrows the caller’s query rather than replacing it', async () => {
      const rows = await search
        .restrict(
          db.selectFrom('documents as d').select('d.id').where('d.dated_at', '<', '2002-01-01'),
          query('zorblax'),
        )
        .execute();
      expect(rows.map((r) => r.id)).toEqual(named('inTitle'));
    });

    it('ranks a title match above a summary match above body-only matches', async () => {
      const found = await ranked('zorblax');
      expect(found.slice(0, 2)).toEqual(named('inTitle', 'inSummary'));
      expect(sorted(found.slice(2))).toEqual(sorted(named('inBody1', 'inBody2')));
      const best = await search.rankedIds(db, query('zorblax'), 10);
      expect([...best].slice(0, 2)).toEqual(named('inTitle', 'inSummary'));
      expect([...(await search.rankedIds(db, query('zorblax'), 1))]).toEqual(named('inTitle'));
    });

    it('breaks ties in relevance by date, newest first', async () => {
      // Same words, same place, same length: only the date differs.
      expect(await ranked('quorvex plimsack')).toEqual(named('quorvex2', 'quorvex1', 'quorvex3'));
    });

    it('a column restricts the match to that field', async () => {
      expect((await matching('zorblax', 'title')).required).toEqual(named('inTitle'));
      expect((await matching('zorblax', 'summary')).required).toEqual(named('inSummary'));
    });

    it('knows where the words of a search stand together: as a phrase, or near each other', async () => {
      const words = query('quiet harbour');
      expect([...((await search.tierIds(db, words, 'title-phrase')) ?? [])]).toEqual(named('adjacent'));
      expect([...((await search.tierIds(db, words, 'title-near')) ?? [])].sort()).toEqual(
        sorted(named('adjacent', 'apart')),
      );
      expect([...((await search.tierIds(db, query('harbour quiet'), 'title-phrase')) ?? [])]).toEqual([]);
      // The later document of the two, but its words are not a phrase.
      expect([...(await search.rankedIds(db, words, 10))].slice(0, 2)).toEqual(named('adjacent', 'apart'));
      expect(await search.tierIds(db, query('"quiet harbour"'), 'title-near')).toBeNull();
      expect(await search.tierIds(db, query('quiet OR calm harbour'), 'title-near')).toBeNull();
    });

    it('a quoted phrase matches only the adjacent words, unquoted words match anywhere', async () => {
      expect(await restricted('"quiet harbour"')).toEqual(named('adjacent'));
      expect(await restricted('quiet harbour')).toEqual(sorted(named('adjacent', 'apart')));
      expect(await restricted('"harbour quiet"')).toEqual([]);
    });

    it('-word removes the documents containing it, a word or a phrase', async () => {
      expect(await restricted('zorblax -flimwort')).toEqual(sorted(named('inTitle', 'inSummary', 'inBody2')));
      expect(await ranked('zorblax -flimwort')).toEqual(named('inTitle', 'inSummary', 'inBody2'));
      expect(await restricted('zorblax -"zorblax and flimwort"')).not.toContain(ids.inBody1);
      expect(await restricted('zorblax -"flimwort zorblax"')).toContain(ids.inBody1);
    });

    it('an exclusion alone keeps everything else', async () => {
      const all = sorted(
        (await db.selectFrom('documents').select('id').execute()).map((r) => r.id).filter((id) => id !== ids.inBody1),
      );
      expect(await restricted('-flimwort')).toEqual(all);
      expect(await matching('-flimwort')).toEqual({ required: null, excluded: named('inBody1') });
      expect([...(await search.rankedIds(db, query('-flimwort'), 10))]).toEqual([]);
      const newestFirst = await ranked('-flimwort');
      expect(sorted(newestFirst)).toEqual(all);
    });

    it('OR widens, plain words narrow', async () => {
      expect(await restricted('flimwort OR glarbex')).toEqual(sorted(named('inBody1', 'inBody2')));
      expect(await restricted('flimwort glarbex')).toEqual([]);
      // An OR group combined with other words, on either side.
      expect(await restricted('flimwort OR glarbex zorblax')).toEqual(sorted(named('inBody1', 'inBody2')));
      expect(await restricted('talks flimwort OR glarbex')).toEqual(sorted(named('inBody1', 'inBody2')));
      expect(await restricted('talks flimwort OR glarbex -"open matter"')).toEqual(named('inBody1'));
      expect(await matching('flimwort OR glarbex -"open matter"')).toEqual({
        required: sorted(named('inBody1', 'inBody2')),
        excluded: named('inBody2'),
      });
    });

    it('a prefix* matches every word that starts with it', async () => {
      expect(await restricted('snarvik traffick*')).toEqual(sorted(named('trafficking', 'trafficked')));
      expect(await restricted('zorbl*')).toHaveLength(4);
      expect(await restricted('zorbl')).toEqual([]);
    });

    it('inflected English forms find each other', async () => {
      expect(await restricted('negotiations quellstadt')).toEqual(sorted(named('negotiated', 'negotiating')));
      expect(await restricted('Quellstadt negotiate')).toEqual(sorted(named('negotiated', 'negotiating')));
    });

    it('letters with or without diacritics find each other, whatever the case', async () => {
      expect(await restricted('Turkiye plonkety')).toEqual(named('diacritics'));
      expect(await restricted('TÜRKIYE PLONKETY')).toEqual(named('diacritics'));
    });
  });

  describe('snippets', () => {
    it('mark the matched words and show the text as escaped HTML', async () => {
      const snippets = await search.snippets(db, named('markup'), query('wibblefrotz'));
      const snippet = snippets.get(ids.markup as number);
      expect(snippet).toContain('&lt;b&gt;bold&lt;/b&gt;');
      expect(snippet).toContain('<mark>wibblefrotz</mark> &amp; its &quot;friends&quot;');
      expect(snippet).not.toContain('<b>');
    });

    it('mark each inflected form as written', async () => {
      const snippets = await search.snippets(db, named('negotiated', 'negotiating'), query('negotiations quellstadt'));
      expect(Object.fromEntries(snippets)).toEqual({
        [ids.negotiated as number]: '<mark>Quellstadt</mark> parties <mark>negotiated</mark> a settlement',
        [ids.negotiating as number]: '<mark>Quellstadt</mark> <mark>negotiating</mark> team meets',
      });
    });

    it('never carry control characters from the text', async () => {
      const snippet = (await search.snippets(db, named('controls'), query('gribbleton'))).get(ids.controls as number);
      expect(snippet).toBe('<mark>Gribbleton</mark> report published');
    });

    it('are only made for the documents asked for that match, and not for exclusions alone', async () => {
      const snippets = await search.snippets(db, named('inTitle', 'adjacent'), query('zorblax'));
      expect([...snippets.keys()]).toEqual(named('inTitle'));
      expect((await search.snippets(db, named('inTitle'), query('-zorblax'))).size).toBe(0);
      expect((await search.snippets(db, [], query('zorblax'))).size).toBe(0);
    });
  });

  describe('keeping the index', () => {
    it('index rewrites a document’s text and remove takes it out, inside the caller’s transaction', async () => {
      const id = ids.transient as number;
      expect(await restricted('oldword')).toEqual([id]);
      await testStore.store.transaction((tx) =>
        search.index(tx, id, { title: 'Blorptitle briefing', summary: 'Rewritten.', body: 'Nothing old here.' }),
      );
      expect(await restricted('blorptitle')).toEqual([id]);
      expect(await restricted('oldword')).toEqual([]);
      expect((await matching('blorptitle', 'title')).required).toEqual([id]);

      // A rolled-back transaction leaves the index as it was.
      await expect(
        testStore.store.transaction(async (tx) => {
          await search.remove(tx, id);
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await restricted('blorptitle')).toEqual([id]);

      await testStore.store.transaction((tx) => search.remove(tx, id));
      expect(await restricted('blorptitle')).toEqual([]);
      expect(await matching('blorptitle')).toEqual({ required: [], excluded: null });
      // Removing what is not indexed is harmless.
      await testStore.store.transaction((tx) => search.remove(tx, id));
    });

    it('a document removed by the writer is no longer found', async () => {
      const id = ids.removed as number;
      expect(await restricted('skrillet')).toEqual([id]);
      await testStore.store.transaction((tx) => testStore.writer.remove(tx, id));
      expect(await restricted('skrillet')).toEqual([]);
      expect(await ranked('skrillet')).toEqual([]);
      expect([...(await search.rankedIds(db, query('skrillet'), 10))]).toEqual([]);
      expect((await search.snippets(db, [id], query('skrillet'))).size).toBe(0);
    });

    it('reindex rebuilds the whole index from the documents', async () => {
      const id = ids.stale as number;
      // Written behind the index's back: the index still has the old title.
      await db.updateTable('documents').set({ title: 'Dunmerrow fennelquist notes' }).where('id', '=', id).execute();
      expect(await restricted('fennelquist')).toEqual([]);
      const documents = await db.selectFrom('documents').select('id').execute();
      expect(await search.reindex(db)).toBe(documents.length);
      expect(await restricted('fennelquist')).toEqual([id]);
      // What the index/remove case took out comes back from the stored document.
      expect(await restricted('oldword')).toEqual(named('transient'));
      expect(await restricted('blorptitle')).toEqual([]);
      // Ranking survives the rebuild.
      expect((await ranked('zorblax')).slice(0, 2)).toEqual(named('inTitle', 'inSummary'));
    });
  });

  describe('the index terms', () => {
    const only = async (text: string) => {
      const found = await terms.termsOf(db, text);
      expect(found, text).toHaveLength(1);
      return found[0] as string;
    };

    it('termsOf splits a text into the index’s terms, in order, stemmed and folded as the index does', async () => {
      const negotiate = await only('negotiated');
      expect(await terms.termsOf(db, 'Negotiating NEGOTIATIONS negotiated')).toEqual([negotiate, negotiate, negotiate]);
      expect(await terms.termsOf(db, 'Türkiye')).toEqual(await terms.termsOf(db, 'turkiye'));
      expect(await terms.termsOf(db, 'quiet harbour')).toEqual([await only('quiet'), await only('harbour')]);
      expect(await terms.termsOf(db, '')).toEqual([]);
    });

    it('indexTermsOf gives the terms the index holds for each column, as termsOf spells them', async () => {
      const found = await terms.indexTermsOf(db, named('negotiated', 'inBody2'));
      const negotiated = found.get(ids.negotiated as number);
      expect(negotiated?.title).toEqual(new Set(await terms.termsOf(db, CORPUS.negotiated?.title ?? '')));
      expect(negotiated?.summary).toEqual(new Set(await terms.termsOf(db, 'A short summary.')));
      expect(negotiated?.body).toEqual(new Set(await terms.termsOf(db, 'Nothing else to report.')));
      const body = found.get(ids.inBody2 as number)?.body;
      expect(body?.has(await only('glarbex'))).toBe(true);
      expect(found.get(ids.inBody2 as number)?.title.has(await only('glarbex'))).toBe(false);
      expect((await terms.indexTermsOf(db, [])).size).toBe(0);
    });

    it('vocabulary lists every term, and those held by at least so many documents, most frequent first', async () => {
      const quorvex = await only('quorvex');
      const plimsack = await only('plimsack');
      const frequent = async (minDocuments: number) => (await terms.vocabulary(db, minDocuments)).frequent;
      const three = await frequent(3);
      expect(three).toContain(quorvex);
      expect(three).toContain(plimsack);
      expect(three.indexOf(quorvex)).toBeLessThan(three.indexOf(plimsack));
      const four = await frequent(4);
      expect(four).toContain(quorvex);
      expect(four).not.toContain(plimsack);
      expect(await frequent(5)).not.toContain(quorvex);
      const all = (await terms.vocabulary(db, 5)).terms.map(({ term }) => term);
      for (const word of ['quorvex', 'plimsack', 'glarbex', 'Zembravia', 'negotiated'])
        expect(all).toContain(await only(word));
      expect(new Set(all).size).toBe(all.length);
      expect((await terms.vocabulary(db, 5)).terms).toContainEqual({ term: quorvex, documents: 4 });
    });

    it('anyTermIds finds the documents holding any of several terms, in one column if asked', async () => {
      const plimsack = await only('plimsack');
      const glarbex = await only('glarbex');
      for (const column of [null, 'title', 'summary'] as const) {
        const expected = [
          ...new Set([...(await terms.termIds(db, plimsack, column)), ...(await terms.termIds(db, glarbex, column))]),
        ].sort((a, b) => a - b);
        expect(sorted(await terms.anyTermIds(db, [plimsack, glarbex], column)), String(column)).toEqual(expected);
      }
      expect([...(await terms.anyTermIds(db, [], null))]).toEqual([]);
      expect(sorted(await terms.anyTermIds(db, [plimsack, 'zzqqx'], null))).toEqual(
        sorted(named('quorvex1', 'quorvex2', 'quorvex3')),
      );
    });

    it('termIds finds the documents holding a term, in one column if asked, as the search does', async () => {
      const plimsack = await only('plimsack');
      expect(sorted(await terms.termIds(db, plimsack, null))).toEqual(
        sorted(named('quorvex1', 'quorvex2', 'quorvex3')),
      );
      expect(sorted(await terms.termIds(db, plimsack, 'title'))).toEqual(sorted(named('quorvex1', 'quorvex2')));
      expect([...(await terms.termIds(db, plimsack, 'summary'))]).toEqual([]);
      for (const column of [null, 'title', 'summary'] as const) {
        expect(sorted(await terms.termIds(db, plimsack, column)), String(column)).toEqual(
          (await matching('plimsack', column)).required,
        );
      }
    });

    it('holds tells whether any document holds a term', async () => {
      expect(await terms.holds(db, await only('glarbex'))).toBe(true);
      expect(await terms.holds(db, 'glarbexx')).toBe(false);
    });

    it('correctionTerms lists the headings’ terms of one initial and length range, with their documents', async () => {
      const zembravia = await only('Zembravia');
      const found = await terms.correctionTerms(db, 'z', 3, 20);
      expect(found).toContainEqual({ term: zembravia, documents: 2 });
      expect(found.every(({ term }) => term.startsWith('z') && term.length >= 3 && term.length <= 20)).toBe(true);
      // Only headings: a word of a body alone is not there.
      expect((await terms.correctionTerms(db, 'g', 1, 30)).map(({ term }) => term)).not.toContain(
        await only('glarbex'),
      );
      expect(await terms.correctionTerms(db, 'z', 30, 40)).toEqual([]);
    });

    it('writtenForms gives the words of headings that became a term, as written', async () => {
      // "observation" and "Observers" are one term.
      expect((await terms.writtenForms(db, await only('observation'), 5)).sort()).toEqual(['Observers', 'observation']);
      expect(await terms.writtenForms(db, await only('valnesti'), 5)).toEqual(['Vălnești']);
    });
  });

  describe('did you mean', () => {
    const corrected = (text: string) => suggestCorrection(db, terms, query(text));

    it('corrects a misspelled word into the closest heading word, as written, not as a stem', async () => {
      expect(await corrected('negotiatin')).toBe('negotiating');
      expect(await corrected('observaton')).toBe('observation');
      expect(await corrected('obsrvation')).toBe('observation');
    });

    it('joins what the headings write as two words', async () => {
      expect(await corrected('cooperation water')).toBe('co-operation water');
    });

    it('keeps the words it knows and the rest of the text as typed', async () => {
      expect(await corrected('Election obsrvation -report')).toBe('Election observation -report');
    });

    it('writes a name capitalised, and with its diacritics, as the headings do', async () => {
      expect(await corrected('zembravya')).toBe('Zembravia');
      expect(await corrected('valnsti')).toBe('Vălnești');
      // Written another way, but the same term: found as it is, nothing to correct.
      expect(await corrected('valnesty')).toBeNull();
    });

    it('offers nothing when every word is known, or nothing is close', async () => {
      expect(await corrected('observation zorblax')).toBeNull();
      expect(await corrected('qqqqxxqq')).toBeNull();
      expect(await corrected('obs*')).toBeNull();
    });
  });
});
