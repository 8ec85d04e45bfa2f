// Postings of frequent words against FTS5 itself, through writes and while they load.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { latestChangeSeq, readChanges } from '../documents/change-log.ts';
import type { IndexColumn, IndexTermSource } from '../search/provider.ts';
import { parseSearchQuery, type SearchQuery } from '../search/query.ts';
import { sqliteSearch } from '../search/sqlite-fts.ts';
import { frequentTerms, INDEX_TOKENIZER, sqliteIndexTerms, termIds, termsOf } from '../search/sqlite-terms.ts';
import { suggestCorrection } from '../search/suggest.ts';
import type { Db } from '../store/store.ts';
import { loadCatalog } from '../taxonomy/catalog.ts';
import { loadBitmapIndex } from './bitmap-index.ts';
import { parseFilter } from './filter.ts';
import { runListing } from './listing.ts';
import { withHeldTerms } from './service.ts';
import { sqlListingEngine } from './sql-engine.ts';
import { TermPostings } from './term-postings.ts';

let testStore: TestStore;
let db: Db;
/** Postings are held for words in this many documents: every word the tests ask for (300 demo documents). */
const MIN_DOCUMENTS = 10;

beforeAll(async () => {
  testStore = await buildTestStore({ demo: 300 });
  db = testStore.store.db;
});
afterAll(() => testStore.cleanup());

const search = (text: string, required: string[][], excluded: string[] = []) => ({
  text,
  required: required.map((group) => group.map((word) => ({ words: [word], prefix: false }))),
  excluded: excluded.map((word) => ({ words: [word], prefix: false })),
});

/** What FTS5 itself says, for the same words, in each column. */
async function fromFts(required: string[][], column: 'title' | 'summary' | null): Promise<number[]> {
  const ids = await sqliteSearch.matchingIds(db, search('', required), column);
  return [...(ids.required ?? [])].sort((a, b) => a - b);
}

describe('the index tokenizer', () => {
  it('is the one the full-text index was created with', async () => {
    const { rows } = await sql<{ sql: string }>`
      SELECT sql FROM sqlite_master WHERE name = 'document_fts'`.execute(db);
    expect(rows[0]?.sql).toContain(`tokenize='${INDEX_TOKENIZER}'`);
  });

  it('turns words into the terms the index stores: lower case, stemmed, without diacritics', async () => {
    expect(await termsOf(db, 'Trafficking')).toEqual(['traffick']);
    expect(await termsOf(db, 'Élections')).toEqual(['elect']);
    expect(await termsOf(db, 'co-operation in 2025')).toEqual(['co', 'oper', 'in', '2025']);
    expect(await termsOf(db, '')).toEqual([]);
  });

  it('keeps concurrent callers apart', async () => {
    const words = ['police', 'media', 'youth', 'elections', 'borders', 'water'];
    const terms = await Promise.all(words.map((word) => termsOf(db, word)));
    expect(terms).toEqual([['polic'], ['media'], ['youth'], ['elect'], ['border'], ['water']]);
  });

  it('lists frequent terms, each found again by matching it', async () => {
    const terms = await frequentTerms(db, 30);
    expect(terms.length).toBeGreaterThan(10);
    for (const term of terms.slice(0, 20)) {
      expect((await termIds(db, term, null)).length, term).toBeGreaterThanOrEqual(30);
    }
  });
});

