// Runs a Filter: the one read path behind every listing, the search page, the feeds and the API.
// Documents, total, facet counts and snippets all come from the same constraints.
import type { ExpressionBuilder } from 'kysely';
import { searchProviderFor } from '../search/providers.ts';
import { publishedYearExpression } from '../store/dialect.ts';
import type { DocumentsDb, DocumentsQuery } from '../store/documents-query.ts';
import type { DocumentKind } from '../store/schema.ts';
import type { Db } from '../store/store.ts';
import { type DocumentBitmapIndex, dateWindow } from './bitmap-index.ts';
import type { CountCache } from './count-cache.ts';
import { type Cursor, type Dimension, type DimensionValues, type Filter, withoutDimension } from './filter.ts';

export interface DocumentSummary {
  id: number;
  kind: DocumentKind;
  slug: string;
  language: string;
  title: string;
  summary: string;
  published_at: string;
  updated_at: string;
  place: string | null;
  source_id: number | null;
  is_demo: number;
}

export interface ListingItem extends DocumentSummary {
  /** Escaped HTML around the matched words (search only). */
  snippet: string | null;
  /** Full content, loaded with `content: true` (feeds, exports, the API). */
  content?: ListingContent;
}

export interface ListingContent {
  /** Sanitised HTML. */
  body_html: string;
  ends_at: string | null;
  meeting_series_id: number | null;
  revision: number;
  /** In the author's order. */
  fieldIds: number[];
  countryIds: number[];
}

export const FACET_DIMENSIONS = ['type', 'field', 'country', 'source', 'year'] as const;
export type FacetDimension = (typeof FACET_DIMENSIONS)[number];
/** Count of matching documents per value (kind, term id, year), each with the other filters applied. */
export type FacetCounts = { [D in FacetDimension]: ReadonlyMap<DimensionValues[D], number> };

export interface Listing {
  readonly filter: Filter;
  readonly items: ListingItem[];
  readonly total: number;
  readonly pageCount: number;
  readonly facets: FacetCounts | null;
  /** Where the next page starts, when there is one (newest/oldest order). */
  readonly next: Cursor | null;
}

export interface ListingOptions {
  facets?: boolean;
  /** Also load each item's body and terms (two more statements, whatever the page size). */
  content?: boolean;
  /** Reuse recent totals and facet counts of the same filter. */
  cache?: CountCache;
  /** Count, facet and page through in-memory bitmaps instead of SQL (same results). */
  index?: DocumentBitmapIndex;
}

/**
 * Past this many documents matching the words, relevance is ranked in tiers (title, summary, the
 * rest; newest first within each) instead of by bm25 over every hit: measured at 1,000,000
 * documents, exact ranking costs about 5 µs a hit.
 */
export const EXACT_RANKING_LIMIT = 5_000;

export const SUMMARY_COLUMNS = [
  'd.id',
  'd.kind',
  'd.slug',
  'd.language',
  'd.title',
  'd.summary',
  'd.published_at',
  'd.updated_at',
  'd.place',
  'd.source_id',
  'd.is_demo',
] as const;

type Where = ExpressionBuilder<DocumentsDb, 'd'>;

/** Only what readers may see: published, and its time has come (embargo, schedule). */
export function whereVisible<O>(query: DocumentsQuery<O>, now: string): DocumentsQuery<O> {
  return query.where('d.status', '=', 'published').where('d.published_at', '<=', now);
}

const yearStart = (year: number) => `${String(year).padStart(4, '0')}-01-01T00:00:00.000Z`;

