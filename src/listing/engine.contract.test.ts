// The contract of ListingEngine (engine.ts): every engine in ENGINES, run through runListing,
// against a brute-force oracle. For seeded random filter combinations on a generated corpus, the
// total, every facet count, the page shown and the cursor equal what plain JavaScript counts from
// the documents table. Full-text matches come from the database's index directly (FTS5, or the
// tsvector on PostgreSQL), so this checks the filter, the visibility rule and the facet semantics,
// not the index itself. A new listing engine only adds itself to ENGINES; the whole contract runs
// on every database engine in STORE_ENGINES.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { skipPostgres } from '../../test/support/postgres.ts';
import { buildTestStore, type TestStore } from '../../test/support/test-app.ts';
import { ChangeFollower, latestChangeSeq } from '../documents/change-log.ts';
import type { DocumentInput, DocumentWriter } from '../documents/writer.ts';
import { toTsquery } from '../search/postgres-tsquery.ts';
import type { IndexTermSource, SearchProvider } from '../search/provider.ts';
import { asPhrase, NEAR_DISTANCE, proximityTerms } from '../search/proximity.ts';
import { parseSearchQuery, type SearchQuery } from '../search/query.ts';
import { toFtsQuery } from '../search/sqlite-fts.ts';
import type { Engine } from '../store/dialect.ts';
import type { DocumentKind, DocumentStatus } from '../store/schema.ts';
import type { Db, Store } from '../store/store.ts';
import { type Catalog, loadCatalog, type StructureNode } from '../taxonomy/catalog.ts';
import { type RandomSource, seededRandom } from '../text/random.ts';
import { loadBitmapIndex } from './bitmap-index.ts';
import { type CountCache, createCountCache } from './count-cache.ts';
import { FACET_DIMENSIONS, type FacetCounts, type FacetDimension, type ListingEngine } from './engine.ts';
import { type Cursor, type Filter, parseFilter, type Scope } from './filter.ts';
import { type Listing, runListing } from './listing.ts';
import { sqlListingEngine } from './sql-engine.ts';

const RUNS = 50;
const DAY_MS = 86_400_000;
const KINDS: readonly DocumentKind[] = ['press-release', 'news', 'statement', 'event', 'publication', 'page'];
const WORDS = ['trafficking', 'police', 'elections', 'youth', 'media', 'human rights', 'co-operation', 'partnerships'];
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
  'human rights police',
  '"human rights" police',
  'police co-operation',
  'youth trafficking media',
  '-media',
  'co-operation OR partnerships',
  'police OR media elections',
  'elections police OR media -youth',
  '"human rights" OR trafficking traffick* OR youth',
  'sec*',
  'pol* OR med*',
  'elect* -you*',
  'hum* rights',
  'co-oper* OR partner*',
];

// ---------------------------------------------------------------------------------------------
// The engines under contract.

interface EngineUnderTest {
  name: string;
  /** An engine on the documents as they are now; `follow` brings it up to date with later writes. */
  make(): Promise<{ engine: ListingEngine; follow(): Promise<void> }>;
  /** Differs from another engine only in where its search comes from: the oracle and writes suffice. */
  searchOnly?: boolean;
}

/** The bitmap index, loaded now and following the change log from where it loaded. */
async function followedBitmapIndex(frequentTermMinDocuments: number | null) {
  const afterSeq = await latestChangeSeq(db);
  const index = await loadBitmapIndex({
    db,
    search,
    terms,
    subtrees: () => catalog.subtrees,
    frequentTermMinDocuments,
  });
  if (frequentTermMinDocuments !== null) {
    // Not vacuous: the postings really hold every term of the index, so searches use them.
    const expected = (await terms.vocabulary(db, frequentTermMinDocuments)).frequent.length;
    if (expected < 40 || index.frequentTermCount !== expected) {
      throw new Error(`postings hold ${index.frequentTermCount} terms of ${expected}`);
    }
  }
  const follower = new ChangeFollower(store, { pollMs: 0 });
  follower.startAfter(afterSeq);
  follower.subscribe((changes) => index.applyChanges(changes));
  return { engine: index, follow: () => follower.catchUp() };
}

const ENGINES: EngineUnderTest[] = [
  {
    name: 'sql',
    make: async () => ({
      engine: sqlListingEngine({ db, search, ancestorsOf: (id) => catalog.ancestorIds(id) }),
      follow: async () => {},
    }),
  },
  { name: 'bitmap', make: () => followedBitmapIndex(null) },
  // Every word of the index held as postings: searches are bitmap algebra, not FTS5 lookups.
  { name: 'bitmap with postings of every word', make: () => followedBitmapIndex(1), searchOnly: true },
  // Some words held, others not: a prefix is answered from the postings of the terms it starts
  // that are held and the others' ids.
  {
    name: 'bitmap with postings of words in 150 or more documents',
    make: () => followedBitmapIndex(150),
    searchOnly: true,
  },
];

// ---------------------------------------------------------------------------------------------
// The oracle: plain JavaScript over the documents table.

interface Doc {
  id: number;
  kind: DocumentKind;
  status: DocumentStatus;
  /** Embargo, ms since the epoch (null: none). */
  publishAt: number | null;
  datedAt: string;
  datedMs: number;
  year: number;
  sources: number[];
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
  q: string | null;
  from: string | null;
  to: string | null;
}

