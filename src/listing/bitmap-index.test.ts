// The bitmap index's own behaviour; its agreement with the oracle and with every other listing
// engine is tested in engine.contract.test.ts.
import type { KyselyPlugin, RootOperationNode, TableNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { latestChangeSeq, readChanges } from '../documents/change-log.ts';
import type { DocumentInput } from '../documents/writer.ts';
import type { SearchProvider } from '../search/provider.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { type DocumentBitmapIndex, loadBitmapIndex } from './bitmap-index.ts';
import { parseFilter } from './filter.ts';

/** The index on a test store's documents, without postings unless asked. */
function indexOn(testStore: TestStore, catalog: Catalog, frequentTermMinDocuments: number | null = null) {
  const { store, search, terms } = testStore;
  return loadBitmapIndex({ db: store.db, search, terms, subtrees: () => catalog.subtrees, frequentTermMinDocuments });
}

describe('tiered relevance for very common words', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  let index: DocumentBitmapIndex;
  const ids: Record<string, number> = {};
  const now = Date.parse('2026-01-01T00:00:00Z');
  const input = (slug: string, title: string, summary: string, date: string): DocumentInput => ({
    kind: 'news',
    slug,
    title,
    summary,
    bodyHtml: '<p>The wombatword is everywhere.</p>',
    datedAt: `${date}T00:00:00.000Z`,
    status: 'published',
  });

  beforeAll(async () => {
    testStore = await buildTestStore();
    catalog = await loadCatalog(testStore.store.db);
    const documents = [
      ['old-title', 'Wombatword in the title', 'Plain summary', '2010-01-01'],
      ['new-title', 'Another wombatword title', 'Plain summary', '2020-01-01'],
      ['new-summary', 'Plain title', 'A wombatword summary', '2022-01-01'],
      ['newest-body', 'Plain title', 'Plain summary', '2024-01-01'],
      ['old-body', 'Plain title', 'Plain summary', '2008-01-01'],
    ] as const;
    await testStore.store.transaction(async (tx) => {
      for (const [slug, title, summary, date] of documents) {
        ids[slug] = await testStore.writer.create(tx, input(slug, title, summary, date));
      }
    });
    index = await indexOn(testStore, catalog);
  });
  afterAll(() => testStore.cleanup());

  it('puts title matches first, then summary matches, then the rest, newest first in each', async () => {
    const filter = parseFilter({ q: 'wombatword' }, catalog);
    const search = filter.search;
    if (!search) throw new Error('expected a search');
    const matches = await index.matching(filter, now);
    expect(matches.size).toBe(5);
    const tiered = await index.pageByRelevance(matches, search, { offset: 0, limit: 10, exactLimit: 1 });
    expect(tiered).toEqual([
      ids['new-title'],
      ids['old-title'],
      ids['new-summary'],
      ids['newest-body'],
      ids['old-body'],
    ]);
    // Pages cut across tiers without losing or repeating anything.
    const pages = [0, 2, 4].map((offset) =>
      index.pageByRelevance(matches, search, { offset, limit: 2, exactLimit: 1 }),
    );
    expect((await Promise.all(pages)).flat()).toEqual(tiered);
    // Below the limit the ranking is bm25's: title matches still lead.
    const exact = await index.pageByRelevance(matches, search, { offset: 0, limit: 10, exactLimit: 100 });
    expect(exact.slice(0, 2).sort()).toEqual([ids['new-title'], ids['old-title']].sort());
  });

  it('places a document written later, once the index follows the log, at the head of its tier', async () => {
    const { db } = testStore.store;
    const followed = await indexOn(testStore, catalog);
    const afterSeq = await latestChangeSeq(db);
    const id = await testStore.store.transaction((tx) =>
      testStore.writer.create(tx, input('newest-title', 'Wombatword news', 'Plain summary', '2025-01-01')),
    );
    const filter = parseFilter({ q: 'wombatword' }, catalog);
    const search = filter.search;
    if (!search) throw new Error('expected a search');
    expect((await followed.matching(filter, now)).has(id)).toBe(false);
    await followed.applyChanges(await readChanges(db, afterSeq));
    const matches = await followed.matching(filter, now);
    expect(matches.size).toBe(6);
    const tiered = await followed.pageByRelevance(matches, search, { offset: 0, limit: 3, exactLimit: 1 });
    expect(tiered).toEqual([id, ids['new-title'], ids['old-title']]);
  });
});

