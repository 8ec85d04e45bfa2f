// The listing against a brute-force oracle: for seeded random filter combinations on a generated
// corpus, the total, every facet count and the page shown equal what plain JavaScript counts
// from the documents table. Full-text matches come from FTS5 directly, so this checks the filter
// and facet logic, not FTS5 itself.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { createDocument, updateDocument } from '../documents/repository.ts';
import type { SearchQuery } from '../search/query.ts';
import { toFtsQuery } from '../search/sqlite-fts.ts';
import type { DocumentKind } from '../store/schema.ts';
import type { Db } from '../store/store.ts';
import { type Catalog, loadCatalog } from '../taxonomy/catalog.ts';
import { type RandomSource, seededRandom } from '../text/random.ts';
import { loadBitmapIndex } from './bitmap-index.ts';
import { createCountCache } from './count-cache.ts';
import { parseFilter, type Scope } from './filter.ts';
import { FACET_DIMENSIONS, type FacetDimension, runListing } from './listing.ts';

const RUNS = 50;
const KINDS: readonly DocumentKind[] = ['press-release', 'news', 'statement', 'event', 'publication', 'page'];
const QUERIES = [
  'trafficking',
  'police',
  'elections',
  'youth',
  'media',
  'police OR media',
  'trafficking -youth',
  '"human rights"',
  'traffick*',
  'elections youth',
  '-media',
  'co-operation OR partnerships',
  'police OR media elections',
  'elections police OR media -youth',
  '"human rights" OR trafficking traffick* OR youth',
];

interface Doc {
  id: number;
  kind: DocumentKind;
  visible: boolean;
  publishedAt: string;
  year: number;
  sourceId: number | null;
  fields: Set<number>;
  countries: Set<number>;
}

/** The values of one dimension as the oracle compares them. */
type Values = { [D in FacetDimension]: D extends 'type' ? DocumentKind[] : number[] };
type Picks = Partial<Values>;

interface Case {
  query: Record<string, string | string[]>;
  include: Picks;
  exclude: Picks;
  scope: Picks;
  matches: Set<number> | null;
}

let testStore: TestStore;
let db: Db;
let catalog: Catalog;
let now: string;
let docs: Doc[];
let cases: Awaited<ReturnType<typeof generateCase>>[];

async function loadDocs(): Promise<Doc[]> {
  const [rows, fields, countries] = await Promise.all([
    db.selectFrom('documents').select(['id', 'kind', 'status', 'published_at', 'source_id']).execute(),
    db.selectFrom('document_fields').select(['document_id', 'field_id']).execute(),
    db.selectFrom('document_countries').select(['document_id', 'country_id']).execute(),
  ]);
  const byId = new Map<number, Doc>(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        kind: row.kind,
        visible: row.status === 'published' && row.published_at <= now,
        publishedAt: row.published_at,
        year: Number(row.published_at.slice(0, 4)),
        sourceId: row.source_id,
        fields: new Set(),
        countries: new Set(),
      },
    ]),
  );
  for (const link of fields) byId.get(link.document_id)?.fields.add(link.field_id);
  for (const link of countries) byId.get(link.document_id)?.countries.add(link.country_id);
  return [...byId.values()];
}

/** A structure and everything under it, from the parent links (not the catalog's tree). */
function subtree(id: number): number[] {
  const ids = [id];
  for (let i = 0; i < ids.length; i += 1) {
    for (const s of catalog.structures) if (s.parent_id === ids[i]) ids.push(s.id);
  }
  return ids;
}

function has(doc: Doc, dimension: FacetDimension, values: readonly (number | string)[]): boolean {
  switch (dimension) {
    case 'type':
      return values.includes(doc.kind);
    case 'field':
      return values.some((v) => doc.fields.has(v as number));
    case 'country':
      return values.some((v) => doc.countries.has(v as number));
    case 'source':
      return doc.sourceId !== null && values.includes(doc.sourceId);
    case 'year':
      return values.includes(doc.year);
  }
}

/** The oracle: which documents a case selects, optionally ignoring one dimension's choices. */
function selected(c: Case, without?: FacetDimension): Doc[] {
  return docs.filter((doc) => {
    if (!doc.visible) return false;
    if (c.matches && !c.matches.has(doc.id)) return false;
    for (const dimension of FACET_DIMENSIONS) {
      const scope = c.scope[dimension];
      if (scope && !has(doc, dimension, scope)) return false;
      if (dimension === without) continue;
      const include = c.include[dimension];
      const exclude = c.exclude[dimension];
      if (include && include.length > 0 && !has(doc, dimension, include)) return false;
      if (exclude && exclude.length > 0 && has(doc, dimension, exclude)) return false;
    }
    return true;
  });
}