/** The database engines the contract runs on, one after the other. */
const STORE_ENGINES: Engine[] = skipPostgres ? ['sqlite'] : ['sqlite', 'postgres'];

let engineName: Engine;
let testStore: TestStore;
let store: Store;
let db: Db;
let writer: DocumentWriter;
let search: SearchProvider;
let terms: IndexTermSource;
let catalog: Catalog;
let now: Date;
let docs: Doc[];
let cases: Case[];
/** Parent of every structure, read from the structures table (not from the catalogue's tree). */
let parentOf: Map<number, number | null>;
/** The documents of the corpus readers must not see at `now`. */
const hiddenSlugs = new Set<string>();
const idOf = new Map<string, number>();

async function loadDocs(): Promise<Doc[]> {
  const [rows, sources, fields, countries] = await Promise.all([
    db.selectFrom('documents').select(['id', 'kind', 'status', 'publish_at', 'dated_at']).execute(),
    db.selectFrom('document_sources').select(['document_id', 'structure_id', 'position']).orderBy('position').execute(),
    db.selectFrom('document_fields').select(['document_id', 'field_id']).execute(),
    db.selectFrom('document_countries').select(['document_id', 'country_id']).execute(),
  ]);
  const byId = new Map<number, Doc>(
    rows.map((row) => {
      const datedMs = Date.parse(row.dated_at);
      return [
        row.id,
        {
          id: row.id,
          kind: row.kind,
          status: row.status,
          publishAt: row.publish_at === null ? null : Date.parse(row.publish_at),
          datedAt: row.dated_at,
          datedMs,
          year: new Date(datedMs).getUTCFullYear(),
          sources: [],
          fields: new Set(),
          countries: new Set(),
        },
      ];
    }),
  );
  for (const link of sources) byId.get(link.document_id)?.sources.push(link.structure_id);
  for (const link of fields) byId.get(link.document_id)?.fields.add(link.field_id);
  for (const link of countries) byId.get(link.document_id)?.countries.add(link.country_id);
  return [...byId.values()];
}

const visibleAt = (doc: Doc, moment: Date) =>
  doc.status === 'published' && (doc.publishAt === null || doc.publishAt <= moment.getTime());

/** A structure and everything under it. */
function subtreeOf(id: number): number[] {
  const ids = [id];
  for (let i = 0; i < ids.length; i += 1) {
    for (const [child, parent] of parentOf) if (parent === ids[i]) ids.push(child);
  }
  return ids;
}

/** A structure and everything above it. */
function ancestorsOf(id: number): number[] {
  const ids: number[] = [];
  for (let at: number | null | undefined = id; at !== null && at !== undefined; at = parentOf.get(at)) ids.push(at);
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
      return doc.sources.some((s) => values.includes(s));
    case 'year':
      return values.includes(doc.year);
  }
}

interface SearchMatches {
  /** null: no search. */
  matches: Set<number> | null;
  /** FTS5 rank of the required part (null: no required part). */
  ranks: Map<number, number> | null;
  /** Each match's proximity tier (0 best), from its texts' terms (null: a single term). */
  tiers: Map<number, number> | null;
}

/** A phrase as index terms; a prefix phrase's last term matches any term it starts. */
interface OraclePhrase {
  terms: string[];
  prefix: boolean;
}

/** Where `phrase` starts in `tokens`. */
function phraseStarts(tokens: readonly string[], phrase: OraclePhrase): number[] {
  const starts: number[] = [];
  const n = phrase.terms.length;
  for (let at = 0; at + n <= tokens.length; at += 1) {
    const fits = phrase.terms.every((term, k) =>
      phrase.prefix && k === n - 1 ? (tokens[at + k] as string).startsWith(term) : tokens[at + k] === term,
    );
    if (fits) starts.push(at);
  }
  return starts;
}

/**
 * FTS5's NEAR as its documentation states it: some instance of every phrase, with at most
 * `distance` tokens between the end of the first phrase of the clump and the start of its last.
 */
function near(tokens: readonly string[], phrases: readonly OraclePhrase[], distance: number): boolean {
  const instances = phrases.map((phrase) =>
    phraseStarts(tokens, phrase).map((start) => ({ start, length: phrase.terms.length })),
  );
  if (instances.some((list) => list.length === 0)) return false;
  const clumps = (k: number, chosen: { start: number; length: number }[]): boolean => {
    if (k === instances.length) {
      const first = chosen.reduce((a, b) => (b.start < a.start ? b : a));
      const last = chosen.reduce((a, b) => (b.start > a.start ? b : a));
      return last.start - (first.start + first.length) <= distance;
    }
    return (instances[k] as { start: number; length: number }[]).some((instance) =>
      clumps(k + 1, [...chosen, instance]),
    );
  };
  return clumps(0, []);
}

