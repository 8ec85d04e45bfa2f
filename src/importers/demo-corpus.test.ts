import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { generateDemoCorpus } from './demo-corpus.ts';

describe('generateDemoCorpus', () => {
  let testStore: TestStore;
  let catalog: Catalog;

  beforeAll(async () => {
    testStore = await buildTestStore();
    catalog = await loadCatalog(testStore.store.db);
    await generateDemoCorpus(testStore.store, catalog, {
      count: 600,
      seed: 7,
      until: new Date('2026-06-30T00:00:00Z'),
    });
  });
  afterAll(() => testStore.cleanup());

  const demoDocuments = () =>
    testStore.store.db
      .selectFrom('documents')
      .select(['id', 'kind', 'slug', 'title', 'published_at', 'source_id', 'is_demo', 'status', 'body_html'])
      .where('is_demo', '=', 1)
      .orderBy('id')
      .execute();

  it('makes the number asked, all published and marked as demo', async () => {
    const docs = await demoDocuments();
    expect(docs).toHaveLength(600);
    expect(docs.every((d) => d.status === 'published' && d.is_demo === 1)).toBe(true);
  });

  it('spreads over every listed kind and many sources, fields and years', async () => {
    const docs = await demoDocuments();
    expect(new Set(docs.map((d) => d.kind))).toEqual(
      new Set(['press-release', 'news', 'statement', 'event', 'publication']),
    );
    expect(new Set(docs.map((d) => d.source_id)).size).toBeGreaterThan(25);
    expect(new Set(docs.map((d) => d.published_at.slice(0, 4))).size).toBeGreaterThanOrEqual(20);
    const fields = await testStore.store.db.selectFrom('document_fields').select('field_id').distinct().execute();
    expect(fields.length).toBeGreaterThanOrEqual(20);
  });

  it('dates each document within its source office’s years and the corpus bounds', async () => {
    for (const doc of await demoDocuments()) {
      const source = catalog.structureById(doc.source_id as number);
      const year = Number(doc.published_at.slice(0, 4));
      expect(year).toBeGreaterThanOrEqual(Math.max(2005, source?.opened_year ?? 0));
      if (source?.closed_year) expect(year, source.name).toBeLessThanOrEqual(source.closed_year);
      expect(doc.published_at <= '2026-06-30T00:00:00.000Z').toBe(true);
    }
  });

  it('gives unique slugs per kind, and opens each body with a dateline', async () => {
    const docs = await demoDocuments();
    expect(new Set(docs.map((d) => `${d.kind}/${d.slug}`)).size).toBe(docs.length);
    for (const doc of docs.slice(0, 50))
      expect(doc.body_html).toMatch(/^<p>[A-ZÀ-Ž .'-]+, \d{1,2} [A-Z][a-z]+ \d{4} – /);
  });

  it('is deterministic for a seed', async () => {
    const other = await buildTestStore();
    try {
      const otherCatalog = await loadCatalog(other.store.db);
      await generateDemoCorpus(other.store, otherCatalog, {
        count: 600,
        seed: 7,
        until: new Date('2026-06-30T00:00:00Z'),
      });
      const titles = (
        await other.store.db.selectFrom('documents').select('title').where('is_demo', '=', 1).orderBy('id').execute()
      ).map((d) => d.title);
      expect(titles).toEqual((await demoDocuments()).map((d) => d.title));
    } finally {
      await other.cleanup();
    }
  });
});
