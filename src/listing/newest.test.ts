// The home page's columns and a document's related documents come from the bitmap index once it
// is loaded, and from SQL before: both must list the same documents in the same order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/test-app.ts';
import {
  documentTerms,
  findVisibleDocumentByPath,
  latestDocuments,
  relatedDocuments,
  upcomingEvents,
} from '../documents/reader.ts';
import type { DocumentKind } from '../store/schema.ts';

describe('newest documents, from the index and from SQL', () => {
  let testApp: TestApp;
  /** The app's clock: the tests below move it to list events as they will be seen then. */
  let moment: number | null = null;
  beforeAll(async () => {
    testApp = await buildTestApp({ demo: 400, bitmapIndex: true, clock: () => new Date(moment ?? Date.now()) });
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

  it('lists the same upcoming events at every moment around their starts and ends, embargoes held', async () => {
    const { db } = testApp.store;
    const start = Date.now();
    // An event embargoed for a day, under way for a week from tomorrow: the longest one.
    await testApp.store.transaction((tx) =>
      testApp.writer.create(tx, {
        kind: 'event',
        slug: 'embargoed-week-long-meeting',
        title: 'Embargoed week-long meeting',
        bodyHtml: '<p>Soon</p>',
        datedAt: new Date(start + 86_400_000).toISOString(),
        endsAt: new Date(start + 8 * 86_400_000).toISOString(),
        publishAt: new Date(start + 86_400_000 + 60_000).toISOString(),
        status: 'published',
      }),
    );
    const events = await db
      .selectFrom('documents')
      .select(['dated_at', 'ends_at', 'publish_at'])
      .where('kind', '=', 'event')
      .orderBy('dated_at', 'desc')
      .limit(30)
      .execute();
    const moments = [start, ...events.flatMap((event) => [event.dated_at, event.ends_at, event.publish_at])]
      .flatMap((at) => (at === null ? [] : [typeof at === 'number' ? at : Date.parse(at)]))
      .flatMap((at) => [at - 1, at, at + 1, at + 3_600_000]);
    let underway = 0;
    try {
      for (const at of moments) {
        moment = at;
        const iso = new Date(at).toISOString();
        const fromIndex = await testApp.context.listings.upcomingEvents(5);
        const fromSql = await upcomingEvents(db, iso, 5);
        expect(ids(fromIndex), iso).toEqual(ids(fromSql));
        if (fromSql.some((event) => event.dated_at < iso)) underway += 1;
      }
    } finally {
      moment = null;
    }
    expect(underway, 'moments with an event under way').toBeGreaterThan(10);
  });
});