/** The proximity tier of each document, computed from its own title, summary and body terms. */
async function oracleTiers(search: SearchQuery, ids: readonly number[]): Promise<Map<number, number> | null> {
  const terms = proximityTerms(search);
  if (!terms) return null;
  const toPhrase = async (words: readonly string[], prefix: boolean) => ({
    terms: await testStore.terms.termsOf(db, words.join(' ')),
    prefix,
  });
  const phrases = await Promise.all(terms.map((term) => toPhrase(term.words, term.prefix)));
  const whole = asPhrase(terms);
  const together = whole ? await toPhrase(whole.words, whole.prefix) : null;
  const tests: ((text: { title: string[]; summary: string[]; body: string[] }) => boolean)[] = [
    ...(together ? [(t: { title: string[] }) => phraseStarts(t.title, together).length > 0] : []),
    (t) => near(t.title, phrases, NEAR_DISTANCE),
    (t) => near(t.summary, phrases, NEAR_DISTANCE),
    (t) => near(t.body, phrases, NEAR_DISTANCE),
  ];
  const texts = await db
    .selectFrom('document_texts')
    .selectAll()
    .where('document_id', 'in', [...ids, 0])
    .execute();
  const tiers = new Map<number, number>();
  for (const text of texts) {
    const tokens = {
      title: await testStore.terms.termsOf(db, text.title),
      summary: await testStore.terms.termsOf(db, text.summary),
      body: await testStore.terms.termsOf(db, text.body),
    };
    const tier = tests.findIndex((test) => test(tokens));
    tiers.set(text.document_id, tier === -1 ? tests.length : tier);
  }
  return tiers;
}

/** The engine's own query text for a search (FTS5's, or PostgreSQL's tsquery). */
const compiled = (parsed: SearchQuery) => (engineName === 'postgres' ? toTsquery(parsed) : toFtsQuery(parsed));

/** The documents the engine's index matches, read from it directly, with their rank (lower is better). */
async function indexMatches(text: string): Promise<Map<number, number>> {
  const result =
    engineName === 'postgres'
      ? await sql<{ id: number; rank: number }>`
        SELECT document_id AS id, -ts_rank('{0, 0.1, 0.4, 1.0}'::float4[], search, to_tsquery('dateline', ${text})) AS rank
        FROM document_texts WHERE search @@ to_tsquery('dateline', ${text})`.execute(db)
      : await sql<{ id: number; rank: number }>`
        SELECT rowid AS id, rank FROM document_fts WHERE document_fts MATCH ${text}`.execute(db);
  return new Map(result.rows.map((row) => [row.id, row.rank]));
}

async function searchMatches(q: string | null, all: readonly Doc[]): Promise<SearchMatches> {
  if (q === null) return { matches: null, ranks: null, tiers: null };
  const parsed = parseFilter({ q }, catalog).search;
  if (!parsed) throw new Error(`"${q}" should be a search`);
  const { required, excluded } = compiled(parsed);
  const wanted = required ? await indexMatches(required) : null;
  const unwanted = excluded ? await indexMatches(excluded) : new Map<number, number>();
  const candidates = wanted ? [...wanted.keys()] : all.map((d) => d.id);
  const matches = candidates.filter((id) => !unwanted.has(id));
  return { matches: new Set(matches), ranks: wanted, tiers: wanted ? await oracleTiers(parsed, matches) : null };
}

