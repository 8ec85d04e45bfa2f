import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { findVisibleDocumentById, upcomingEvents } from '../documents/reader.ts';
import type { Db } from '../store/store.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { generateDemoCorpus } from './demo-corpus.ts';

const COUNT = 600;
const SEED = 7;
const UNTIL = new Date('2026-06-30T00:00:00Z');
const UNTIL_ISO = UNTIL.toISOString();
const DAY_MS = 86_400_000;

/** Every demo document with its sources (lead first), in creation order. */
async function demoDocuments(db: Db) {
  const rows = await db
    .selectFrom('documents')
    .select([
      'id',
      'kind',
      'slug',
      'title',
      'dated_at',
      'ends_at',
      'time_zone',
      'place',
      'publish_at',
      'published_at',
      'permalink',
      'is_demo',
      'status',
      'body_html',
    ])
    .where('is_demo', '=', 1)
    .orderBy('id')
    .execute();
  const sources = await db
    .selectFrom('document_sources')
    .select(['document_id', 'structure_id'])
    .orderBy('document_id')
    .orderBy('position')
    .execute();
  const byDocument = new Map<number, number[]>();
  for (const { document_id, structure_id } of sources) {
    byDocument.set(document_id, [...(byDocument.get(document_id) ?? []), structure_id]);
  }
  return rows.map((row) => ({ ...row, sourceIds: byDocument.get(row.id) ?? [] }));
}

type Demo = Awaited<ReturnType<typeof demoDocuments>>[number];