function constrain<D extends Dimension, O>(
  query: DocumentsQuery<O>,
  dimension: D,
  values: readonly DimensionValues[D][],
  negate: boolean,
): DocumentsQuery<O> {
  if (values.length === 0) return query;
  switch (dimension) {
    case 'type':
      return query.where('d.kind', negate ? 'not in' : 'in', values as readonly DocumentKind[]);
    case 'lang':
      return query.where('d.language', negate ? 'not in' : 'in', values as readonly string[]);
    case 'source':
    case 'meeting': {
      const column = dimension === 'source' ? 'd.source_id' : 'd.meeting_series_id';
      const ids = values as readonly number[];
      return negate
        ? query.where((eb: Where) => eb.or([eb(column, 'is', null), eb(column, 'not in', ids)]))
        : query.where(column, 'in', ids);
    }
    case 'field':
    case 'country': {
      const ids = values as readonly number[];
      return query.where((eb: Where) => {
        const terms =
          dimension === 'field'
            ? eb
                .selectFrom('document_fields as t')
                .select('t.document_id')
                .whereRef('t.document_id', '=', 'd.id')
                .where('t.field_id', 'in', ids)
            : eb
                .selectFrom('document_countries as t')
                .select('t.document_id')
                .whereRef('t.document_id', '=', 'd.id')
                .where('t.country_id', 'in', ids);
        return negate ? eb.not(eb.exists(terms)) : eb.exists(terms);
      });
    }
    case 'year': {
      const years = values as readonly number[];
      return query.where((eb: Where) => {
        const ranges = eb.or(
          years.map((year) =>
            eb.and([eb('d.published_at', '>=', yearStart(year)), eb('d.published_at', '<', yearStart(year + 1))]),
          ),
        );
        return negate ? eb.not(ranges) : ranges;
      });
    }
  }
  return query;
}

function nextDay(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString();
}

/** Every constraint of a filter except full-text search and ordering. */
function applyConstraints<O>(query: DocumentsQuery<O>, filter: Filter): DocumentsQuery<O> {
  let q = query;
  for (const dimension of Object.keys(filter.scope) as Dimension[]) {
    q = constrain(q, dimension, filter.scope[dimension] ?? [], false);
  }
  for (const dimension of Object.keys(filter.choices) as Dimension[]) {
    const choice = filter.choices[dimension];
    q = constrain(q, dimension, choice.include, false);
    q = constrain(q, dimension, choice.exclude, true);
  }
  if (filter.from) q = q.where('d.published_at', '>=', `${filter.from}T00:00:00.000Z`);
  if (filter.to) q = q.where('d.published_at', '<', nextDay(filter.to));
  return q;
}

function matching(db: Db, filter: Filter, now: string): DocumentsQuery<object> {
  const query = applyConstraints(whereVisible(db.selectFrom('documents as d'), now), filter);
  return filter.search ? searchProviderFor(db).restrict(query, filter.search) : query;
}