function facetOracle(c: Case, dimension: FacetDimension): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (key: string | number) => {
    counts[String(key)] = (counts[String(key)] ?? 0) + 1;
  };
  for (const doc of selected(c, dimension)) {
    if (dimension === 'type') add(doc.kind);
    if (dimension === 'field') doc.fields.forEach(add);
    if (dimension === 'country') doc.countries.forEach(add);
    if (dimension === 'source' && doc.sourceId !== null) add(doc.sourceId);
    if (dimension === 'year') add(doc.year);
  }
  return counts;
}

const asRecord = (map: ReadonlyMap<string | number, number>) =>
  Object.fromEntries([...map].filter(([, n]) => n > 0).map(([key, n]) => [String(key), n]));

async function ftsIds(match: string): Promise<Map<number, number>> {
  const result = await sql<{ id: number; rank: number }>`
    SELECT rowid AS id, rank FROM document_fts WHERE document_fts MATCH ${match}`.execute(db);
  return new Map(result.rows.map((row) => [row.id, row.rank]));
}

/** Random choices for 0–3 dimensions, sometimes negated, sometimes a search, sometimes a scope. */
async function generateCase(random: RandomSource) {
  const used = <T>(values: Iterable<T>) => [...new Set(values)];
  const visibleDocs = docs.filter((d) => d.visible);
  const fieldIds = used(visibleDocs.flatMap((d) => [...d.fields]));
  const countryIds = used(visibleDocs.flatMap((d) => [...d.countries]));
  const years = [...used(visibleDocs.map((d) => d.year)), 1999];
  const pool: { [D in FacetDimension]: () => { slug: string; values: Values[D] } } = {
    type: () => {
      const kind = random.pick(KINDS);
      return { slug: kind, values: [kind] };
    },
    field: () => {
      const field =
        random.next() < 0.9 ? catalog.fieldById(random.pick(fieldIds)) : random.pick(catalog.fields.slice());
      return { slug: field?.slug ?? '', values: [field?.id ?? 0] };
    },
    country: () => {
      const country =
        random.next() < 0.8 ? catalog.countryById(random.pick(countryIds)) : random.pick(catalog.countries.slice());
      return { slug: country?.slug ?? '', values: [country?.id ?? 0] };
    },
    source: () => {
      const structure = random.pick(catalog.structures);
      return { slug: structure.slug, values: subtree(structure.id) };
    },
    year: () => {
      const year = random.pick(years);
      return { slug: String(year), values: [year] };
    },
  };

  const query: Record<string, string | string[]> = {};
  const include: Picks = {};
  const exclude: Picks = {};
  for (const dimension of random.pickSome(FACET_DIMENSIONS, 0, 3)) {
    const sides = random.next() < 0.15 ? ['include', 'exclude'] : [random.next() < 0.7 ? 'include' : 'exclude'];
    for (const side of sides) {
      const picks = Array.from({ length: 1 + Math.floor(random.next() * 2) }, () => pool[dimension]());
      const name = side === 'include' ? dimension : `not_${dimension}`;
      query[name] = picks.map((p) => p.slug);
      const target = side === 'include' ? include : exclude;
      (target as Record<string, unknown[]>)[dimension] = picks.flatMap((p) => p.values as unknown[]);
    }
  }

  let matches: Set<number> | null = null;
  let ranks: Map<number, number> | null = null;
  if (random.next() < 0.5) {
    const q = random.pick(QUERIES);
    query.q = q;
    const search = parseFilter({ q }, catalog).search;
    if (!search) throw new Error(`"${q}" should be a search`);
    const { required, excluded } = toFtsQuery(search);
    const wanted = required ? await ftsIds(required) : new Map(docs.map((d) => [d.id, 0]));
    const unwanted = excluded ? await ftsIds(excluded) : new Map<number, number>();
    matches = new Set([...wanted.keys()].filter((id) => !unwanted.has(id)));
    ranks = wanted;
  }

  const scope: Picks = {};
  const roll = random.next();
  if (roll < 0.1) scope.type = ['news'];
  else if (roll < 0.2) scope.field = [random.pick(fieldIds)];
  else if (roll < 0.25) scope.country = [random.pick(countryIds)];

  const sortRoll = random.next();
  const sort = matches && sortRoll < 0.25 ? 'relevance' : sortRoll < 0.75 ? 'newest' : 'oldest';
  query.sort = sort;
  if (random.next() < 0.25) query.page = String(2 + Math.floor(random.next() * 2));
  if (random.next() < 0.3) query.page_size = String(1 + Math.floor(random.next() * 15));
  return { c: { query, include, exclude, scope, matches } satisfies Case, sort, ranks };
}