/** Which documents a case selects at `moment`, optionally ignoring one dimension's choices. */
function selected(c: Case, all: readonly Doc[], moment: Date, found: SearchMatches, without?: FacetDimension): Doc[] {
  const fromMs = c.from ? Date.parse(`${c.from}T00:00:00.000Z`) : Number.NEGATIVE_INFINITY;
  const untilMs = c.to ? Date.parse(`${c.to}T00:00:00.000Z`) + DAY_MS : Number.POSITIVE_INFINITY;
  return all.filter((doc) => {
    if (!visibleAt(doc, moment)) return false;
    if (found.matches && !found.matches.has(doc.id)) return false;
    if (doc.datedMs < fromMs || doc.datedMs >= untilMs) return false;
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

/** A facet's counts as the oracle counts them; a document counts once per structure it reaches. */
function facetOracle(chosen: readonly Doc[], dimension: FacetDimension): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (key: string | number) => {
    counts[String(key)] = (counts[String(key)] ?? 0) + 1;
  };
  for (const doc of chosen) {
    if (dimension === 'type') add(doc.kind);
    if (dimension === 'field') doc.fields.forEach(add);
    if (dimension === 'country') doc.countries.forEach(add);
    if (dimension === 'source') new Set(doc.sources.flatMap(ancestorsOf)).forEach(add);
    if (dimension === 'year') add(doc.year);
  }
  return counts;
}

/** An engine's facet as a record; zero counts are kept, since the contract leaves them out. */
function facetRecord(facets: FacetCounts | null, dimension: FacetDimension): Record<string, number> | null {
  if (!facets) return null;
  const map: ReadonlyMap<string | number, number> = facets[dimension];
  return Object.fromEntries([...map].map(([key, n]) => [String(key), n]));
}

interface Run {
  engine: ListingEngine;
  cache?: CountCache;
}

const list = (run: Run, filter: Filter, moment: Date, facets = false): Promise<Listing> =>
  runListing({ db, engine: run.engine, search, cache: run.cache }, filter, moment, { facets });

const ids = (listing: Listing) => listing.items.map((item) => item.id);

/**
 * Runs a case on an engine and checks it against the oracle: the total, every facet, the page,
 * the cursor and the page after it. Returns how many documents match.
 */
async function expectOracle(run: Run, c: Case, moment: Date, all: readonly Doc[], label: string): Promise<number> {
  const filter = parseFilter(c.query, catalog, c.scope as Scope);
  const listing = await list(run, filter, moment, true);
  const found = await searchMatches(c.q, all);
  const expected = selected(c, all, moment, found);

  expect(listing.total, `${label}, total`).toBe(expected.length);
  expect(listing.pageCount, `${label}, page count`).toBe(Math.max(1, Math.ceil(expected.length / filter.pageSize)));
  for (const dimension of FACET_DIMENSIONS) {
    expect(facetRecord(listing.facets, dimension), `${label}, facet ${dimension}`).toEqual(
      facetOracle(selected(c, all, moment, found, dimension), dimension),
    );
  }

  const sign = filter.sort === 'oldest' ? 1 : -1;
  const byDate = (a: Doc, b: Doc) => sign * (a.datedMs - b.datedMs || a.id - b.id);
  const { ranks, tiers } = found;
  const tierOf = (doc: Doc) => tiers?.get(doc.id) ?? 0;
  const ordered =
    filter.sort === 'relevance' && ranks
      ? [...expected].sort(
          (a, b) => tierOf(a) - tierOf(b) || (ranks.get(a.id) ?? 0) - (ranks.get(b.id) ?? 0) || byDate(a, b),
        )
      : [...expected].sort(byDate);
  const offset = (filter.page - 1) * filter.pageSize;
  const page = ordered.slice(offset, offset + filter.pageSize);
  expect(ids(listing), `${label}, items`).toEqual(page.map((d) => d.id));

  const last = page.at(-1);
  const next: Cursor | null =
    filter.sort !== 'relevance' && last && page.length === filter.pageSize && offset + page.length < expected.length
      ? { datedAt: last.datedAt, id: last.id }
      : null;
  expect(listing.next, `${label}, cursor`).toEqual(next);
  if (listing.next) {
    // The cursor leads to exactly the next slice.
    const after = await list(run, { ...filter, page: 1, after: listing.next }, moment);
    expect(ids(after), `${label}, after cursor`).toEqual(
      ordered.slice(offset + filter.pageSize, offset + 2 * filter.pageSize).map((d) => d.id),
    );
  }
  return expected.length;
}

type Query = Record<string, string>;

/** A case from plain parameters, the oracle's picks resolved from them. */
function caseOf(query: Query): Case {
  const c: Case = {
    query,
    include: {},
    exclude: {},
    scope: {},
    q: query.q ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
  };
  const slugs = (name: string) => (query[name] ?? '').split(',').filter((s) => s !== '');
  for (const side of ['include', 'exclude'] as const) {
    const prefix = side === 'include' ? '' : 'not_';
    const sourceSlugs = slugs(`${prefix}source`);
    if (sourceSlugs.length > 0) {
      c[side].source = sourceSlugs.flatMap((slug) => subtreeOf(structure(slug).id));
    }
    if (slugs(`${prefix}type`).length > 0) c[side].type = slugs(`${prefix}type`) as DocumentKind[];
  }
  if (
    Object.keys(query).some(
      (name) => !['q', 'source', 'not_source', 'type', 'not_type', 'from', 'to', 'sort'].includes(name),
    )
  ) {
    throw new Error(`caseOf does not read ${JSON.stringify(query)}`);
  }
  return c;
}

function structure(slug: string): StructureNode {
  const node = catalog.structureBySlug(slug);
  if (!node) throw new Error(`no structure ${slug}`);
  return node;
}

// ---------------------------------------------------------------------------------------------
// The corpus and the random cases.

/** Random choices for 0–3 dimensions, sometimes negated, a search, a scope, dates, a page. */
function generateCase(random: RandomSource): Case {
  const used = <T>(values: Iterable<T>) => [...new Set(values)];
  const visibleDocs = docs.filter((d) => visibleAt(d, now));
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
      if (!field) throw new Error('no field');
      return { slug: field.slug, values: [field.id] };
    },
    country: () => {
      const country =
        random.next() < 0.8 ? catalog.countryById(random.pick(countryIds)) : random.pick(catalog.countries.slice());
      if (!country) throw new Error('no country');
      return { slug: country.slug, values: [country.id] };
    },
    source: () => {
      const picked = random.pick(catalog.structures);
      return { slug: picked.slug, values: subtreeOf(picked.id) };
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
      query[side === 'include' ? dimension : `not_${dimension}`] = picks.map((p) => p.slug);
      const values = picks.flatMap((p): readonly (number | string)[] => p.values);
      ((side === 'include' ? include : exclude) as Record<string, readonly (number | string)[]>)[dimension] = values;
    }
  }

  const q = random.next() < 0.5 ? random.pick(QUERIES) : null;
  if (q !== null) query.q = q;

  const scope: Picks = {};
  const roll = random.next();
  if (roll < 0.1) scope.type = ['news'];
  else if (roll < 0.2) scope.field = [random.pick(fieldIds)];
  else if (roll < 0.25) scope.country = [random.pick(countryIds)];

  // Dates from the corpus's own days, half of them on its edges: a `from` day with a document at
  // midnight (included), a `to` day with one at its last millisecond (included) or the day before
  // one at midnight (which is excluded).
  const day = (doc: Doc, shift = 0) => new Date(doc.datedMs + shift * DAY_MS).toISOString().slice(0, 10);
  const atMidnight = visibleDocs.filter((d) => d.datedAt.endsWith('T00:00:00.000Z'));
  const atDayEnd = visibleDocs.filter((d) => d.datedAt.endsWith('T23:59:59.999Z'));
  const edge = random.next();
  let from: string | null =
    random.next() < 0.25 ? (edge < 0.5 ? day(random.pick(atMidnight)) : day(random.pick(visibleDocs))) : null;
  let to: string | null =
    random.next() < 0.25
      ? edge < 0.25
        ? day(random.pick(atMidnight), -1)
        : edge < 0.5
          ? day(random.pick(atDayEnd))
          : day(random.pick(visibleDocs))
      : null;
  if (from && to && from > to) [from, to] = [to, from];
  if (from) query.from = from;
  if (to) query.to = to;

  const sortRoll = random.next();
  query.sort = q !== null && sortRoll < 0.25 ? 'relevance' : sortRoll < 0.75 ? 'newest' : 'oldest';
  if (random.next() < 0.25) query.page = String(2 + Math.floor(random.next() * 2));
  if (random.next() < 0.3) query.page_size = String(1 + Math.floor(random.next() * 15));
  return { query, include, exclude, scope, q, from, to };
}

