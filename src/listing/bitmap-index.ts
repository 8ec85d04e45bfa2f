// An in-memory index of every document's filterable properties as compressed bitmaps
// (roaring): totals and facet counts become bitmap intersections, microseconds instead of
// GROUP BY over hundreds of thousands of rows. It is the listing engine once loaded; the
// database stays the source of truth: the index loads from it, follows the change log
// (`applyChanges`), and the SQL engine answers whenever the index is not ready.
import { sql } from 'kysely';
import roaring from 'roaring';
import type { IndexTermSource, SearchProvider, TermCount } from '../search/provider.ts';
import { PROXIMITY_TIERS, type ProximityTier, proximityTerms } from '../search/proximity.ts';
import type { SearchQuery, SearchTerm } from '../search/query.ts';
import type { DocumentChange, DocumentStatus } from '../store/schema.ts';
import type { Db } from '../store/store.ts';
import {
  type EngineRequest,
  type EngineResult,
  EXACT_RANKING_LIMIT,
  type FacetCounts,
  type ListingEngine,
  type StructureSubtrees,
} from './engine.ts';
import { constraintKey, type Dimension, type Filter } from './filter.ts';
import { selectRange } from './select-range.ts';
import { FREQUENT_TERM_MIN_DOCUMENTS, type PostingsState, TermPostings } from './term-postings.ts';

const { RoaringBitmap32 } = roaring;
type Bitmap = InstanceType<typeof RoaringBitmap32>;

export type IndexedDimension = Exclude<Dimension, never>;
export type ValueKey = string | number;

interface DocumentFacts {
  id: number;
  kind: string;
  language: string;
  meeting_series_id: number | null;
  status: DocumentStatus;
  dated_at: string;
  ends_at: string | null;
  publish_at: string | null;
}

const FACT_COLUMNS = [
  'id',
  'kind',
  'language',
  'meeting_series_id',
  'status',
  'dated_at',
  'ends_at',
  'publish_at',
] as const;

export interface BitmapIndexOptions {
  db: Db;
  /** Where the search provider's statements run (the store's `searchDb`; default `db`). */
  searchDb?: Db;
  search: SearchProvider;
  /** Where the postings of frequent words come from. */
  terms: IndexTermSource;
  /** Every structure with the ids of its subtree, for the source facet (the catalogue's, current). */
  subtrees: () => StructureSubtrees;
}

const MAX_CACHED_SEARCHES = 256;
/**
 * Paging in date order, measured: a step of the date order's scan (a native membership test)
 * costs 35 to 60 ns; placing and selecting the matches about 7 ns each, after about 3 µs of
 * setup. In matches: a scan step is worth 8, the setup 400.
 */
const SELECT_PER_SCAN_STEP = 8;
const SELECT_SETUP = 400;
/** A year's stretch of the date order is scanned when the page should fill within this many steps. */
const SCAN_BUDGET = 100;
/** Filters whose matches are kept: those of the home page, documents' related lists, listings. */
const MAX_KEPT_MATCHES = 512;
/**
 * Kept matches up to this many also keep their places sorted (80 KB, a sort of a millisecond or
 * two after each change); larger sets page by years (`pageByYears`).
 */
const MAX_SORTED_PLACES = 20_000;

interface SearchMatches {
  required: Bitmap | null;
  excluded: Bitmap | null;
}

/** What the index holds, as a snapshot keeps it (src/listing/index-snapshot.ts). */
export interface IndexState {
  values: [Dimension, [ValueKey, Bitmap][]][];
  published: Bitmap;
  publishAt: [number, number][];
  datedAt: Float64Array<ArrayBuffer>;
  endsAt: Float64Array<ArrayBuffer>;
  longestEventMs: number;
  dateOrder: Uint32Array;
  postings: PostingsState | null;
}

type TermRows = Record<'field' | 'country' | 'source', { document_id: number; term_id: number }[]>;

export class DocumentBitmapIndex implements ListingEngine {
  readonly name = 'bitmap';
  private readonly values = new Map<Dimension, Map<ValueKey, Bitmap>>();
  /** Status published (visible unless an embargo holds it back). */
  private published = new RoaringBitmap32();
  /** Embargo moments (ms) of published documents that have one. */
  private readonly publishAt = new Map<number, number>();
  /** The document's own date in milliseconds since the epoch, by document id (NaN: unknown). */
  private datedAt = new Float64Array(0);
  /** An event's end in milliseconds, by document id (NaN: none, or not an event). */
  private endsAt = new Float64Array(0);
  /** The longest any event has lasted: events under way started at most this long ago. */
  private longestEventMs = 0;
  /** Published ids by (date, id), oldest first; rebuilt lazily after changes. */
  private dateOrder: Uint32Array | null = null;
  /** Each published document's place in `dateOrder`, by id. */
  private positionOf = new Uint32Array(0);
  /** The matches of filters without a search, with the index generation and visible set they were read at. */
  private readonly keptMatches = new Map<string, { generation: number; visible: Bitmap; bitmap: Bitmap }>();
  /** Kept matches' places in the date order, sorted, with the generation they were placed at. */
  private readonly sortedPlaces = new WeakMap<Bitmap, { generation: number; places: Uint32Array | null }>();
  /** The year dimension's values in order, as many as when they were sorted (years are only added). */
  private yearOrder: {
    of: Map<ValueKey, Bitmap>;
    count: number;
    oldestFirst: ValueKey[];
    newestFirst: ValueKey[];
  } | null = null;
  private visibleCache: { bitmap: Bitmap; validFrom: number; validUntil: number } | null = null;
  private readonly searches = new Map<string, SearchMatches>();
  /** Moves at every change: a search read before it is not kept (see `rememberSearch`). */
  private generation = 0;
  /** Postings of the most frequent words (empty while they load). */
  private postings: TermPostings | null = null;