describe('proximity tiers for searches of several words', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  const ids: Record<string, number> = {};
  const now = Date.parse('2026-01-01T00:00:00Z');
  const documents = [
    // slug, title, summary, body, date: each in one tier of `quiet harbour`.
    ['title-phrase-old', 'The quiet harbour plan', 'Plain summary', 'Plain body.', '2001-01-01'],
    ['title-phrase-new', 'A quiet harbour again', 'Plain summary', 'Plain body.', '2003-01-01'],
    ['title-near', 'Harbour kept very quiet', 'Plain summary', 'Plain body.', '2024-01-01'],
    ['summary-near', 'Plain title', 'The quiet old harbour', 'Plain body.', '2023-01-01'],
    ['body-near', 'Plain title', 'Plain summary', 'A quiet and busy harbour.', '2022-01-01'],
    ['title-apart', 'Quiet words on many things about a harbour', 'Plain summary', 'Plain body.', '2025-01-01'],
    ['summary-apart', 'Plain title', 'Quiet words on many things about a harbour', 'Plain body.', '2021-01-01'],
    [
      'body-apart',
      'Plain title',
      'Plain summary',
      'Quiet is the word, and after a long while and many other words, a harbour.',
      '2025-06-01',
    ],
  ] as const;
  const expected = [
    'title-phrase-new',
    'title-phrase-old',
    'title-near',
    'summary-near',
    'body-near',
    'title-apart',
    'summary-apart',
    'body-apart',
  ];

  beforeAll(async () => {
    testStore = await buildTestStore();
    catalog = await loadCatalog(testStore.store.db);
    await testStore.store.transaction(async (tx) => {
      for (const [slug, title, summary, body, date] of documents) {
        ids[slug] = await testStore.writer.create(tx, {
          kind: 'news',
          slug,
          title,
          summary,
          bodyHtml: `<p>${body}</p>`,
          datedAt: `${date}T00:00:00.000Z`,
          status: 'published',
        });
      }
    });
  });
  afterAll(() => testStore.cleanup());

  for (const postings of [null, 1]) {
    it(`ranks together above apart, title above summary above body (postings: ${postings ?? 'none'})`, async () => {
      const index = await indexOn(testStore, catalog, postings);
      const filter = parseFilter({ q: 'quiet harbour' }, catalog);
      const search = filter.search;
      if (!search) throw new Error('expected a search');
      const matches = await index.matching(filter, now);
      expect(matches.size).toBe(documents.length);
      const tiered = await index.pageByRelevance(matches, search, { offset: 0, limit: 20, exactLimit: 1 });
      expect(tiered).toEqual(expected.map((slug) => ids[slug]));
      const pages = [0, 3, 6].map((offset) =>
        index.pageByRelevance(matches, search, { offset, limit: 3, exactLimit: 1 }),
      );
      expect((await Promise.all(pages)).flat()).toEqual(tiered);
      // Exactly ranked (few matches): the same tiers lead, bm25 orders within them.
      const exact = await index.pageByRelevance(matches, search, { offset: 0, limit: 20, exactLimit: 100 });
      expect(exact.slice(2, 5)).toEqual([ids['title-near'], ids['summary-near'], ids['body-near']]);
      expect(new Set(exact.slice(0, 2))).toEqual(new Set([ids['title-phrase-new'], ids['title-phrase-old']]));
      expect(exact.slice(5).sort()).toEqual(
        ['title-apart', 'summary-apart', 'body-apart'].map((slug) => ids[slug]).sort(),
      );
    });
  }

  it('a single word or phrase has no proximity tiers: the column tiers alone rank it', async () => {
    const index = await indexOn(testStore, catalog);
    const filter = parseFilter({ q: '"quiet harbour"' }, catalog);
    const search = filter.search;
    if (!search) throw new Error('expected a search');
    const matches = await index.matching(filter, now);
    expect((await index.pageByRelevance(matches, search, { offset: 0, limit: 20, exactLimit: 1 })).sort()).toEqual(
      ['title-phrase-new', 'title-phrase-old'].map((slug) => ids[slug]).sort(),
    );
    expect(await testStore.search.tierIds(testStore.store.db, search, 'title-near')).toBeNull();
  });
});