describe('generateDemoCorpus', () => {
  let testStore: TestStore;
  let catalog: Catalog;
  let docs: Demo[];

  const isUpcoming = (doc: Demo) => doc.dated_at > UNTIL_ISO;

  beforeAll(async () => {
    // The writer's clock stands at `until`, as in setup: the corpus is generated "now".
    testStore = await buildTestStore({ clock: () => UNTIL });
    catalog = await loadCatalog(testStore.store.db);
    expect(
      await generateDemoCorpus(testStore.store, testStore.writer, catalog, { count: COUNT, seed: SEED, until: UNTIL }),
    ).toBe(COUNT);
    docs = await demoDocuments(testStore.store.db);
  });
  afterAll(() => testStore.cleanup());

  it('makes the number asked, all published, marked as demo, each with an address', () => {
    expect(docs).toHaveLength(COUNT);
    expect(docs.filter((d) => d.status !== 'published' || d.is_demo !== 1 || d.permalink === null)).toEqual([]);
  });

  it('spreads over every listed kind and many sources, fields and years', async () => {
    expect(new Set(docs.map((d) => d.kind))).toEqual(
      new Set(['press-release', 'news', 'statement', 'event', 'publication']),
    );
    expect(new Set(docs.map((d) => d.sourceIds[0])).size).toBeGreaterThan(25);
    expect(new Set(docs.map((d) => d.dated_at.slice(0, 4))).size).toBeGreaterThanOrEqual(20);
    const fields = await testStore.store.db.selectFrom('document_fields').select('field_id').distinct().execute();
    expect(fields.length).toBeGreaterThanOrEqual(20);
  });

  it('dates each document within every source’s years and the corpus bounds, closed offices included', () => {
    let closedOffices = 0;
    for (const doc of docs) {
      const year = Number(doc.dated_at.slice(0, 4));
      expect(year).toBeGreaterThanOrEqual(2005);
      for (const sourceId of doc.sourceIds) {
        const source = catalog.structureById(sourceId);
        expect(source, String(sourceId)).toBeDefined();
        expect(year, source?.name).toBeGreaterThanOrEqual(source?.opened_year ?? 0);
        if (source?.closed_year) {
          closedOffices += 1;
          expect(year, source.name).toBeLessThanOrEqual(source.closed_year);
          expect(isUpcoming(doc), source.name).toBe(false);
        }
      }
      if (!isUpcoming(doc)) expect(doc.dated_at <= UNTIL_ISO, doc.dated_at).toBe(true);
    }
    // The check above must have met closed field operations to mean anything.
    expect(closedOffices).toBeGreaterThan(10);
  });

  it('dates some events in the 120 days after `until`, published now and visible as upcoming', async () => {
    const events = docs.filter((d) => d.kind === 'event');
    const upcoming = events.filter(isUpcoming);
    expect(docs.filter(isUpcoming).every((d) => d.kind === 'event')).toBe(true);
    // About 15% of the events.
    expect(upcoming.length).toBeGreaterThanOrEqual(Math.ceil(events.length * 0.05));
    expect(upcoming.length).toBeLessThanOrEqual(Math.ceil(events.length * 0.3));
    for (const event of upcoming) {
      expect(Date.parse(event.dated_at) - UNTIL.getTime()).toBeLessThanOrEqual(121 * DAY_MS);
      expect(event).toMatchObject({ status: 'published', publish_at: null, published_at: UNTIL_ISO });
      expect((await findVisibleDocumentById(testStore.store.db, event.id, UNTIL_ISO))?.id).toBe(event.id);
    }
    const listed = await upcomingEvents(testStore.store.db, UNTIL_ISO, 1_000);
    const listedIds = new Set(listed.map((e) => e.id));
    expect(upcoming.filter((e) => !listedIds.has(e.id))).toEqual([]);
    expect(listed.filter((e) => e.is_demo === 1 && e.dated_at > UNTIL_ISO)).toHaveLength(upcoming.length);
  });

  it('gives every event a time zone and an end after its start, and no other kind either', () => {
    for (const doc of docs) {
      if (doc.kind !== 'event') {
        expect({ time_zone: doc.time_zone, ends_at: doc.ends_at }, doc.slug).toEqual({
          time_zone: null,
          ends_at: null,
        });
        continue;
      }
      expect(doc.time_zone, doc.slug).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/);
      expect(() => new Intl.DateTimeFormat('en', { timeZone: doc.time_zone ?? '' })).not.toThrow();
      expect((doc.ends_at ?? '') > doc.dated_at, doc.slug).toBe(true);
    }
  });

  it('co-issues some documents with the Chairpersonship or the Secretariat as second source', () => {
    const coIssuers = new Set(
      ['chairpersonship', 'secretariat'].map((slug) => catalog.structureBySlug(slug)?.id as number),
    );
    const coIssued = docs.filter((d) => d.sourceIds.length > 1);
    // About 6% of the documents.
    expect(coIssued.length).toBeGreaterThanOrEqual(Math.ceil(COUNT * 0.02));
    expect(coIssued.length).toBeLessThanOrEqual(Math.ceil(COUNT * 0.12));
    for (const doc of coIssued) {
      expect(doc.sourceIds, doc.slug).toHaveLength(2);
      const [lead, partner] = doc.sourceIds as [number, number];
      expect(coIssuers.has(partner), doc.slug).toBe(true);
      expect(lead).not.toBe(partner);
      // The partner's seat joins the dateline's cities.
      const seat = catalog.structureById(partner)?.seat;
      if (seat) expect(doc.place?.split('/'), doc.slug).toContain(seat);
    }
  });

  it('gives unique slugs per kind, and opens each body with a dateline', () => {
    expect(new Set(docs.map((d) => `${d.kind}/${d.slug}`)).size).toBe(docs.length);
    for (const doc of docs.slice(0, 50))
      expect(doc.body_html).toMatch(/^<p>[A-ZÀ-Ž .'-]+, \d{1,2} [A-Z][a-z]+ \d{4} – /);
  });

  it('is deterministic for a seed, and differs for another', async () => {
    const fingerprint = (rows: Demo[]) =>
      rows.map((d) => [d.kind, d.title, d.dated_at, d.ends_at, d.time_zone, d.place, d.sourceIds.join(',')].join('|'));
    const again = async (seed: number) => {
      const other = await buildTestStore({ clock: () => UNTIL });
      try {
        const otherCatalog = await loadCatalog(other.store.db);
        await generateDemoCorpus(other.store, other.writer, otherCatalog, { count: COUNT, seed, until: UNTIL });
        return fingerprint(await demoDocuments(other.store.db));
      } finally {
        await other.cleanup();
      }
    };
    expect(await again(SEED)).toEqual(fingerprint(docs));
    expect(await again(SEED + 1)).not.toEqual(fingerprint(docs));
  });
});