beforeAll(async () => {
  testStore = await buildTestStore({ demo: 1500 });
  db = testStore.store.db;
  catalog = await loadCatalog(db);
  const field = catalog.fields.find((f) => f.kind === 'field');
  const country = catalog.countries[0];
  const later = new Date(Date.now() + 86_400_000).toISOString();
  // Documents readers must never count: a draft and an embargoed one, both matching every query
  // word; plus a visible one with no source and no terms at all.
  await testStore.store.transaction(async (tx) => {
    const words = 'Trafficking, police, elections, youth and media';
    const base = { kind: 'news' as const, title: words, summary: words, bodyHtml: `<p>${words}</p>` };
    const terms = { sourceId: catalog.structures[0]?.id, fieldIds: [field?.id ?? 0], countryIds: [country?.id ?? 0] };
    await createDocument(tx, { ...base, ...terms, slug: 'a-draft', publishedAt: '2010-05-05', status: 'draft' });
    await createDocument(tx, { ...base, ...terms, slug: 'an-embargo', publishedAt: later, status: 'published' });
    await createDocument(tx, { ...base, slug: 'no-terms', publishedAt: '2010-05-05', status: 'published' });
  });
  now = new Date().toISOString();
  docs = await loadDocs();
  const random = seededRandom(20260301);
  cases = [];
  for (let run = 0; run < RUNS; run += 1) cases.push(await generateCase(random));
});
afterAll(() => testStore.cleanup());

describe('listings match a brute-force count of the documents', () => {
  it('the corpus has hidden documents and every query word matches something', async () => {
    expect(docs.length).toBeGreaterThan(1500);
    expect(docs.filter((d) => !d.visible)).toHaveLength(2);
    for (const word of ['trafficking', 'police', 'elections', 'youth', 'media']) {
      expect((await ftsIds(`"${word}"`)).size, word).toBeGreaterThan(2);
    }
  });

  it(`total, every facet count and the page shown agree for ${RUNS} random filters`, async () => {
    let nonEmpty = 0;
    for (const [run, { c, sort, ranks }] of cases.entries()) {
      const label = `run ${run}: ${JSON.stringify(c.query)} scope ${JSON.stringify(c.scope)}`;
      const filter = parseFilter(c.query, catalog, c.scope as Scope);
      const listing = await runListing(db, filter, now, { facets: true });

      const expected = selected(c);
      if (expected.length > 0) nonEmpty += 1;
      expect(listing.total, label).toBe(expected.length);
      for (const dimension of FACET_DIMENSIONS) {
        const facet = listing.facets?.[dimension] as ReadonlyMap<string | number, number>;
        expect(asRecord(facet), `${label}, facet ${dimension}`).toEqual(facetOracle(c, dimension));
      }

      const sign = sort === 'oldest' ? 1 : -1;
      const byDate = (a: Doc, b: Doc) =>
        a.publishedAt === b.publishedAt ? sign * (a.id - b.id) : sign * (a.publishedAt < b.publishedAt ? -1 : 1);
      const ordered =
        sort === 'relevance' && ranks
          ? [...expected].sort((a, b) => (ranks.get(a.id) ?? 0) - (ranks.get(b.id) ?? 0) || byDate(a, b))
          : [...expected].sort(byDate);
      const offset = (filter.page - 1) * filter.pageSize;
      const page = ordered.slice(offset, offset + filter.pageSize).map((d) => d.id);
      expect(
        listing.items.map((item) => item.id),
        `${label}, items`,
      ).toEqual(page);

      // The cursor of a date-ordered page leads to exactly the next slice.
      if (listing.next && filter.page === 1) {
        const second = await runListing(db, { ...filter, after: listing.next }, now);
        expect(
          second.items.map((item) => item.id),
          `${label}, after cursor`,
        ).toEqual(ordered.slice(filter.pageSize, 2 * filter.pageSize).map((d) => d.id));
      }
    }
    // The cases are not all trivially empty.
    expect(nonEmpty).toBeGreaterThan(RUNS / 2);
  });

  it('with a shared count cache, every page of every filter still shows its own total and facets', async () => {
    const cache = createCountCache({ ttlMs: 60_000 });
    for (const pass of ['fill', 'reuse']) {
      for (const [run, { c }] of cases.entries()) {
        const label = `${pass} ${run}: ${JSON.stringify(c.query)} scope ${JSON.stringify(c.scope)}`;
        const query = pass === 'fill' ? { ...c.query, page: '1' } : c.query;
        const listing = await runListing(db, parseFilter(query, catalog, c.scope as Scope), now, {
          facets: true,
          cache,
        });
        expect(listing.total, label).toBe(selected(c).length);
        const facet = listing.facets?.field as ReadonlyMap<number, number>;
        expect(asRecord(facet), `${label}, facet field`).toEqual(facetOracle(c, 'field'));
      }
    }
  });
});

