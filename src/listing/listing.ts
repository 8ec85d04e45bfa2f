// Runs a Filter: the one read path behind every listing, the search page, the feeds and the API.
// An engine (SQL, or the bitmap index once loaded) selects and counts; everything else is done
// here once: reusing cached counts, reading the page's rows, snippets and content.
import { type DocumentSummary, summariesOf, termsOfDocuments } from '../documents/reader.ts';
import type { SearchProvider } from '../search/provider.ts';
import type { SearchQuery } from '../search/query.ts';
import type { Db } from '../store/store.ts';
import { KeptFor } from '../text/kept.ts';
import type { CountCache } from './count-cache.ts';
import type { FacetCounts, ListingEngine } from './engine.ts';
import type { Cursor, Filter } from './filter.ts';

export interface ListingItem extends DocumentSummary {
  /** Escaped HTML around the matched words (search pages and rows that show one). */
  snippet: string | null;
  /** Full content, loaded with `content: true` (feeds, exports, the API). */
  content?: ListingContent;
}

export interface ListingContent {
  /** Sanitised HTML. */
  body_html: string;
  meeting_series_id: number | null;
  revision: number;
  /** In the author's order. */
  fieldIds: number[];
  countryIds: number[];
}

export interface Listing {
  readonly filter: Filter;
  readonly items: ListingItem[];
  readonly total: number;
  readonly pageCount: number;
  readonly facets: FacetCounts | null;
  /** Where the next page starts, when there is one (newest/oldest order). */
  readonly next: Cursor | null;
  /** When a search finds nothing: the same search with its unknown words corrected, if any. */
  readonly suggestion: string | null;
}

export interface ListingOptions {
  facets?: boolean;
  /** Also load each item's body and terms (two more statements, whatever the page size). */
  content?: boolean;
  /**
   * Make snippets of the matched words for a search (default true). Only renderings that show
   * them ask: a snippet re-reads each row's text and re-expands every prefix of the search.
   */
  snippets?: boolean;
}

export interface ListingDependencies {
  db: Db;
  /** Where the search provider's statements run (snippets); default `db`. */
  searchDb?: Db;
  engine: ListingEngine;
  search: SearchProvider;
  /** Reuse recent totals and facet counts of the same filter. */
  cache?: CountCache;
  /** Corrects a search that found nothing ("Did you mean"). */
  suggest?: (search: SearchQuery) => Promise<string | null>;
  /** Where the page's rows come from (default: `summariesOf`; the service keeps recent ones). */
  rows?: (ids: readonly number[]) => Promise<DocumentSummary[]>;
}

/**
 * One page of documents matching a filter, how many match in all, and optionally the facet counts.
 * @example const listing = await runListing({ db, engine, search }, parseFilter(query, catalog), clock());
 */
export async function runListing(
  { db, searchDb = db, engine, search, cache, suggest, rows = (ids) => summariesOf(db, ids) }: ListingDependencies,
  filter: Filter,
  now: Date,
  options: ListingOptions = {},
): Promise<Listing> {
  const wantFacets = options.facets ?? false;
  const cached = cache?.get(filter, wantFacets);
  const epoch = cache?.epoch() ?? 0;
  // After a cursor the position in the whole list is unknown: one row more says whether a next
  // page exists (a walk whose last page is full must not end on an empty one).
  const probe = filter.after ? { ...filter, pageSize: filter.pageSize + 1 } : filter;
  const result = await engine.run(probe, now, { total: !cached, facets: wantFacets && !cached });
  const more = filter.after ? result.ids.length > filter.pageSize : null;
  const pageIds = more ? result.ids.slice(0, filter.pageSize) : result.ids;
  const total = cached?.total ?? (result.total as number);
  const facets = wantFacets ? (cached?.facets ?? result.facets) : null;
  if (!cached) cache?.set(filter, { total, facets: result.facets }, epoch);
  const items = await completeItems({ db, searchDb, search, rows }, pageIds, filter, options);
  const offset = filter.after ? 0 : (filter.page - 1) * filter.pageSize;
  const last = items.at(-1);
  const next =
    filter.sort !== 'relevance' && last && (more ?? (items.length === filter.pageSize && offset + items.length < total))
      ? { datedAt: last.dated_at, id: last.id }
      : null;
  const suggestion = total === 0 && filter.search && suggest ? await suggest(filter.search) : null;
  return {
    filter,
    items,
    total,
    pageCount: Math.max(1, Math.ceil(total / filter.pageSize)),
    facets,
    next,
    suggestion,
  };
}

/** The page's rows in the engine's order, with snippets and, if asked, full content. */
async function completeItems(
  { db, searchDb, search, rows: readRows }: Pick<Required<ListingDependencies>, 'db' | 'searchDb' | 'search' | 'rows'>,
  ids: readonly number[],
  filter: Filter,
  options: ListingOptions,
): Promise<ListingItem[]> {
  if (ids.length === 0) return [];
  const withSnippets = filter.search !== null && options.snippets !== false;
  if (!withSnippets && !options.content) {
    // The pages' common case, without the joins below: the rows alone, as plain items.
    const byId = new Map((await readRows(ids)).map((row) => [row.id, row]));
    return ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [plainItem(row)] : [];
    });
  }
  const [rows, snippets, contents] = await Promise.all([
    readRows(ids),
    withSnippets && filter.search ? search.snippets(searchDb, ids, filter.search) : new Map<number, string>(),
    options.content ? loadContent(db, ids) : null,
  ]);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    const content = contents?.get(id);
    const snippet = snippets.get(id) ?? null;
    if (snippet === null && !content) return [plainItem(row)];
    return [{ ...row, snippet, ...(content ? { content } : {}) }];
  });
}

/** Items without a snippet or content, one per held row: the same object while the row is held. */
const plainItems = new KeptFor<DocumentSummary, ListingItem>();

/**
 * A row as an item with no snippet. A held row (frozen, src/listing/held-rows.ts) gives the same
 * frozen item at every request, so that what renders it can keep its markup (the document rows
 * of src/site/views/components.ts); a row read for this request alone gives a new one.
 */
function plainItem(row: DocumentSummary): ListingItem {
  if (!Object.isFrozen(row)) return { ...row, snippet: null };
  return plainItems.get(row, [], () => Object.freeze({ ...row, snippet: null }));
}

async function loadContent(db: Db, ids: readonly number[]): Promise<Map<number, ListingContent>> {
  const [bodies, terms] = await Promise.all([
    db
      .selectFrom('documents')
      .select(['id', 'body_html', 'meeting_series_id', 'revision'])
      .where('id', 'in', ids)
      .execute(),
    termsOfDocuments(db, ids),
  ]);
  return new Map(
    bodies.map(({ id, ...body }) => {
      const { fieldIds, countryIds } = terms.get(id) ?? { fieldIds: [], countryIds: [] };
      return [id, { ...body, fieldIds, countryIds }];
    }),
  );
}