describe('postings of frequent words', () => {
  const queries = [[['polic']], [['media'], ['secur']], [['polic', 'youth']]];

  it('hold what FTS5 matches, in every column, and follow writes', async () => {
    const postings = new TermPostings(db, testStore.terms, MIN_DOCUMENTS);
    await postings.load();
    expect(postings.termCount).toBeGreaterThan(10);
    const check = async (label: string) => {
      for (const required of queries) {
        const groups = search('', required).required;
        expect(await postings.match(groups, 'all'), `${label} ${JSON.stringify(required)}`).not.toBeNull();
        for (const column of [null, 'title', 'summary'] as const) {
          const held = await postings.match(groups, column ?? 'all');
          expect([...(held ?? [])], `${label} ${JSON.stringify(required)} in ${column ?? 'all'}`).toEqual(
            await fromFts(required, column),
          );
        }
      }
    };
    await check('loaded');

    const ids = await testStore.store.transaction(async (tx) => [
      await testStore.writer.create(tx, {
        kind: 'news',
        slug: 'postings-a',
        title: 'Police and media',
        summary: 'Security',
        bodyHtml: '<p>Youth</p>',
        datedAt: '2024-01-01T00:00:00.000Z',
        status: 'published',
      }),
      await testStore.writer.create(tx, {
        kind: 'news',
        slug: 'postings-b',
        title: 'Nothing',
        summary: 'Police',
        bodyHtml: '<p>Media</p>',
        datedAt: '2024-01-01T00:00:00.000Z',
        status: 'draft',
      }),
    ]);
    await postings.refresh(ids);
    await check('created');
    await testStore.store.transaction((tx) =>
      testStore.writer.update(tx, ids[0] as number, 1, {
        kind: 'news',
        slug: 'postings-a',
        title: 'Renamed',
        summary: 'Youth and police',
        bodyHtml: '<p>Nothing</p>',
        datedAt: '2024-01-01T00:00:00.000Z',
        status: 'published',
      }),
    );
    await postings.refresh(ids);
    await check('edited');
    expect(await postings.match([[{ words: ['human', 'rights'], prefix: false }]], 'all')).toBeNull();
    expect(await postings.match([[{ words: ['nosuchwordanywhere'], prefix: false }]], 'all')).toBeNull();
  });

  it('answer a prefix from the held terms it starts and the ids of the others, as FTS5 does, through writes', async () => {
    const read: string[][] = [];
    const provider: IndexTermSource = {
      ...sqliteIndexTerms,
      async anyTermIds(database, terms, column) {
        read.push([...terms]);
        return sqliteIndexTerms.anyTermIds(database, terms, column);
      },
    };
    const postings = new TermPostings(db, provider, MIN_DOCUMENTS);
    await postings.load();
    const prefix = (word: string) => ({ words: [word], prefix: true });
    const word = (text: string) => ({ words: [text], prefix: false });
    const queries = [
      ...['pol', 'sec', 'con', 'agr', 'hum', 'elect', 'traffick', 'med', 'cooperat', 'par', 'zzz'].map((start) => [
        [prefix(start)],
      ]),
      // A prefix beside a rare word and a prefix that starts no held term, in one group.
      [[prefix('sec'), word('zembravia'), prefix('zzz'), word('police')]],
      [[prefix('pol')], [prefix('med'), word('youth')]],
    ];
    const check = async (label: string) => {
      let answered = 0;
      for (const groups of queries) {
        for (const column of ['title', 'summary', null] as const) {
          const held = await postings.match(groups, column ?? 'all');
          if (held === null) continue;
          answered += 1;
          const fts = await sqliteSearch.matchingIds(db, { text: '', required: groups, excluded: [] }, column);
          expect([...held], `${label} ${JSON.stringify(groups)} in ${column ?? 'all'}`).toEqual(
            [...(fts.required ?? [])].sort((a, b) => a - b),
          );
        }
      }
      return answered;
    };
    expect(await check('loaded')).toBeGreaterThanOrEqual(20);
    // The rarer terms of the three-letter prefixes asked for are held together.
    const rests = new Map(postings.state()?.prefixes);
    for (const start of ['pol', 'par', 'con']) expect(rests.get(start)?.all.size, start).toBeGreaterThan(0);
    // The group of a prefix, a rare word and a prefix that starts no held term is answered here.
    expect(await postings.match(queries.at(-2) ?? [], 'all')).not.toBeNull();
    // Some prefixes start held terms and others: those are read by id, in one statement.
    expect(read.some((terms) => terms.length > 1)).toBe(true);

    // A term no document held when the postings loaded: the prefix finds it once written.
    const id = await testStore.store.transaction((tx) =>
      testStore.writer.create(tx, {
        kind: 'news',
        slug: 'postings-new-term',
        title: 'Policewombat',
        summary: 'Secwombat',
        bodyHtml: '<p>Policewombat</p>',
        datedAt: '2024-01-01T00:00:00.000Z',
        status: 'published',
      }),
    );
    await postings.refresh([id]);
    expect(await check('written')).toBeGreaterThanOrEqual(20);
    expect((await postings.match([[{ words: ['pol'], prefix: true }]], 'title'))?.has(id)).toBe(true);
    // "agreed" is held as "agre", which the tokenizer would make "agr": read from the index's instances.
    const agreed = await testStore.store.transaction((tx) =>
      testStore.writer.create(tx, {
        kind: 'news',
        slug: 'postings-agreed',
        title: 'Agreed',
        summary: 'Agreed',
        bodyHtml: '<p>Agreed</p>',
        datedAt: '2024-01-01T00:00:00.000Z',
        status: 'published',
      }),
    );
    await postings.refresh([agreed]);
    expect(await termsOf(db, 'agreed')).toEqual(['agre']);
    expect(await termsOf(db, 'agre')).toEqual(['agr']);
    for (const column of ['title', 'summary', null] as const) {
      const fts = await sqliteSearch.matchingIds(db, search('', [['agreed']]), column);
      const read = [...(await sqliteIndexTerms.anyTermIds(db, ['agre', 'polic'], column))].sort((a, b) => a - b);
      const police = await fromFts([['polic']], column);
      expect(read, String(column)).toEqual([...new Set([...(fts.required ?? []), ...police])].sort((a, b) => a - b));
      expect(read).toContain(agreed);
    }
    expect(await check('agreed')).toBeGreaterThanOrEqual(20);
    // A prefix that starts no held term is left to FTS5.
    expect(await postings.match([[{ words: ['zzz'], prefix: true }]], 'all')).toBeNull();
  });

  it('patch documents written after their term was read, while the others still load', async () => {
    let written: number | null = null;
    let postings: TermPostings | null = null;
    // A write lands (and is reported, as the index does when it follows the change log) right
    // after the ids of "polic" were read.
    const provider: IndexTermSource = {
      ...sqliteIndexTerms,
      async termIds(database: Db, term: string, column: IndexColumn | null) {
        const ids = await sqliteIndexTerms.termIds(database, term, column);
        if (term === 'polic' && column === 'summary' && written === null) {
          written = await testStore.store.transaction((tx) =>
            testStore.writer.create(tx, {
              kind: 'news',
              slug: 'postings-mid-load',
              title: 'Police',
              summary: 'Police',
              bodyHtml: '<p>Police</p>',
              datedAt: '2024-03-01T00:00:00.000Z',
              status: 'published',
            }),
          );
          await postings?.refresh([written]);
        }
        return ids;
      },
    };
    postings = new TermPostings(db, provider, MIN_DOCUMENTS);
    await postings.load();
    expect(written).not.toBeNull();
    const held = await postings.match([[{ words: ['police'], prefix: false }]], 'title');
    expect(held?.has(written ?? 0)).toBe(true);
    expect([...(held ?? [])]).toEqual(await fromFts([['polic']], 'title'));
  });

  it('catch up with documents written while they load', async () => {
    const catalog = await loadCatalog(db);
    const { search: provider, terms } = testStore;
    const afterSeq = await latestChangeSeq(db);
    const index = await loadBitmapIndex({
      db,
      search: provider,
      terms,
      subtrees: () => catalog.subtrees,
      frequentTermMinDocuments: null,
    });
    const loading = index.loadTermPostings(MIN_DOCUMENTS);
    // Written and seen by the index while the postings are being read.
    const id = await testStore.store.transaction((tx) =>
      testStore.writer.create(tx, {
        kind: 'news',
        slug: 'postings-during-load',
        title: 'Police',
        bodyHtml: '<p>Police</p>',
        datedAt: '2024-02-01T00:00:00.000Z',
        status: 'published',
      }),
    );
    await index.applyChanges(await readChanges(db, afterSeq));
    expect(await loading).toBeGreaterThan(10);
    const filter = parseFilter({ q: 'police' }, catalog);
    const now = new Date('2026-01-01T00:00:00.000Z');
    const sql = sqlListingEngine({
      db,
      search: provider,
      ancestorsOf: (structureId) => catalog.ancestorIds(structureId),
    });
    const byIndex = await runListing({ db, engine: index, search: provider }, filter, now);
    const bySql = await runListing({ db, engine: sql, search: provider }, filter, now);
    expect((await index.matching(filter, now.getTime())).has(id)).toBe(true);
    expect(byIndex.total).toBe(bySql.total);
    expect(byIndex.items.map((item) => item.id)).toEqual(bySql.items.map((item) => item.id));
  });

  it('give "Did you mean" its candidates from memory, with the corrections the headings give', async () => {
    const catalog = await loadCatalog(db);
    const index = await loadBitmapIndex({
      db,
      search: testStore.search,
      terms: testStore.terms,
      subtrees: () => catalog.subtrees,
      frequentTermMinDocuments: MIN_DOCUMENTS,
    });
    let readFromSql = 0;
    const counting: IndexTermSource = {
      ...sqliteIndexTerms,
      correctionTerms(...parts) {
        readFromSql += 1;
        return sqliteIndexTerms.correctionTerms(...parts);
      },
    };
    const held = withHeldTerms(counting, index);
    const texts = ['trafficing', 'polise', 'electons', 'securty', 'humen rigths', 'medai', 'obsrvation', 'yuoth'];
    const corrections: (string | null)[] = [];
    for (const text of texts) {
      const query = parseSearchQuery(text) as SearchQuery;
      const fromHeadings = await suggestCorrection(db, sqliteIndexTerms, query);
      expect(await suggestCorrection(db, held, query), text).toBe(fromHeadings);
      corrections.push(fromHeadings);
    }
    expect(readFromSql).toBe(0);
    expect(corrections.filter((correction) => correction !== null).length).toBeGreaterThanOrEqual(5);
  });
});