  private readonly db: Db;
  private readonly searchDb: Db;
  private readonly search: SearchProvider;
  private readonly terms: IndexTermSource;
  private readonly subtrees: () => StructureSubtrees;
  /** Union of each structure's subtree bitmaps, for the source facet; dropped on every change. */
  private subtreeBitmaps: { of: StructureSubtrees; bitmaps: Map<number, Bitmap> } | null = null;

  constructor({ db, searchDb = db, search, terms, subtrees }: BitmapIndexOptions) {
    this.db = db;
    this.searchDb = searchDb;
    this.search = search;
    this.terms = terms;
    this.subtrees = subtrees;
    for (const dimension of ['type', 'field', 'country', 'source', 'meeting', 'lang', 'year'] as const) {
      this.values.set(dimension, new Map());
    }
  }

  /** The document count from which words' postings are held (null: none loaded). */
  get frequentTermsFrom(): number | null {
    return this.postings?.minDocuments ?? null;
  }

  /** How many words' postings are held (0 until loaded). */
  get frequentTermCount(): number {
    return this.postings?.termCount ?? 0;
  }

  /** The full-text index's terms of one initial and range of lengths, with their counts; null until loaded. */
  termsByLength(initial: string, minLength: number, maxLength: number): TermCount[] | null {
    return this.postings?.termsByLength(initial, minLength, maxLength) ?? null;
  }

  /** Forgets every search's matches (and which term a word is): the next query reads them again. */
  clearSearchCache(): void {
    this.generation += 1;
    this.searches.clear();
    this.postings?.forgetWords();
  }

  /**
   * Everything the index holds, for a snapshot (the bitmaps themselves, not copies: serialise it
   * before the next change is applied). Caches and what is derived cheaply are left out.
   */
  state(): IndexState {
    return {
      values: [...this.values].map(([dimension, map]) => [dimension, [...map]]),
      published: this.published,
      publishAt: [...this.publishAt],
      datedAt: this.datedAt,
      endsAt: this.endsAt,
      longestEventMs: this.longestEventMs,
      dateOrder: this.ensureDateOrder(),
      postings: this.postings?.state() ?? null,
    };
  }

  /** Takes the state a snapshot kept, in place of loading it (`applyChanges` goes on from there). */
  restore(state: IndexState): void {
    for (const [dimension, entries] of state.values) this.values.set(dimension, new Map(entries));
    this.published = state.published;
    this.publishAt.clear();
    for (const [id, at] of state.publishAt) this.publishAt.set(id, at);
    this.datedAt = state.datedAt;
    this.endsAt = state.endsAt;
    this.longestEventMs = state.longestEventMs;
    const positionOf = new Uint32Array(state.datedAt.length);
    for (let position = 0; position < state.dateOrder.length; position += 1) {
      positionOf[state.dateOrder[position] as number] = position;
    }
    this.positionOf = positionOf;
    this.dateOrder = state.dateOrder;
    this.postings = state.postings && TermPostings.fromState(this.db, this.terms, state.postings);
    this.forgetDerived();
  }

  /** Reads every document's facts: a few statements, streamed in batches. */
  async load(): Promise<void> {
    await this.refreshDocuments(null);
    // Sorting a million documents by date takes a third of a second: here, not in a reader's request.
    this.ensureDateOrder();
  }

  /** Follows the change log: every document named by an entry is read again (or forgotten). */
  async applyChanges(changes: readonly DocumentChange[]): Promise<void> {
    const ids = [...new Set(changes.flatMap((change) => (change.document_id === null ? [] : [change.document_id])))];
    if (changes.some((change) => change.action === 'taxonomies')) this.subtreeBitmaps = null;
    if (ids.length > 0) await this.refreshDocuments(ids);
  }

  /** Re-reads the given documents (or all), after they were written. */
  async refreshDocuments(ids: readonly number[] | null): Promise<void> {
    if (ids === null) await this.reloadAll();
    else await this.refreshSome(ids);
  }

