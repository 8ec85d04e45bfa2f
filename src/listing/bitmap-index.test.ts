// The bitmap index's own behaviour; its agreement with SQL is tested in listing.properties.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { createDocument, updateDocument } from '../documents/repository.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { type DocumentBitmapIndex, loadBitmapIndex } from './bitmap-index.ts';
import { parseFilter } from './filter.ts';

describe('tiered relevance for very common words', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  let index: DocumentBitmapIndex;
  const ids: Record<string, number> = {};

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
        ids[slug] = await createDocument(tx, {
          kind: 'news',
          slug,
          title,
          summary,
          bodyHtml: '<p>The wombatword is everywhere.</p>',
          publishedAt: `${date}T00:00:00.000Z`,
          status: 'published',
        });
      }
    });
    index = await loadBitmapIndex(testStore.store.db, testStore.store.changeMarker);
  });
  afterAll(() => testStore.cleanup());

  it('puts title matches first, then summary matches, then the rest, newest first in each', async () => {
    const filter = parseFilter({ q: 'wombatword' }, catalog);
    const search = filter.search;
    if (!search) throw new Error('expected a search');
    const now = Date.parse('2026-01-01T00:00:00Z');
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

  it('is patched in place and equals a freshly loaded order', async () => {
    const { db } = testStore.store;
    const index = await loadBitmapIndex(db, testStore.store.changeMarker, { frequentTermMinDocuments: null });
    const before = await everything(index, false);
    expect(before.length).toBeGreaterThan(150);
    const moved = before.slice(10, 13);
    await testStore.store.transaction(async (tx) => {
      const input = (slug: string, publishedAt: string, status: 'published' | 'draft' = 'published') => ({
        kind: 'news' as const,
        slug,
        title: slug,
        bodyHtml: '<p>Text</p>',
        publishedAt,
        status,
      });
      // Newest, oldest, into the middle, and out of the published set.
      await updateDocument(tx, moved[0] as number, 1, input('moved-newest', '2029-06-01T00:00:00.000Z'));
      await updateDocument(tx, moved[1] as number, 1, input('moved-oldest', '1990-06-01T00:00:00.000Z'));
      await updateDocument(tx, moved[2] as number, 1, input('unpublished', '2015-06-01T00:00:00.000Z', 'draft'));
      await createDocument(tx, input('created-middle', '2012-03-04T00:00:00.000Z'));
    });
    await index.sync();
    const fresh = await loadBitmapIndex(db, testStore.store.changeMarker, { frequentTermMinDocuments: null });
    for (const ascending of [false, true]) {
      const patched = await everything(index, ascending);
      expect(patched).toEqual(await everything(fresh, ascending));
      expect(patched).not.toContain(moved[2]);
    }
    expect((await everything(index, false))[0]).toBe(moved[0]);
    expect((await everything(index, true))[0]).toBe(moved[1]);
  });
});