/**
 * Documents beyond the demo corpus: hidden ones (a draft, embargoes, dated in the past or the
 * future), visible ones dated in the future, one with no terms, and co-issued ones (2–3 sources,
 * often two in the same subtree) so that the source facet's distinct counting is exercised.
 */
function extraDocuments(random: RandomSource): DocumentInput[] {
  const secretariatUnits = structure('secretariat').children;
  const institutions = structure('institutions').children;
  const fieldOperations = structure('field-operations').children;
  const issuing = catalog.structures.filter((s) => !s.kind.endsWith('-group'));
  const fields = catalog.fields.filter((f) => f.kind === 'field');
  const countries = catalog.countries;
  const words = WORDS.join(', ');
  const at = (ms: number) => new Date(ms).toISOString();
  const everything = { title: `On ${words}`, summary: words, bodyHtml: `<p>${words}</p>` };
  const terms = {
    fieldIds: [(fields[0] ?? catalog.fields[0])?.id ?? 0],
    countryIds: [countries[0]?.id ?? 0],
  };
  const units = (count: number) => random.pickSome(secretariatUnits, count, count).map((s) => s.id);
  const inputs: DocumentInput[] = [
    // Hidden: readers must never count these, whatever they match.
    {
      kind: 'news',
      slug: 'hidden-draft',
      ...everything,
      ...terms,
      sourceIds: [...units(2), fieldOperations[0]?.id ?? 0],
      datedAt: '2010-05-05T00:00:00.000Z',
      status: 'draft',
    },
    {
      kind: 'news',
      slug: 'hidden-embargo',
      ...everything,
      ...terms,
      sourceIds: units(2),
      datedAt: at(now.getTime() - DAY_MS),
      publishAt: at(now.getTime() + DAY_MS),
      status: 'published',
    },
    {
      kind: 'event',
      slug: 'hidden-future-embargo',
      ...everything,
      ...terms,
      sourceIds: [institutions[0]?.id ?? 0, fieldOperations[1]?.id ?? 0],
      datedAt: at(now.getTime() + 10 * DAY_MS),
      publishAt: at(now.getTime() + 5 * DAY_MS),
      status: 'published',
    },
    // Visible: dated in the future, without an embargo (upcoming events are listed).
    {
      kind: 'event',
      slug: 'visible-future-event',
      ...everything,
      ...terms,
      sourceIds: units(2),
      datedAt: at(now.getTime() + 20 * DAY_MS),
      status: 'published',
    },
    { kind: 'news', slug: 'no-terms', ...everything, datedAt: '2010-05-05T00:00:00.000Z', status: 'published' },
    {
      kind: 'news',
      slug: 'two-secretariat-units',
      title: 'Zebrafinchword joint release',
      bodyHtml: '<p>Issued by two units of the Secretariat.</p>',
      sourceIds: [structure('conflict-prevention-centre').id, structure('transnational-threats-department').id],
      datedAt: '2015-03-03T00:00:00.000Z',
      status: 'published',
    },
    // Around June 2012, on the edges of its first and last days.
    ...[
      '2012-05-31T23:59:59.999Z',
      '2012-06-01T00:00:00.000Z',
      '2012-06-30T23:59:59.999Z',
      '2012-07-01T00:00:00.000Z',
    ].map(
      (datedAt, n): DocumentInput => ({
        kind: 'news',
        slug: `wallaby-${n}`,
        title: `Wallabyword ${n}`,
        bodyHtml: '<p>On the edge of a day.</p>',
        datedAt,
        status: 'published',
      }),
    ),
  ];
  for (const input of inputs) if (input.slug.startsWith('hidden-')) hiddenSlugs.add(input.slug);

  const from = Date.UTC(2001, 0, 1);
  for (let i = 0; i < 120; i += 1) {
    const pattern = i % 4;
    const pickIds = (items: readonly StructureNode[], count: number) =>
      random.pickSome(items, count, count).map((s) => s.id);
    let sourceIds: number[];
    if (pattern === 0) sourceIds = [...units(2), ...(random.next() < 0.4 ? pickIds(issuing, 1) : [])];
    else if (pattern === 1) sourceIds = [...units(1), structure('secretariat').id];
    else if (pattern === 2) sourceIds = [...pickIds(fieldOperations, 2), ...pickIds(institutions, 1)];
    else sourceIds = pickIds(issuing, 2 + Math.floor(random.next() * 2));
    const roll = random.next();
    // Most in the past; some dated ahead (visible); some held back by an embargo (hidden).
    const moment =
      roll < 0.1
        ? now.getTime() + (1 + Math.floor(random.next() * 90)) * DAY_MS
        : from + Math.floor(random.next() * (now.getTime() - from));
    // A third at midnight, a third at a day's last millisecond: the edges of from/to.
    const dayStart = moment - (moment % DAY_MS);
    const datedMs = i % 3 === 0 ? dayStart : i % 3 === 1 ? dayStart + DAY_MS - 1 : moment;
    const embargoed = roll >= 0.1 && roll < 0.16;
    const slug = `co-issued-${i}`;
    if (embargoed) hiddenSlugs.add(slug);
    const title = random.pickSome(WORDS, 1, 3).join(' and ');
    inputs.push({
      kind: random.pick(KINDS),
      slug,
      title: `Joint statement on ${title}`,
      summary: random.pickSome(WORDS, 0, 2).join(', '),
      bodyHtml: `<p>${random.pickSome(WORDS, 1, 3).join('. ')}</p>`,
      datedAt: at(datedMs),
      ...(embargoed ? { publishAt: at(now.getTime() + (1 + Math.floor(random.next() * 30)) * DAY_MS) } : {}),
      status: 'published',
      sourceIds,
      fieldIds: random.pickSome(fields, 0, 2).map((f) => f.id),
      countryIds: random.pickSome(countries, 0, 2).map((c) => c.id),
    });
  }
  return inputs;
}

