// The home page's columns and a document's related documents come from the bitmap index once it
// is loaded, and from SQL before: both must list the same documents in the same order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';
import { documentTerms, findVisibleDocumentByPath, latestDocuments, relatedDocuments } from '../documents/reader.ts';
import type { DocumentKind } from '../store/schema.ts';

describe('newest documents, from the index and from SQL', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp({ demo: 400, bitmapIndex: true });
    await testApp.app.ready();
    await testApp.indexReady;
  });
  afterAll(() => testApp.cleanup());

  const ids = (rows: readonly { id: number }[]) => rows.map((row) => row.id);

  it('is answered by the index once it is loaded', () => {
    expect(testApp.context.listings.engine().name).not.toBe('sql');
  });

  it.each<DocumentKind>(['press-release', 'news', 'statement', 'event'])('lists the newest %s alike', async (kind) => {
    const now = new Date().toISOString();
    const fromIndex = await testApp.context.listings.newest({ kinds: [kind] }, 6);
    expect(fromIndex).toHaveLength(6);
    expect(ids(fromIndex)).toEqual(ids(await latestDocuments(testApp.store.db, now, { kinds: [kind], limit: 6 })));
  });

  it('lists the same related documents for every document, the document itself never among them', async () => {
    const { db } = testApp.store;
    const now = new Date().toISOString();
    const documents = await db
      .selectFrom('documents')
      .select(['permalink'])
      .where('status', '=', 'published')
      .where('kind', '!=', 'page')
      .orderBy('id')
      .limit(60)
      .execute();
    let compared = 0;
    for (const { permalink } of documents) {
      const doc = permalink ? await findVisibleDocumentByPath(db, permalink, now) : null;
      if (!doc) continue;
      const { fieldIds } = await documentTerms(db, doc.id);
      const choice = { fieldIds, sourceIds: doc.sourceIds, besides: doc.id };
      const fromIndex = await testApp.context.listings.newest(choice, 5);
      expect(ids(fromIndex), permalink ?? '').toEqual(ids(await relatedDocuments(db, doc, fieldIds, now, 5)));
      expect(ids(fromIndex)).not.toContain(doc.id);
      compared += 1;
    }
    expect(compared).toBeGreaterThan(40);
  });
});