  private async reloadAll(): Promise<void> {
    const batch = 20_000;
    this.generation += 1;
    for (const map of this.values.values()) map.clear();
    this.published = new RoaringBitmap32();
    this.publishAt.clear();
    this.datedAt = new Float64Array(0);
    this.endsAt = new Float64Array(0);
    this.longestEventMs = 0;
    let lastId = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('documents')
        .select(FACT_COLUMNS)
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(batch)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) this.addFacts(row);
      const previous = lastId;
      lastId = (rows.at(-1) as DocumentFacts).id;
      this.addTerms(await this.readTerms({ afterId: previous, upToId: lastId }));
      // SQLite's calls are synchronous: give the event loop a turn between batches, so the server
      // listens and answers (on SQL) while a million documents load.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.dateOrder = null;
    this.forgetDerived();
    await this.postings?.load();
  }

  /**
   * Reads everything first, then changes the index in one synchronous step: a listing that runs
   * meanwhile (this process serves while another's writes are applied) sees each document whole,
   * as it was or as it is, never published without its sources, say.
   */
  private async refreshSome(ids: readonly number[]): Promise<void> {
    const facts: DocumentFacts[] = [];
    const terms: TermRows[] = [];
    for (let start = 0; start < ids.length; start += 500) {
      const chunk = ids.slice(start, start + 500);
      const [rows, chunkTerms] = await Promise.all([
        this.db.selectFrom('documents').select(FACT_COLUMNS).where('id', 'in', chunk).execute(),
        this.readTerms({ ids: chunk }),
      ]);
      facts.push(...rows);
      terms.push(chunkTerms);
    }
    const applyPostings = (await this.postings?.prepareRefresh(ids)) ?? (() => {});
    for (const id of ids) this.forget(id);
    for (const row of facts) this.addFacts(row);
    for (const chunkTerms of terms) this.addTerms(chunkTerms);
    applyPostings();
    this.patchDateOrder(ids);
    this.forgetDerived();
  }

  /** Drops what was computed from the documents before a change, and what is being computed. */
  private forgetDerived(): void {
    this.generation += 1;
    this.visibleCache = null;
    this.subtreeBitmaps = null;
    this.searches.clear();
    this.keptMatches.clear();
  }

  /** Keeps a search's matches, unless the documents changed while they were read. */
  private rememberSearch(key: string, entry: SearchMatches, generation: number): void {
    if (generation !== this.generation) return;
    this.searches.set(key, entry);
    if (this.searches.size > MAX_CACHED_SEARCHES) this.searches.delete(this.searches.keys().next().value as string);
  }

  /**
   * Reads the postings of the most frequent words (held by at least `minDocuments` documents):
   * until then, and for every other word, searches read their ids from the full-text index.
   */
  async loadTermPostings(minDocuments = FREQUENT_TERM_MIN_DOCUMENTS): Promise<number> {
    const postings = new TermPostings(this.db, this.terms, minDocuments);
    // In place at once, so that it hears of writes while it loads; it answers for no word until then.
    this.postings = postings;
    await postings.load();
    return postings.termCount;
  }

  /**
   * Moves changed documents to their new places in the date order: block copies around them and
   * a binary search for each, instead of sorting every document again (a third of a second at
   * 1,000,000 documents).
   */
  private patchDateOrder(ids: readonly number[]): void {
    const order = this.dateOrder;
    if (!order) return;
    if (ids.length > order.length / 16) {
      this.dateOrder = null;
      return;
    }
    const at = this.datedAt;
    const positionOf = this.positionOf;
    const changed = [...new Set(ids)];
    const removed = Uint32Array.from(
      changed.filter((id) => id < positionOf.length && order[positionOf[id] as number] === id),
      (id) => positionOf[id] as number,
    ).sort();
    const kept = new Uint32Array(order.length - removed.length);
    let from = 0;
    for (let k = 0; k < removed.length; k += 1) {
      const place = removed[k] as number;
      kept.set(order.subarray(from, place), from - k);
      from = place + 1;
    }
    kept.set(order.subarray(from), from - removed.length);

    const before = (a: number, b: number) => (at[a] as number) < (at[b] as number) || (at[a] === at[b] && a < b);
    const moving = changed.filter((id) => this.published.has(id));
    moving.sort((a, b) => (before(a, b) ? -1 : 1));
    const patched = new Uint32Array(kept.length + moving.length);
    let firstMoved = removed.length > 0 ? (removed[0] as number) : patched.length;
    let next = 0;
    let written = 0;
    for (const id of moving) {
      let low = next;
      let high = kept.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (before(kept[middle] as number, id)) low = middle + 1;
        else high = middle;
      }
      patched.set(kept.subarray(next, low), written);
      written += low - next;
      next = low;
      firstMoved = Math.min(firstMoved, written);
      patched[written++] = id;
    }
    patched.set(kept.subarray(next), written);

    const places = positionOf.length >= at.length ? positionOf : new Uint32Array(at.length);
    if (places !== positionOf) places.set(positionOf);
    for (let place = firstMoved; place < patched.length; place += 1) places[patched[place] as number] = place;
    this.positionOf = places;
    this.dateOrder = patched;
  }

  private bitmapFor(dimension: Dimension, value: ValueKey): Bitmap {
    const map = this.values.get(dimension) as Map<ValueKey, Bitmap>;
    let bitmap = map.get(value);
    if (!bitmap) {
      bitmap = new RoaringBitmap32();
      map.set(value, bitmap);
    }
    return bitmap;
  }

  private addFacts(row: DocumentFacts): void {
    this.forget(row.id);
    if (row.id >= this.datedAt.length) {
      const grown = new Float64Array(Math.max(row.id + 1, this.datedAt.length * 2, 1024)).fill(Number.NaN);
      grown.set(this.datedAt);
      this.datedAt = grown;
      const ends = new Float64Array(grown.length).fill(Number.NaN);
      ends.set(this.endsAt);
      this.endsAt = ends;
    }
    this.datedAt[row.id] = Date.parse(row.dated_at);
    const endsAt = row.kind === 'event' && row.ends_at !== null ? Date.parse(row.ends_at) : Number.NaN;
    this.endsAt[row.id] = endsAt;
    // Never lowered until the next full load: a longer stretch to read, never a missed event.
    if (endsAt - (this.datedAt[row.id] as number) > this.longestEventMs)
      this.longestEventMs = endsAt - (this.datedAt[row.id] as number);
    // The visibility rule of documents/visibility.ts: published, and any embargo passed (see `visible`).
    if (row.status === 'published') {
      this.published.add(row.id);
      if (row.publish_at !== null) this.publishAt.set(row.id, Date.parse(row.publish_at));
    }
    this.bitmapFor('type', row.kind).add(row.id);
    this.bitmapFor('lang', row.language).add(row.id);
    this.bitmapFor('year', Number(row.dated_at.slice(0, 4))).add(row.id);
    if (row.meeting_series_id !== null) this.bitmapFor('meeting', row.meeting_series_id).add(row.id);
  }

  /** Removes a document from every bitmap (its old values are not known, nor needed). */
  private forget(id: number): void {
    this.published.delete(id);
    this.publishAt.delete(id);
    for (const map of this.values.values()) for (const bitmap of map.values()) bitmap.delete(id);
  }

  /** The fields, countries and sources of a range of ids (`afterId` < id ≤ `upToId`) or of some ids. */
  private async readTerms(which: { afterId: number; upToId: number } | { ids: readonly number[] }): Promise<TermRows> {
    const ofDocuments = sql<boolean>`${sql.ref('document_id')} ${
      'ids' in which
        ? sql`IN (${sql.join(which.ids)})`
        : sql`> ${which.afterId} AND ${sql.ref('document_id')} <= ${which.upToId}`
    }`;
    const [field, country, source] = await Promise.all([
      this.db.selectFrom('document_fields').select(['document_id', 'field_id as term_id']).where(ofDocuments).execute(),
      this.db
        .selectFrom('document_countries')
        .select(['document_id', 'country_id as term_id'])
        .where(ofDocuments)
        .execute(),
      this.db
        .selectFrom('document_sources')
        .select(['document_id', 'structure_id as term_id'])
        .where(ofDocuments)
        .execute(),
    ]);
    return { field, country, source };
  }

  private addTerms(terms: TermRows): void {
    for (const dimension of ['field', 'country', 'source'] as const) {
      for (const row of terms[dimension]) this.bitmapFor(dimension, row.term_id).add(row.document_id);
    }
  }

  private ensureDateOrder(): Uint32Array {
    if (this.dateOrder) return this.dateOrder;
    const ids = this.published.toUint32Array();
    const at = this.datedAt;
    ids.sort((a, b) => (at[a] as number) - (at[b] as number) || a - b);
    const positionOf = new Uint32Array(at.length);
    for (let position = 0; position < ids.length; position += 1) positionOf[ids[position] as number] = position;
    this.positionOf = positionOf;
    this.dateOrder = ids;
    return ids;
  }

  /** Position of the first published document dated after `moment` in date order. */
  private firstAfter(moment: number): number {
    const order = this.ensureDateOrder();
    let low = 0;
    let high = order.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.datedAt[order[middle] as number] as number) <= moment) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** Published, and no embargo holding it back at `now`; cached until the next embargo lifts. */
  private visible(now: number): Bitmap {
    const cache = this.visibleCache;
    if (cache && now >= cache.validFrom && now < cache.validUntil) return cache.bitmap;
    const held: number[] = [];
    let next = Number.POSITIVE_INFINITY;
    for (const [id, at] of this.publishAt) {
      if (at <= now) continue;
      held.push(id);
      if (at < next) next = at;
    }
    const bitmap = this.published.clone();
    if (held.length > 0) bitmap.removeMany(held);
    this.visibleCache = { bitmap, validFrom: now, validUntil: next };
    return bitmap;
  }

  private dateRange(fromMs: number, untilMs: number): Bitmap {
    const order = this.ensureDateOrder();
    const start = this.firstAfter(fromMs - 1);
    const end = this.firstAfter(untilMs - 1);
    return new RoaringBitmap32(order.subarray(start, end));
  }

  private async searchBitmaps(search: SearchQuery): Promise<SearchMatches> {
    const key = JSON.stringify([search.required, search.excluded]);
    const cached = this.searches.get(key);
    if (cached) return cached;
    const generation = this.generation;
    // Groups of frequent words (and prefixes that start one) from their postings; the rest (rare
    // words, phrases, other prefixes) from the full-text index, which reads those quickly.
    const fromPostings: Bitmap[] = [];
    const read: (readonly SearchTerm[])[] = [];
    for (const group of search.required) {
      const held = (await this.postings?.match([group], 'all')) ?? null;
      if (held) fromPostings.push(held);
      else read.push(group);
    }
    const excludedHeld =
      search.excluded.length > 0 ? ((await this.postings?.match([search.excluded], 'all')) ?? null) : null;
    const ids = await this.search.matchingIds(this.searchDb, {
      text: search.text,
      required: read,
      excluded: excludedHeld ? [] : search.excluded,
    });
    let required = ids.required ? new RoaringBitmap32(ids.required) : null;
    for (const held of fromPostings) required = required ? RoaringBitmap32.and(required, held) : held;
    const entry = {
      required,
      excluded: excludedHeld ?? (ids.excluded ? new RoaringBitmap32(ids.excluded) : null),
    };
    this.rememberSearch(key, entry, generation);
    return entry;
  }

  /** The documents with any of the values. Read only: a single value's own bitmap is given, not a copy. */
  private union(dimension: Dimension, values: readonly ValueKey[]): Bitmap {
    const map = this.values.get(dimension) as Map<ValueKey, Bitmap>;
    if (values.length === 1) return map.get(values[0] as ValueKey) ?? new RoaringBitmap32();
    return RoaringBitmap32.orMany(values.map((value) => map.get(value) ?? new RoaringBitmap32()));
  }

  /**
   * Every document the filter matches, leaving out one dimension's choices if asked. Read only:
   * the result of a filter without a search is kept until the index or the visible set changes
   * (building a bitmap costs microseconds of native allocation, and the home page, a document's
   * related documents and a listing's pages ask for the same few filters again and again).
   */
  async matching(filter: Filter, now: number, without: Dimension | null = null): Promise<Bitmap> {
    const visible = this.visible(now);
    if (filter.search) return this.computeMatching(filter, visible, without);
    const key = `${without ?? ''}|${constraintKey(filter)}`;
    const kept = this.keptMatches.get(key);
    if (kept && kept.generation === this.generation && kept.visible === visible) return kept.bitmap;
    // The generation it is read at: a change applied meanwhile makes the kept entry stale at once.
    const generation = this.generation;
    const bitmap = await this.computeMatching(filter, visible, without);
    if (this.keptMatches.size >= MAX_KEPT_MATCHES)
      this.keptMatches.delete(this.keptMatches.keys().next().value as string);
    this.keptMatches.set(key, { generation, visible, bitmap });
    this.sortedPlaces.set(bitmap, { generation, places: null });
    return bitmap;
  }

  private async computeMatching(filter: Filter, visible: Bitmap, without: Dimension | null): Promise<Bitmap> {
    // The first constraint makes the result from the visible set, the others narrow it in place:
    // no copy of the visible set first.
    let result: Bitmap | null = null;
    const keep = (bitmap: Bitmap) => {
      if (result) result.andInPlace(bitmap);
      else result = RoaringBitmap32.and(visible, bitmap);
    };
    const drop = (bitmap: Bitmap) => {
      if (result) result.andNotInPlace(bitmap);
      else result = RoaringBitmap32.andNot(visible, bitmap);
    };
    for (const [dimension, values] of Object.entries(filter.scope) as [Dimension, ValueKey[]][]) {
      if (values.length > 0) keep(this.union(dimension, values));
    }
    for (const [dimension, choice] of Object.entries(filter.choices) as [
      Dimension,
      { include: ValueKey[]; exclude: ValueKey[] },
    ][]) {
      if (dimension === without) continue;
      if (choice.include.length > 0) keep(this.union(dimension, choice.include));
      if (choice.exclude.length > 0) drop(this.union(dimension, choice.exclude));
    }
    if (filter.from || filter.to) {
      const { from, until } = dateBounds(filter);
      keep(this.dateRange(from, until));
    }
    if (filter.search) {
      const { required, excluded } = await this.searchBitmaps(filter.search);
      if (required) keep(required);
      if (excluded) drop(excluded);
    }
    return (result as Bitmap | null) ?? visible.clone();
  }

  /** Per facet dimension, the count of each value with the other constraints applied (see FacetCounts). */
  async facets(filter: Filter, now: number): Promise<FacetCounts> {
    const countValues = async (dimension: Dimension, values: Iterable<[ValueKey, Bitmap]>) => {
      const base = await this.matching(filter, now, dimension);
      const perValue = new Map<ValueKey, number>();
      for (const [value, bitmap] of values) {
        const count = base.andCardinality(bitmap);
        if (count > 0) perValue.set(value, count);
      }
      return perValue;
    };
    const own = (dimension: Dimension) => countValues(dimension, this.values.get(dimension) as Map<ValueKey, Bitmap>);
    return {
      type: (await own('type')) as FacetCounts['type'],
      field: (await own('field')) as FacetCounts['field'],
      country: (await own('country')) as FacetCounts['country'],
      source: (await countValues('source', this.sourceSubtreeBitmaps())) as FacetCounts['source'],
      year: (await own('year')) as FacetCounts['year'],
    };
  }

  /** Each structure's documents together with those of every structure under it. */
  private sourceSubtreeBitmaps(): Map<number, Bitmap> {
    const subtrees = this.subtrees();
    if (this.subtreeBitmaps?.of === subtrees) return this.subtreeBitmaps.bitmaps;
    const bitmaps = new Map<number, Bitmap>();
    for (const [structureId, ids] of subtrees) bitmaps.set(structureId, this.union('source', ids));
    this.subtreeBitmaps = { of: subtrees, bitmaps };
    return bitmaps;
  }

  async run(filter: Filter, now: Date, request: EngineRequest): Promise<EngineResult> {
    const nowMs = now.getTime();
    const matches = await this.matching(filter, nowMs);
    const facets = request.facets ? await this.facets(filter, nowMs) : null;
    const offset = filter.after ? 0 : (filter.page - 1) * filter.pageSize;
    const window = dateWindow(filter);
    const ids =
      filter.search && filter.sort === 'relevance' && filter.search.required.length > 0
        ? await this.pageByRelevance(matches, filter.search, {
            offset,
            limit: filter.pageSize,
            exactLimit: EXACT_RANKING_LIMIT,
            window,
          })
        : this.pageByDate(matches, {
            offset,
            limit: filter.pageSize,
            ascending: filter.sort === 'oldest',
            after: filter.after,
            window,
          });
    return { ids, total: matches.size, facets };
  }

  /**
   * Visible events not over at `now`, soonest first, as `upcomingEvents` (documents/reader.ts)
   * lists them: those under way (begun, not ended), then those to come. The ones under way began
   * at most the longest event's span ago, so only that stretch of the date order is read for them.
   */
  upcomingEvents(now: Date, limit: number): number[] {
    const nowMs = now.getTime();
    const order = this.ensureDateOrder();
    const events = this.values.get('type')?.get('event');
    if (!events) return [];
    // The rule of `visible`, for one document: published, and any embargo passed.
    const shown = (id: number) => events.has(id) && this.published.has(id) && !((this.publishAt.get(id) ?? 0) > nowMs);
    const ids: number[] = [];
    const comingFrom = this.firstAfter(nowMs - 1);
    for (let place = this.firstAfter(nowMs - this.longestEventMs - 1); place < comingFrom; place += 1) {
      const id = order[place] as number;
      if ((this.endsAt[id] as number) >= nowMs && shown(id)) ids.push(id);
      if (ids.length >= limit) return ids;
    }
    for (let place = comingFrom; place < order.length && ids.length < limit; place += 1) {
      const id = order[place] as number;
      if (shown(id)) ids.push(id);
    }
    return ids;
  }

  /**
   * One page of ids in date order (newest first unless `ascending`), after an optional cursor.
   * `window` bounds where the matches can be (from the filter's dates and years): a scan for them
   * starts there rather than at the newest (or oldest) document.
   */
  pageByDate(
    matches: Bitmap,
    options: {
      offset: number;
      limit: number;
      ascending: boolean;
      after: { datedAt: string; id: number } | null;
      window?: DateWindow;
    },
  ): number[] {
    const at = this.datedAt;
    const { offset, limit, ascending, after } = options;
    const afterMs = after ? Date.parse(after.datedAt) : Number.NaN;
    const order = this.ensureDateOrder();
    // Where the cursor sits in the date order: ascending, the first position past it; descending,
    // the position of the first entry not before it (the scan starts one below).
    let low = 0;
    let high = order.length;
    if (after) {
      while (low < high) {
        const middle = (low + high) >>> 1;
        const id = order[middle] as number;
        const t = at[id] as number;
        const before = t < afterMs || (t === afterMs && (ascending ? id <= after.id : id < after.id));
        if (before) low = middle + 1;
        else high = middle;
      }
    }
    const windowStart = options.window ? this.firstAfter(options.window.from - 1) : 0;
    const windowEnd = options.window ? this.firstAfter(options.window.until - 1) : order.length;
    const start = ascending
      ? Math.max(after ? low : 0, windowStart)
      : Math.min(after ? low - 1 : order.length - 1, windowEnd - 1);
    const remaining = Math.max(0, ascending ? windowEnd - start : start - windowStart + 1);
    // Reading the date order until the page is full costs a native membership test per step;
    // placing matches in the date order and selecting the page's slice costs a few nanoseconds
    // a match (src/listing/select-range.ts), and without a cursor only the matches of the years
    // the page falls in need placing. Pick the cheapest.
    const size = Math.max(1, matches.size);
    const scanSteps = Math.min(remaining, ((offset + limit) * (windowEnd - windowStart)) / size);
    if (!after) {
      const sorted = this.sortedPlacesOf(matches);
      return sorted ? this.pick(sorted, offset, limit, ascending) : this.pageByYears(matches, offset, limit, ascending);
    }
    if (size + SELECT_SETUP >= SELECT_PER_SCAN_STEP * scanSteps)
      return this.scanByDate(matches, start, remaining, options);
    // Places on the cursor's side only: from `start` ascending, up to `start` descending.
    const places = this.placesOf(matches).filter((place) => (ascending ? place >= start : place <= start));
    return this.slice(places, offset, limit, ascending);
  }

  /** The page read off the date order from `start`, testing each document, for `steps` documents at most. */
  private scanByDate(
    matches: Bitmap,
    start: number,
    steps: number,
    { offset, limit, ascending }: { offset: number; limit: number; ascending: boolean },
  ): number[] {
    const order = this.ensureDateOrder();
    const page: number[] = [];
    let skipped = 0;
    for (let step = 0; step < steps && page.length < limit; step += 1) {
      const id = order[ascending ? start + step : start - step] as number;
      if (!matches.has(id)) continue;
      if (skipped < offset) skipped += 1;
      else page.push(id);
    }
    return page;
  }

  /**
   * The page from the years it falls in. A year's documents are one stretch of the date order
   * (its year is its date's), so whole years are skipped by counting their matches (no bitmap
   * made), and only the years the page reaches into are read: scanned, or their matches placed
   * and selected.
   */
  private pageByYears(matches: Bitmap, offset: number, limit: number, ascending: boolean): number[] {
    // A page past the middle is nearer the other end: read from there, and turn it round.
    const size = matches.size;
    if (offset + limit / 2 > size / 2 && offset < size) {
      const fromOtherEnd = Math.max(0, size - offset - limit);
      return this.pageByYears(matches, fromOtherEnd, size - offset - fromOtherEnd, !ascending).reverse();
    }
    const years = this.values.get('year') as Map<ValueKey, Bitmap>;
    const keys = this.yearsInOrder(years, ascending);
    const page: number[] = [];
    let skip = offset;
    for (const year of keys) {
      const documents = years.get(year) as Bitmap;
      const inYear = matches.andCardinality(documents);
      if (skip >= inYear) {
        skip -= inYear;
        continue;
      }
      // The year's stretch of the date order: scanned when its matches are dense enough to fill
      // the page in about a hundred steps (35 ns each), else its matches placed and the page
      // selected (a bitmap made, about 3 µs).
      const want = Math.min(limit - page.length, inYear - skip);
      const from = this.firstAfter(Date.UTC(Number(year), 0, 1) - 1);
      const to = this.firstAfter(Date.UTC(Number(year) + 1, 0, 1) - 1);
      if (((skip + want) * (to - from)) / inYear <= SCAN_BUDGET) {
        const options = { offset: skip, limit: want, ascending };
        page.push(...this.scanByDate(matches, ascending ? from : to - 1, to - from, options));
      } else {
        const places = this.placesOf(RoaringBitmap32.and(matches, documents));
        page.push(...this.slice(places, skip, want, ascending));
      }
      skip = 0;
      if (page.length >= limit) break;
    }
    return page;
  }

  /** The years documents are dated in, oldest first or newest first; kept until a year is added or the index restored. */
  private yearsInOrder(years: Map<ValueKey, Bitmap>, ascending: boolean): readonly ValueKey[] {
    if (this.yearOrder?.of !== years || this.yearOrder.count !== years.size) {
      const oldestFirst = [...years.keys()].sort((a, b) => Number(a) - Number(b));
      this.yearOrder = { of: years, count: years.size, oldestFirst, newestFirst: [...oldestFirst].reverse() };
    }
    return ascending ? this.yearOrder.oldestFirst : this.yearOrder.newestFirst;
  }

  /**
   * The places of a kept filter's matches, sorted once and kept with them (at most
   * MAX_SORTED_PLACES of them): every page of that filter is then a slice, until the index moves.
   */
  private sortedPlacesOf(matches: Bitmap): Uint32Array | null {
    const kept = this.sortedPlaces.get(matches);
    if (!kept || kept.generation !== this.generation || matches.size > MAX_SORTED_PLACES) return null;
    kept.places ??= this.placesOf(matches).sort();
    return kept.places;
  }

  /** The documents at the places ranked [offset, offset + limit), those ranks in order in `places`. */
  private pick(places: Uint32Array, offset: number, limit: number, ascending: boolean): number[] {
    const order = this.ensureDateOrder();
    const count = places.length;
    const picked: number[] = [];
    for (let k = offset; k < offset + limit && k < count; k += 1) {
      picked.push(order[places[ascending ? k : count - 1 - k] as number] as number);
    }
    return picked;
  }

  /** Where each match stands in the date order. */
  private placesOf(matches: Bitmap): Uint32Array {
    const positionOf = this.positionOf;
    const places = matches.toUint32Array();
    for (let index = 0; index < places.length; index += 1)
      places[index] = positionOf[places[index] as number] as number;
    return places;
  }

  /** The documents at the places ranked [offset, offset + limit) in date order (reorders `places`). */
  private slice(places: Uint32Array, offset: number, limit: number, ascending: boolean): number[] {
    const count = places.length;
    selectRange(places, ascending ? offset : count - offset - limit, ascending ? offset + limit : count - offset);
    return this.pick(places, offset, limit, ascending);
  }

  /**
   * The documents of one ranking tier, cached per query: a proximity tier (the words together
   * somewhere), or those whose title (or summary) matches the search's required part.
   */
  private async tierBitmap(search: SearchQuery, tier: Exclude<RankingTier, 'rest'>): Promise<Bitmap> {
    const key = JSON.stringify([tier, search.required]);
    const cached = this.searches.get(key);
    if (cached?.required) return cached.required;
    const generation = this.generation;
    const heading = tier === 'title' || tier === 'summary';
    const fromPostings = heading ? ((await this.postings?.match(search.required, tier)) ?? null) : null;
    const ids = fromPostings
      ? null
      : heading
        ? (await this.search.matchingIds(this.searchDb, search, tier)).required
        : await this.search.tierIds(this.searchDb, search, tier);
    const bitmap = fromPostings ?? new RoaringBitmap32(ids ?? []);
    this.rememberSearch(key, { required: bitmap, excluded: null }, generation);
    return bitmap;
  }

  /**
   * One page of ids by relevance. A search matching up to `exactLimit` documents is ranked
   * exactly as the SQL listing ranks (proximity tiers, bm25). A more common one is ranked in
   * tiers: the proximity tiers, then title matches, summary matches, the rest, newest first
   * within each — bm25 over hundreds of thousands of hits costs a quarter of a second, and
   * between documents that all use a very common word in their title it mostly measures their
   * length. A tier is read only when the page reaches past the tiers before it.
   */
  async pageByRelevance(
    matches: Bitmap,
    search: SearchQuery,
    options: { offset: number; limit: number; exactLimit: number; window?: DateWindow },
  ): Promise<number[]> {
    const { required } = await this.searchBitmaps(search);
    const wanted = options.offset + options.limit;
    if (!required || required.size <= options.exactLimit) {
      const ranked = await this.search.rankedIds(this.searchDb, search, options.exactLimit);
      const taken: number[] = [];
      for (const id of ranked) {
        if (!matches.has(id)) continue;
        taken.push(id);
        if (taken.length >= wanted) break;
      }
      return taken.slice(options.offset);
    }
    const tiers: RankingTier[] = [...(proximityTerms(search) ? PROXIMITY_TIERS : []), 'title', 'summary', 'rest'];
    const ranked = new RoaringBitmap32();
    const page: number[] = [];
    let offset = options.offset;
    for (const tier of tiers) {
      if (page.length >= options.limit) break;
      const members =
        tier === 'rest'
          ? RoaringBitmap32.andNot(matches, ranked)
          : RoaringBitmap32.andNot(RoaringBitmap32.and(matches, await this.tierBitmap(search, tier)), ranked);
      ranked.orInPlace(members);
      if (offset >= members.size) {
        offset -= members.size;
        continue;
      }
      page.push(
        ...this.pageByDate(members, {
          offset,
          limit: options.limit - page.length,
          ascending: false,
          after: null,
          window: options.window,
        }),
      );
      offset = 0;
    }
    return page;
  }
}