describe.each(STORE_ENGINES)('on %s', (storeEngine) => {
  beforeAll(async () => {
    engineName = storeEngine;
    testStore = await buildTestStore({ demo: 1500, engine: storeEngine });
    ({ store, writer, search, terms } = testStore);
    db = store.db;
    catalog = await loadCatalog(db);
    const structures = await db.selectFrom('structures').select(['id', 'parent_id']).execute();
    parentOf = new Map(structures.map((s) => [s.id, s.parent_id]));
    now = new Date();
    const inputs = extraDocuments(seededRandom(20261201));
    await store.transaction(async (tx) => {
      for (const input of inputs) idOf.set(input.slug, await writer.create(tx, input));
    });
    docs = await loadDocs();
    const random = seededRandom(20260301);
    cases = Array.from({ length: RUNS }, () => generateCase(random));
  });
  afterAll(() => testStore.cleanup());

  describe('the corpus', () => {
    it('has hidden documents, future-dated visible ones, co-issued ones, and every query word', async () => {
      expect(docs.length).toBeGreaterThan(1600);
      const hidden = docs.filter((d) => !visibleAt(d, now)).map((d) => d.id);
      expect(hidden.sort((a, b) => a - b)).toEqual(
        [...hiddenSlugs].map((slug) => idOf.get(slug)).sort((a, b) => (a ?? 0) - (b ?? 0)),
      );
      expect(hiddenSlugs.size).toBeGreaterThan(5);
      // Some embargoed documents are co-issued: a wrong visibility rule would show in the source facet.
      expect(docs.filter((d) => !visibleAt(d, now) && d.sources.length > 1).length).toBeGreaterThan(3);
      expect(docs.filter((d) => visibleAt(d, now) && d.datedMs > now.getTime()).length).toBeGreaterThan(10);

      const coIssued = docs.filter((d) => d.sources.length > 1);
      expect(coIssued.length).toBeGreaterThan(150);
      expect(coIssued.filter((d) => d.sources.length === 3).length).toBeGreaterThan(20);
      // Two of a document's sources in one subtree (two Secretariat units, a unit and the Secretariat).
      const sharing = coIssued.filter((d) => {
        const reached = d.sources.flatMap(ancestorsOf);
        return reached.length > new Set(reached).size;
      });
      expect(sharing.length).toBeGreaterThan(50);
      // Summing the children's counts would count those twice: the distinct count is smaller.
      const secretariat = structure('secretariat');
      const visible = docs.filter((d) => visibleAt(d, now));
      const distinct = visible.filter((d) => d.sources.some((s) => subtreeOf(secretariat.id).includes(s))).length;
      const perSource = subtreeOf(secretariat.id).reduce(
        (sum, id) => sum + visible.filter((d) => d.sources.includes(id)).length,
        0,
      );
      expect(distinct).toBeLessThan(perSource);
      // The group headings issue nothing themselves.
      for (const slug of ['institutions', 'field-operations']) {
        expect(docs.some((d) => d.sources.includes(structure(slug).id))).toBe(false);
      }

      for (const word of ['trafficking', 'police', 'elections', 'youth', 'media']) {
        const { required } = compiled(parseSearchQuery(word) as SearchQuery);
        expect((await indexMatches(required as string)).size, word).toBeGreaterThan(20);
      }
      // Documents on the edges of a day, and cases whose from/to fall on them.
      expect(docs.filter((d) => d.datedAt.endsWith('T00:00:00.000Z')).length).toBeGreaterThan(30);
      expect(docs.filter((d) => d.datedAt.endsWith('T23:59:59.999Z')).length).toBeGreaterThan(30);
      expect(cases.filter((c) => c.from !== null || c.to !== null).length).toBeGreaterThan(10);
    });
  });

  describe.each(ENGINES)('the $name listing engine', (subject) => {
    const slugPart = subject.name.replace(/\W+/g, '-');
    // Words of this engine's own documents: another engine's leftovers (after a failure) never match.
    const tag = subject.name.replace(/[^a-z]/g, '');
    const quokkaword = `quokka${tag}`;
    const numbatword = `numbat${tag}`;
    /** Removes the test's documents however it ends. */
    const removeAfterwards = (documentIds: readonly number[]) =>
      onTestFinished(async () => {
        await store.transaction(async (tx) => {
          for (const id of documentIds) await writer.remove(tx, id);
        });
      });
    it(`total, every facet count, the page and the cursor agree with the oracle for ${RUNS} random filters`, async () => {
      const { engine } = await subject.make();
      const current = await loadDocs();
      let nonEmpty = 0;
      for (const [run, c] of cases.entries()) {
        const label = `run ${run}: ${JSON.stringify(c.query)} scope ${JSON.stringify(c.scope)}`;
        if ((await expectOracle({ engine }, c, now, current, label)) > 0) nonEmpty += 1;
      }
      // The cases are not all trivially empty.
      expect(nonEmpty).toBeGreaterThan(RUNS / 2);
    });
    it('follows writes and the clock: a new document, an edited one, an embargo that lifts', async () => {
      const { engine, follow } = await subject.make();
      const slug = `quokka-news-${slugPart}`;
      const later = new Date(now.getTime() + 3_600_000);
      const quokka = parseFilter({ q: quokkaword }, catalog);
      const input: DocumentInput = {
        kind: 'news',
        slug,
        title: `${quokkaword} news on police`,
        bodyHtml: `<p>${quokkaword}</p>`,
        datedAt: new Date(now.getTime() - 2 * DAY_MS).toISOString(),
        publishAt: later.toISOString(),
        status: 'published',
        sourceIds: [structure('opportunities-for-youth').id, structure('secretariat').id],
      };
      const id = await store.transaction((tx) => writer.create(tx, input));
      removeAfterwards([id]);
      await follow();
      expect((await list({ engine }, quokka, now)).total).toBe(0);
      expect(ids(await list({ engine }, quokka, later))).toEqual([id]);
      let current = await loadDocs();
      for (const moment of [now, later]) {
        const queries: Query[] = [{}, { q: 'police', sort: 'newest' }, { source: 'secretariat' }];
        for (const query of queries) {
          await expectOracle(
            { engine },
            caseOf(query),
            moment,
            current,
            `created, ${moment.toISOString()} ${JSON.stringify(query)}`,
          );
        }
      }

      await store.transaction((tx) =>
        writer.update(tx, id, 1, { ...input, title: 'Renamed news', bodyHtml: '<p>Nothing here</p>' }),
      );
      await follow();
      expect((await list({ engine }, quokka, later)).total).toBe(0);
      current = await loadDocs();
      for (const q of ['police', 'police -youth', 'media OR police']) {
        await expectOracle({ engine }, caseOf({ q, sort: 'newest' }), later, current, `edited, ${q}`);
      }

      await store.transaction((tx) => writer.remove(tx, id));
      await follow();
      await expectOracle({ engine }, caseOf({}), later, await loadDocs(), 'removed');
    });

    // The rest only for engines that differ in more than where their search comes from.
    if (subject.searchOnly) return;

    it('with a shared count cache, every page of every filter still shows its own total and facets', async () => {
      const { engine } = await subject.make();
      const cache = createCountCache({ ttlMs: 60_000 });
      const current = await loadDocs();
      for (const pass of ['fill', 'reuse']) {
        for (const [run, c] of cases.entries()) {
          const label = `${pass} ${run}: ${JSON.stringify(c.query)} scope ${JSON.stringify(c.scope)}`;
          const query = pass === 'fill' ? { ...c.query, page: '1' } : c.query;
          await expectOracle({ engine, cache }, { ...c, query }, now, current, label);
        }
      }
    });
    it('counts a document issued by two units of the Secretariat once under the Secretariat', async () => {
      const { engine } = await subject.make();
      const id = idOf.get('two-secretariat-units');
      const secretariat = structure('secretariat').id;
      const units = [structure('conflict-prevention-centre').id, structure('transnational-threats-department').id];
      const byWord = await list({ engine }, parseFilter({ q: 'zebrafinchword' }, catalog), now, true);
      expect(ids(byWord)).toEqual([id]);
      expect(Object.fromEntries(byWord.facets?.source ?? [])).toEqual({
        [secretariat]: 1,
        [units[0] ?? 0]: 1,
        [units[1] ?? 0]: 1,
      });
      const bySource = await list(
        { engine },
        parseFilter({ q: 'zebrafinchword', source: 'secretariat' }, catalog),
        now,
        true,
      );
      expect(bySource.total).toBe(1);
      expect(ids(bySource)).toEqual([id]);
      expect(bySource.facets?.source.get(secretariat)).toBe(1);
    });
    it('bounds from and to by whole days (UTC): from midnight of the first to the last millisecond of the last', async () => {
      const { engine } = await subject.make();
      const june = { from: '2012-06-01', to: '2012-06-30', sort: 'oldest' };
      const inJune = await list({ engine }, parseFilter({ ...june, q: 'wallabyword' }, catalog), now, true);
      expect(ids(inJune)).toEqual([idOf.get('wallaby-1'), idOf.get('wallaby-2')]);
      expect(Object.fromEntries(inJune.facets?.year ?? [])).toEqual({ 2012: 2 });
      const oneDay = await list(
        { engine },
        parseFilter({ from: '2012-06-01', to: '2012-06-01', q: 'wallabyword' }, catalog),
        now,
      );
      expect(ids(oneDay)).toEqual([idOf.get('wallaby-1')]);
      const current = await loadDocs();
      const queries: Query[] = [june, { from: '2012-07-01' }, { to: '2012-05-31', sort: 'newest' }];
      for (const query of queries) {
        await expectOracle({ engine }, caseOf(query), now, current, JSON.stringify(query));
      }
    });
    it('returns, for every structure, as many documents on filtering by it as its facet count', async () => {
      const { engine } = await subject.make();
      const current = await loadDocs();
      const queries: Query[] = [{}, { q: 'police OR media' }, { type: 'press-release' }];
      for (const query of queries) {
        const listing = await list({ engine }, parseFilter(query, catalog), now, true);
        const counts = listing.facets?.source ?? new Map<number, number>();
        // Headings with no documents of their own appear through their children's.
        for (const slug of ['secretariat', 'institutions', 'field-operations']) {
          expect(counts.get(structure(slug).id), `${JSON.stringify(query)} ${slug}`).toBeGreaterThan(0);
        }
        for (const node of catalog.structures) {
          const filtered = await list({ engine }, parseFilter({ ...query, source: node.slug }, catalog), now);
          expect(filtered.total, `${JSON.stringify(query)} source=${node.slug}`).toBe(counts.get(node.id) ?? 0);
        }
        const c = caseOf(query);
        const expected = selected(c, current, now, await searchMatches(c.q, current));
        expect(Object.fromEntries(counts)).toEqual(facetOracle(expected, 'source'));
      }
    });

    it('drops unpublished and deleted documents from the results and from every count', async () => {
      const { engine, follow } = await subject.make();
      const field = catalog.fields.find((f) => f.kind === 'field');
      const country = catalog.countries.at(-1);
      const base = {
        kind: 'statement' as const,
        title: `${numbatword} statement`,
        bodyHtml: `<p>${numbatword}</p>`,
        datedAt: '2011-11-11T11:00:00.000Z',
        status: 'published' as const,
        fieldIds: [field?.id ?? 0],
        countryIds: [country?.id ?? 0],
      };
      const first: DocumentInput = {
        ...base,
        slug: `numbat-first-${slugPart}`,
        sourceIds: [
          structure('office-for-democratic-institutions-and-human-rights').id,
          structure('presence-in-albania').id,
        ],
      };
      const second: DocumentInput = {
        ...base,
        slug: `numbat-second-${slugPart}`,
        sourceIds: [structure('conflict-prevention-centre').id, structure('secretariat').id],
      };
      const [firstId, secondId] = await store.transaction(
        async (tx) => [await writer.create(tx, first), await writer.create(tx, second)] as const,
      );
      removeAfterwards([firstId, secondId]);
      await follow();
      const numbat = parseFilter({ q: numbatword }, catalog);
      const checkAll = async (label: string) => {
        const current = await loadDocs();
        const queries: Query[] = [{}, { q: numbatword }, { source: 'institutions' }, { type: 'statement' }];
        for (const query of queries) {
          await expectOracle({ engine }, caseOf(query), now, current, `${label} ${JSON.stringify(query)}`);
        }
      };
      const both = await list({ engine }, numbat, now, true);
      expect(ids(both).sort((a, b) => a - b)).toEqual([firstId, secondId].sort((a, b) => a - b));
      expect(both.facets?.source.get(structure('secretariat').id)).toBe(1);
      expect(both.facets?.year.get(2011)).toBe(2);
      await checkAll('created');

      await store.transaction((tx) => writer.update(tx, firstId, 1, { ...first, status: 'draft' }));
      await follow();
      const one = await list({ engine }, numbat, now, true);
      expect(ids(one)).toEqual([secondId]);
      expect(one.facets?.source.get(structure('institutions').id)).toBeUndefined();
      await checkAll('unpublished');

      expect(await store.transaction((tx) => writer.remove(tx, secondId))).toBe(true);
      await follow();
      const none = await list({ engine }, numbat, now, true);
      expect(none.total).toBe(0);
      for (const dimension of FACET_DIMENSIONS) expect(none.facets?.[dimension].size, dimension).toBe(0);
      await checkAll('deleted');
    });
  });
});