// Postings of frequent words (here: in 20 documents or more, so that every query word has them)
// replace FTS5 for those words; the results must not change.
describe.each([
  { variant: 'facts only', frequentTermMinDocuments: null },
  { variant: 'with postings of frequent words', frequentTermMinDocuments: 20 },
])('the bitmap index gives the same listings as SQL ($variant)', ({ frequentTermMinDocuments }) => {
  const loadIndex = () => loadBitmapIndex(db, testStore.store.changeMarker, { frequentTermMinDocuments });

  it(`total, every facet count, the page and the cursor agree for the ${RUNS} random filters`, async () => {
    const index = await loadIndex();
    if (frequentTermMinDocuments !== null) {
      // Every plain query word is frequent enough to have postings.
      for (const word of ['trafficking', 'police', 'elections', 'youth', 'media']) {
        expect((await ftsIds(`"${word}"`)).size, word).toBeGreaterThanOrEqual(frequentTermMinDocuments);
      }
      expect(index.frequentTermCount).toBeGreaterThan(5);
    }
    for (const [run, { c }] of cases.entries()) {
      const label = `run ${run}: ${JSON.stringify(c.query)} scope ${JSON.stringify(c.scope)}`;
      const filter = parseFilter(c.query, catalog, c.scope as Scope);
      const bySql = await runListing(db, filter, now, { facets: true });
      const byIndex = await runListing(db, filter, now, { facets: true, index });
      expect(byIndex.total, label).toBe(bySql.total);
      for (const dimension of FACET_DIMENSIONS) {
        const counts = (listing: typeof bySql) =>
          asRecord(listing.facets?.[dimension] as ReadonlyMap<string | number, number>);
        expect(counts(byIndex), `${label}, facet ${dimension}`).toEqual(counts(bySql));
      }
      expect(
        byIndex.items.map((item) => item.id),
        `${label}, items`,
      ).toEqual(bySql.items.map((item) => item.id));
      expect(byIndex.next, `${label}, cursor`).toEqual(bySql.next);
      if (bySql.next) {
        const after = { ...filter, after: bySql.next };
        const sqlNext = await runListing(db, after, now);
        const indexNext = await runListing(db, after, now, { index });
        expect(
          indexNext.items.map((item) => item.id),
          `${label}, after cursor`,
        ).toEqual(sqlNext.items.map((item) => item.id));
      }
    }
  });

  it('follows writes and the clock: a new document, an edited one, an embargo that lifts', async () => {
    const index = await loadIndex();
    const slug = `quokka-news-${frequentTermMinDocuments ?? 'facts'}`;
    const filter = parseFilter({ q: 'quokkaword' }, catalog);
    const later = new Date(Date.parse(now) + 3_600_000).toISOString();
    const id = await testStore.store.transaction((tx) =>
      createDocument(tx, {
        kind: 'news',
        slug,
        title: 'Quokkaword news on police',
        bodyHtml: '<p>Quokkaword</p>',
        publishedAt: later,
        status: 'published',
      }),
    );
    expect((await runListing(db, filter, now, { index })).total).toBe(0);
    expect((await runListing(db, filter, later, { index })).items.map((item) => item.id)).toEqual([id]);
    // A frequent word: the new document leads the title tier, newest first.
    const police = parseFilter({ q: 'police', sort: 'relevance' }, catalog);
    const tiered = await index.pageByRelevance(
      await index.matching(police, Date.parse(later)),
      police.search as SearchQuery,
      {
        offset: 0,
        limit: 3,
        exactLimit: 1,
      },
    );
    expect(tiered[0]).toBe(id);
    await testStore.store.transaction((tx) =>
      updateDocument(tx, id, 1, {
        kind: 'news',
        slug,
        title: 'Renamed news',
        bodyHtml: '<p>Nothing here</p>',
        publishedAt: later,
        status: 'published',
      }),
    );
    expect((await runListing(db, filter, later, { index })).total).toBe(0);
    for (const q of ['police', 'police -youth', 'media OR police']) {
      const edited = parseFilter({ q, sort: 'newest' }, catalog);
      const byIndex = await runListing(db, edited, later, { index, facets: true });
      const bySql = await runListing(db, edited, later, { facets: true });
      expect(byIndex.total, q).toBe(bySql.total);
      expect(
        byIndex.items.map((item) => item.id),
        q,
      ).toEqual(bySql.items.map((item) => item.id));
    }
  });
});