describe('date order after writes', () => {
  let testStore: TestStore;
  let catalog: Catalog;

  beforeAll(async () => {
    testStore = await buildTestStore({ demo: 200 });
    catalog = await loadCatalog(testStore.store.db);
  });
  afterAll(() => testStore.cleanup());

  const now = Date.parse('2030-01-01T00:00:00Z');
  const everything = async (index: DocumentBitmapIndex, ascending: boolean) =>
    index.pageByDate(await index.matching(parseFilter({}, catalog), now), {
      offset: 0,
      limit: 1000,
      ascending,
      after: null,
    });

  it('is patched in place from the change log and equals a freshly loaded order', async () => {
    const { db } = testStore.store;
    const { writer } = testStore;
    const afterSeq = await latestChangeSeq(db);
    const index = await indexOn(testStore, catalog);
    const before = await everything(index, false);
    expect(before.length).toBeGreaterThan(150);
    const [newest, oldest, unpublished, deleted] = before.slice(10, 14) as [number, number, number, number];
    const input = (slug: string, datedAt: string, status: 'published' | 'draft' = 'published'): DocumentInput => ({
      kind: 'news',
      slug,
      title: slug,
      bodyHtml: '<p>Text</p>',
      datedAt,
      status,
    });
    const created = await testStore.store.transaction(async (tx) => {
      // Newest, oldest, out of the published set, deleted, and a new one into the middle.
      await writer.update(tx, newest, 1, input('moved-newest', '2029-06-01T00:00:00.000Z'));
      await writer.update(tx, oldest, 1, input('moved-oldest', '1990-06-01T00:00:00.000Z'));
      await writer.update(tx, unpublished, 1, input('unpublished', '2015-06-01T00:00:00.000Z', 'draft'));
      expect(await writer.remove(tx, deleted)).toBe(true);
      return writer.create(tx, input('created-middle', '2012-03-04T00:00:00.000Z'));
    });
    const changes = await readChanges(db, afterSeq);
    expect(changes.map((change) => change.action)).toEqual([
      'updated',
      'updated',
      'unpublished',
      'deleted',
      'created',
      'published',
    ]);
    await index.applyChanges(changes);
    const fresh = await indexOn(testStore, catalog);
    for (const ascending of [false, true]) {
      const patched = await everything(index, ascending);
      expect(patched).toEqual(await everything(fresh, ascending));
      expect(patched).not.toContain(unpublished);
      expect(patched).not.toContain(deleted);
      expect(patched).toContain(created);
      expect(patched).toHaveLength(before.length - 1);
    }
    expect((await everything(index, false))[0]).toBe(newest);
    expect((await everything(index, true))[0]).toBe(oldest);
  });
});

describe('changes applied while listings run', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  // Reads issued while `holdIf` says so are held until `release`: a slow connection, at will.
  let holdIf: (table: string | null) => boolean = () => false;
  let heldQueries = 0;
  let release: () => void = () => {};
  let gate: Promise<void> = Promise.resolve();
  const held = new Set<unknown>();
  const tableOf = (node: RootOperationNode) => {
    const from = node.kind === 'SelectQueryNode' ? node.from?.froms[0] : undefined;
    return from?.kind === 'TableNode' ? (from as TableNode).table.identifier.name : null;
  };
  const holdWhenAsked: KyselyPlugin = {
    transformQuery(args) {
      if (holdIf(tableOf(args.node))) held.add(args.queryId);
      return args.node;
    },
    async transformResult(args) {
      if (held.delete(args.queryId)) {
        heldQueries += 1;
        await gate;
      }
      return args.result;
    },
  };
  const hold = (which: (table: string | null) => boolean) => {
    holdIf = which;
    heldQueries = 0;
    gate = new Promise((resolve) => {
      release = resolve;
    });
  };
  const now = Date.parse('2030-01-01T00:00:00Z');

  beforeAll(async () => {
    testStore = await buildTestStore({ demo: 20 });
    catalog = await loadCatalog(testStore.store.db);
  });
  afterAll(() => testStore.cleanup());

  const heldIndex = () => {
    const { store, search, terms } = testStore;
    return loadBitmapIndex({
      db: store.db.withPlugin(holdWhenAsked),
      search,
      terms,
      subtrees: () => catalog.subtrees,
      frequentTermMinDocuments: null,
    });
  };
  const write = async (slug: string, word: string) => {
    const afterSeq = await latestChangeSeq(testStore.store.db);
    const id = await testStore.store.transaction((tx) =>
      testStore.writer.create(tx, {
        kind: 'news',
        slug,
        title: `A ${word} statement`,
        bodyHtml: '<p>Text</p>',
        datedAt: '2025-05-05T00:00:00.000Z',
        status: 'published',
        sourceIds: [catalog.structureBySlug('chairpersonship')?.id as number],
      }),
    );
    return { id, changes: await readChanges(testStore.store.db, afterSeq) };
  };
  const matches = async (index: DocumentBitmapIndex, query: Record<string, string>, id: number) =>
    (await index.matching(parseFilter(query, catalog), now)).has(id);

  it('a listing during the apply sees each document whole: before it or after it, never without its sources', async () => {
    const index = await heldIndex();
    const { id, changes } = await write('whole-document', 'plain');
    hold((table) => table === 'document_sources');
    const applying = index.applyChanges(changes);
    await expect.poll(() => heldQueries).toBe(1);
    holdIf = () => false;
    const during = [await matches(index, {}, id), await matches(index, { source: 'chairpersonship' }, id)];
    release();
    await applying;
    expect(during).toEqual([false, false]);
    expect([await matches(index, {}, id), await matches(index, { source: 'chairpersonship' }, id)]).toEqual([
      true,
      true,
    ]);
  });

  it('a search whose reading a change overtook is not kept: the next one finds the new document', async () => {
    const { store, search, terms } = testStore;
    // The full-text index answers, then its answer is held: the change is applied meanwhile.
    let answered = 0;
    const slowSearch: SearchProvider = {
      ...search,
      async matchingIds(...args) {
        const ids = await search.matchingIds(...args);
        answered += 1;
        await gate;
        return ids;
      },
    };
    const index = await loadBitmapIndex({
      db: store.db,
      search: slowSearch,
      terms,
      subtrees: () => catalog.subtrees,
      frequentTermMinDocuments: null,
    });
    hold(() => false);
    const inFlight = matches(index, { q: 'quorblewick' }, 0);
    await expect.poll(() => answered).toBe(1);
    const { id, changes } = await write('overtaking-document', 'quorblewick');
    await index.applyChanges(changes);
    release();
    await inFlight;
    expect(await matches(index, { q: 'quorblewick' }, id)).toBe(true);
  });
});