/** The steps of relevance for very common words, best first. */
type RankingTier = ProximityTier | 'title' | 'summary' | 'rest';

/** A span of time, in milliseconds since the epoch: from inclusive, until exclusive. */
export interface DateWindow {
  readonly from: number;
  readonly until: number;
}

const DAY_MS = 86_400_000;

/** The span of a filter's from/to dates (both inclusive days). */
function dateBounds(filter: Pick<Filter, 'from' | 'to'>): DateWindow {
  const from = filter.from ? Date.parse(`${filter.from}T00:00:00.000Z`) : Number.NEGATIVE_INFINITY;
  const until = filter.to ? Date.parse(`${filter.to}T00:00:00.000Z`) + DAY_MS : Number.POSITIVE_INFINITY;
  return { from, until };
}

/** Where a filter's documents can be dated: its from/to dates and the years it asks for. */
export function dateWindow(filter: Pick<Filter, 'from' | 'to' | 'scope' | 'choices'>): DateWindow {
  let { from, until } = dateBounds(filter);
  for (const years of [filter.scope.year, filter.choices.year.include]) {
    if (!years || years.length === 0) continue;
    from = Math.max(from, Date.UTC(Math.min(...years), 0, 1));
    until = Math.min(until, Date.UTC(Math.max(...years) + 1, 0, 1));
  }
  return { from, until: Math.max(from, until) };
}

/**
 * The index with every document's facts and, unless `frequentTermMinDocuments` is null, the
 * postings of the most frequent words.
 * @example const index = await loadBitmapIndex({ db, search, terms, subtrees: () => catalog.subtrees })
 */
export async function loadBitmapIndex(
  options: BitmapIndexOptions & { frequentTermMinDocuments?: number | null },
): Promise<DocumentBitmapIndex> {
  const index = new DocumentBitmapIndex(options);
  await index.load();
  if (options.frequentTermMinDocuments !== null) await index.loadTermPostings(options.frequentTermMinDocuments);
  return index;
}

export type { Bitmap };
