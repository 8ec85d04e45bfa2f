// The document page reads its document and terms in two prepared statements; they must give what
// the separate readers give, in the author's order, under the same visibility rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { documentTerms, findVisibleDocumentByPath, findVisibleDocumentWithTerms } from './reader.ts';

describe('findVisibleDocumentWithTerms', () => {
  let testStore: TestStore;
  const NOW = new Date().toISOString();
  beforeAll(async () => {
    testStore = await buildTestStore({ demo: 150 });
  });
  afterAll(() => testStore.cleanup());

  it('gives every document and its terms as findVisibleDocumentByPath and documentTerms do', async () => {
    const { db } = testStore.store;
    const rows = await db.selectFrom('documents').select(['permalink']).orderBy('id').execute();
    let compared = 0;
    for (const { permalink } of rows) {
      if (!permalink) continue;
      const doc = await findVisibleDocumentByPath(db, permalink, NOW);
      const found = await findVisibleDocumentWithTerms(db, permalink, NOW);
      if (!doc) {
        expect(found, permalink).toBeUndefined();
        continue;
      }
      expect(found?.doc, permalink).toEqual(doc);
      expect(found?.terms, permalink).toEqual(await documentTerms(db, doc.id));
      compared += 1;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('keeps the author’s order of sources, fields and countries, not the ids’', async () => {
    const { store, writer } = testStore;
    const ids = async (table: 'structures' | 'fields_of_work' | 'countries') =>
      (await store.db.selectFrom(table).select('id').orderBy('id').limit(3).execute()).map((row) => row.id);
    const [sources, fields, countries] = [await ids('structures'), await ids('fields_of_work'), await ids('countries')];
    const reversed = (list: number[]) => [...list].reverse();
    const at = '2026-11-02T09:00:00.000Z';
    await store.transaction((tx) =>
      writer.create(tx, {
        kind: 'statement',
        slug: 'order-of-terms',
        title: 'Order of terms',
        bodyHtml: '<p>Text</p>',
        datedAt: at,
        status: 'published',
        sourceIds: reversed(sources),
        fieldIds: reversed(fields),
        countryIds: reversed(countries),
      }),
    );
    const found = await findVisibleDocumentWithTerms(store.db, '/statements/2026/11/order-of-terms', NOW);
    expect(found?.doc.sourceIds).toEqual(reversed(sources));
    expect(found?.terms).toEqual({ fieldIds: reversed(fields), countryIds: reversed(countries) });
  });

  it('finds nothing before an embargo lifts, nor a draft', async () => {
    const { store, writer } = testStore;
    for (const [slug, extra] of [
      ['embargoed-statement', { status: 'published' as const, publishAt: '2099-01-01T00:00:00.000Z' }],
      ['draft-statement', { status: 'draft' as const }],
    ] as const) {
      await store.transaction((tx) =>
        writer.create(tx, {
          kind: 'statement',
          slug,
          title: slug,
          bodyHtml: '<p>x</p>',
          datedAt: '2026-11-03T09:00:00.000Z',
          ...extra,
        }),
      );
      expect(await findVisibleDocumentWithTerms(store.db, `/statements/2026/11/${slug}`, NOW)).toBeUndefined();
    }
    expect(
      await findVisibleDocumentWithTerms(
        store.db,
        '/statements/2026/11/embargoed-statement',
        '2099-01-01T00:00:00.000Z',
      ),
    ).toBeDefined();
  });
});