describe('paging in date order', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  let index: DocumentBitmapIndex;
  /** Every document's date, in milliseconds, by id. */
  const datedAt = new Map<number, number>();
  const now = Date.now();

  beforeAll(async () => {
    // Enough documents, over enough years, that each way of paging is taken: the scan of the date
    // order, whole years skipped by their counts, and the selection of the page's slice.
    testStore = await buildTestStore({ demo: 3000 });
    catalog = await loadCatalog(testStore.store.db);
    index = await indexOn(testStore, catalog);
    for (const row of await testStore.store.db.selectFrom('documents').select(['id', 'dated_at']).execute())
      datedAt.set(row.id, Date.parse(row.dated_at));
  }, 120_000);
  afterAll(() => testStore.cleanup());

  /** The oracle: the matches sorted by date, ties by id, oldest first. */
  const dateOrder = (ids: Iterable<number>) =>
    [...ids].sort((a, b) => (datedAt.get(a) as number) - (datedAt.get(b) as number) || a - b);

  const filters = (): [string, Record<string, string>][] => {
    const densest = catalog.fields[0]?.slug as string;
    return [
      ['every document', {}],
      ['a field of work', { field: densest }],
      ['a country', { country: catalog.countries[5]?.slug as string }],
      ['a structure', { source: catalog.structures[3]?.slug as string }],
      ['two years', { year: '2012,2019' }],
      ['a date range', { from: '2015-03-01', to: '2016-09-30' }],
    ];
  };

  it('gives every page, both ways, as sorting every match would, with and without cursors', async () => {
    let pages = 0;
    for (const [, query] of filters()) {
      const kept = await index.matching(parseFilter(query, catalog), now);
      const oldestFirst = dateOrder(kept.toArray());
      expect(oldestFirst.length).toBeGreaterThan(10);
      // The filter's kept matches page from their sorted places; a copy (as a search's matches)
      // pages by years, by scans of the date order or by selection.
      for (const [matches, ascending] of [
        [kept, true],
        [kept, false],
        [kept.clone(), true],
        [kept.clone(), false],
      ] as const) {
        const expected = ascending ? oldestFirst : [...oldestFirst].reverse();
        for (const limit of [1, 6, 20]) {
          for (let offset = 0; offset < expected.length + limit; offset += limit) {
            const page = index.pageByDate(matches, { offset, limit, ascending, after: null });
            expect(page).toEqual(expected.slice(offset, offset + limit));
            pages += 1;
          }
        }
        // Cursors: after each twentieth document, the next twenty.
        for (let at = 0; at < expected.length; at += 20) {
          const id = expected[at] as number;
          const after = { datedAt: new Date(datedAt.get(id) as number).toISOString(), id };
          expect(index.pageByDate(matches, { offset: 0, limit: 20, ascending, after })).toEqual(
            expected.slice(at + 1, at + 21),
          );
          pages += 1;
        }
      }
    }
    expect(pages).toBeGreaterThan(6000);
  }, 60_000);
});