async function countFacets(db: Db, filter: Filter, now: string): Promise<FacetCounts> {
  const base = (dimension: FacetDimension) => matching(db, withoutDimension(filter, dimension), now);
  const toMap = <K>(rows: { value: K; n: number | string | bigint }[]) =>
    new Map(rows.map((r) => [r.value, Number(r.n)]));
  const count = (eb: ExpressionBuilder<DocumentsDb, 'd'>) => eb.fn.countAll<number>().as('n');
  const year = publishedYearExpression(db);
  const [type, field, country, source, years] = await Promise.all([
    base('type').select(['d.kind as value', count]).groupBy('d.kind').execute(),
    base('field')
      .innerJoin('document_fields as t', 't.document_id', 'd.id')
      .select(['t.field_id as value', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('t.field_id')
      .execute(),
    base('country')
      .innerJoin('document_countries as t', 't.document_id', 'd.id')
      .select(['t.country_id as value', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('t.country_id')
      .execute(),
    base('source')
      .select(['d.source_id as value', count])
      .where('d.source_id', 'is not', null)
      .groupBy('d.source_id')
      .execute(),
    base('year')
      .select([year.as('value'), count])
      .groupBy(year)
      .execute(),
  ]);
  return {
    type: toMap(type),
    field: toMap(field),
    country: toMap(country),
    source: toMap(source as { value: number; n: number }[]),
    year: new Map(years.map((r) => [Number(r.value), Number(r.n)])),
  };
}

/**
 * One page of documents matching a filter, how many match in all, and optionally the facet
 * counts: 2 statements, 3 with snippets, 5 more with facets.
 * @example const listing = await runListing(db, parseFilter(query, catalog), new Date().toISOString());
 */
export async function runListing(db: Db, filter: Filter, now: string, options: ListingOptions = {}): Promise<Listing> {
  if (options.index) return runIndexedListing(db, options.index, filter, now, options);
  const search = filter.search ? searchProviderFor(db) : null;
  const constrained = applyConstraints(whereVisible(db.selectFrom('documents as d'), now), filter);
  const direction = filter.sort === 'oldest' ? 'asc' : 'desc';
  let page: DocumentsQuery<object>;
  if (search && filter.search && filter.sort === 'relevance') {
    page = applyConstraints(whereVisible(search.rankedDocuments(db, filter.search), now), filter);
  } else {
    page = (search && filter.search ? search.restrict(constrained, filter.search) : constrained)
      .orderBy('d.published_at', direction)
      .orderBy('d.id', direction);
  }
  if (filter.after) {
    const { publishedAt, id } = filter.after;
    const past = direction === 'desc' ? '<' : '>';
    page = page.where((eb: Where) =>
      eb.or([
        eb('d.published_at', past, publishedAt),
        eb.and([eb('d.published_at', '=', publishedAt), eb('d.id', past, id)]),
      ]),
    );
  }
  const offset = filter.after ? 0 : (filter.page - 1) * filter.pageSize;
  const cached = options.cache?.get(filter, options.facets ?? false);
  const [rows, total, facets] = await Promise.all([
    page.select(SUMMARY_COLUMNS).limit(filter.pageSize).offset(offset).execute(),
    cached
      ? cached.total
      : matching(db, filter, now)
          .select((eb) => eb.fn.countAll<number | string>().as('total'))
          .executeTakeFirstOrThrow()
          .then((row) => Number(row.total)),
    cached ? (options.facets ? cached.facets : null) : options.facets ? countFacets(db, filter, now) : null,
  ]);
  if (!cached) options.cache?.set(filter, { total, facets });
  const snippets =
    search && filter.search && rows.length > 0
      ? await search.snippets(
          db,
          rows.map((row) => row.id),
          filter.search,
        )
      : new Map<number, string>();
  const contents = options.content
    ? await loadContent(
        db,
        rows.map((row) => row.id),
      )
    : null;
  const items = rows.map((row) => ({
    ...row,
    snippet: snippets.get(row.id) ?? null,
    ...(contents ? { content: contents.get(row.id) } : {}),
  }));
  return listingOf(filter, items, total, facets, offset);
}

/** Assembles a Listing; a full page in date order gets the cursor of its last item. */
function listingOf(
  filter: Filter,
  items: ListingItem[],
  total: number,
  facets: FacetCounts | null,
  offset: number,
): Listing {
  const last = items.at(-1);
  const next =
    filter.sort !== 'relevance' && last && items.length === filter.pageSize && offset + items.length < total
      ? { publishedAt: last.published_at, id: last.id }
      : null;
  return { filter, items, total, pageCount: Math.max(1, Math.ceil(total / filter.pageSize)), facets, next };
}

/** Snippets and, if asked, full content for the rows of a page. */
async function completeItems(
  db: Db,
  rows: DocumentSummary[],
  filter: Filter,
  options: ListingOptions,
): Promise<ListingItem[]> {
  const ids = rows.map((row) => row.id);
  const snippets =
    filter.search && rows.length > 0
      ? await searchProviderFor(db).snippets(db, ids, filter.search)
      : new Map<number, string>();
  const contents = options.content ? await loadContent(db, ids) : null;
  return rows.map((row) => ({
    ...row,
    snippet: snippets.get(row.id) ?? null,
    ...(contents ? { content: contents.get(row.id) } : {}),
  }));
}

function facetCountsFrom(counts: ReadonlyMap<Dimension, ReadonlyMap<string | number, number>>): FacetCounts {
  const get = <D extends FacetDimension>(d: D) => (counts.get(d) ?? new Map()) as FacetCounts[D];
  return { type: get('type'), field: get('field'), country: get('country'), source: get('source'), year: get('year') };
}

/** The same listing through the bitmap index: one statement for the page's rows. */
async function runIndexedListing(
  db: Db,
  index: DocumentBitmapIndex,
  filter: Filter,
  now: string,
  options: ListingOptions,
): Promise<Listing> {
  await index.sync();
  const nowMs = Date.parse(now);
  const matches = await index.matching(filter, nowMs);
  const cached = options.cache?.get(filter, options.facets ?? false);
  let facets: FacetCounts | null = cached?.facets ?? null;
  if (options.facets && !cached) {
    facets = facetCountsFrom((await index.facets(filter, nowMs, FACET_DIMENSIONS)).counts);
    options.cache?.set(filter, { total: matches.size, facets });
  }
  const offset = filter.after ? 0 : (filter.page - 1) * filter.pageSize;
  const window = dateWindow(filter);
  const ids =
    filter.search && filter.sort === 'relevance' && filter.search.required.length > 0
      ? await index.pageByRelevance(matches, filter.search, {
          offset,
          limit: filter.pageSize,
          exactLimit: EXACT_RANKING_LIMIT,
          window,
        })
      : index.pageByDate(matches, {
          offset,
          limit: filter.pageSize,
          ascending: filter.sort === 'oldest',
          after: filter.after,
          window,
        });
  const found =
    ids.length === 0
      ? []
      : await db.selectFrom('documents as d').select(SUMMARY_COLUMNS).where('d.id', 'in', ids).execute();
  const byId = new Map(found.map((row) => [row.id, row]));
  const rows = ids.flatMap((id) => byId.get(id) ?? []);
  const items = await completeItems(db, rows, filter, options);
  const total = matches.size;
  return listingOf(filter, items, total, facets, offset);
}

async function loadContent(db: Db, ids: readonly number[]): Promise<Map<number, ListingContent>> {
  const contents = new Map<number, ListingContent>();
  if (ids.length === 0) return contents;
  const [bodies, terms] = await Promise.all([
    db
      .selectFrom('documents')
      .select(['id', 'body_html', 'ends_at', 'meeting_series_id', 'revision'])
      .where('id', 'in', ids)
      .execute(),
    db
      .selectFrom('document_fields')
      .select(['document_id', 'field_id as term_id', 'position', (eb) => eb.val('field').as('taxonomy')])
      .where('document_id', 'in', ids)
      .unionAll(
        db
          .selectFrom('document_countries')
          .select(['document_id', 'country_id as term_id', 'position', (eb) => eb.val('country').as('taxonomy')])
          .where('document_id', 'in', ids),
      )
      .orderBy('position')
      .execute(),
  ]);
  for (const { id, ...body } of bodies) contents.set(id, { ...body, fieldIds: [], countryIds: [] });
  for (const term of terms) {
    const content = contents.get(term.document_id);
    if (content) (term.taxonomy === 'field' ? content.fieldIds : content.countryIds).push(Number(term.term_id));
  }
  return contents;
}

/** The newest visible documents of some kinds, for the home page and side panels. */
export async function latestDocuments(
  db: Db,
  now: string,
  options: { kinds?: readonly DocumentKind[]; limit: number },
): Promise<DocumentSummary[]> {
  let query = whereVisible(db.selectFrom('documents as d'), now);
  if (options.kinds && options.kinds.length > 0) query = query.where('d.kind', 'in', options.kinds);
  return query
    .select(SUMMARY_COLUMNS)
    .orderBy('d.published_at', 'desc')
    .orderBy('d.id', 'desc')
    .limit(options.limit)
    .execute();
}
