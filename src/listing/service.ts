// The listing service the renderers call: it runs a Filter on the best engine available (the
// bitmap index once loaded, SQL until then), with the count cache, at the clock's "now", after
// catching up with this process's own writes so that a reader sees what was just saved.

import type { Clock } from '../clock.ts';
import { ChangeFollower } from '../documents/change-log.ts';
import { type DocumentSummary, latestDocuments, relatedDocuments, upcomingEvents } from '../documents/reader.ts';
import type { IndexTermSource, SearchProvider } from '../search/provider.ts';
import type { SearchQuery } from '../search/query.ts';
import { suggestCorrection } from '../search/suggest.ts';
import type { DocumentKind } from '../store/schema.ts';
import type { Store } from '../store/store.ts';
import type { DocumentBitmapIndex } from './bitmap-index.ts';
import { type CountCache, createCountCache } from './count-cache.ts';
import type { ListingEngine } from './engine.ts';
import { type Filter, newestFilter } from './filter.ts';
import { type HeldDocument, HeldRows } from './held-rows.ts';
import { type Listing, type ListingOptions, runListing } from './listing.ts';
import { sqlListingEngine } from './sql-engine.ts';

/** What `newest` lists: documents of some kinds, or sharing a field of work with a document. */
export type NewestChoice =
  | { kinds: readonly DocumentKind[] }
  | { fieldIds: readonly number[]; sourceIds: readonly number[]; besides: number };

export interface ListingService {
  run(filter: Filter, options?: ListingOptions): Promise<Listing>;
  /**
   * The newest visible documents of a choice (the home page's columns, a document's related
   * documents): from the bitmap index once it is loaded (microseconds, then one statement for
   * the rows), from SQL before.
   */
  newest(choice: NewestChoice, limit: number): Promise<DocumentSummary[]>;
  /** Visible events not over yet, soonest first (the home page's): from the index once loaded. */
  upcomingEvents(limit: number): Promise<DocumentSummary[]>;
  /**
   * The document visible now at an address (its permalink), with its terms, for its page. The
   * records of the documents read most recently are held until the change log names them.
   */
  document(path: string): Promise<HeldDocument | undefined>;
  /** The engine listings run on now. */
  engine(): ListingEngine;
  /** Hands over a loaded index, following the change log from `afterSeq` (read before it loaded). */
  useIndex(index: DocumentBitmapIndex, afterSeq: number): void;
  /**
   * Runs `look` on the index between two batches of changes, with the change-log position it
   * reflects (null: no index in use).
   */
  indexAtRest<T>(look: (index: DocumentBitmapIndex, seq: number) => T): Promise<T | null>;
  /** Stops following the change log. */
  close(): void;
}

export interface ListingServiceOptions {
  store: Pick<Store, 'db' | 'searchDb' | 'localCommits'>;
  search: SearchProvider;
  /** The index's vocabulary, for correcting searches that find nothing. */
  terms?: IndexTermSource;
  clock: Clock;
  /** A structure and every structure above it, from the current catalogue. */
  ancestorsOf: (structureId: number) => readonly number[];
  /** How long totals and facet counts may be reused (0: never); any change clears them. */
  countCacheTtlMs?: number;
  /** How often to read other processes' changes (0: only on local writes). */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

/** `terms`, with the candidates of "Did you mean" from the index's vocabulary when it holds one. */
export function withHeldTerms(terms: IndexTermSource, index: DocumentBitmapIndex | null): IndexTermSource {
  if (!index) return terms;
  return {
    ...terms,
    async correctionTerms(db, initial, minLength, maxLength) {
      return (
        index.termsByLength(initial, minLength, maxLength) ??
        (await terms.correctionTerms(db, initial, minLength, maxLength))
      );
    },
  };
}

/** @example const listings = createListingService({ store, search, clock, ancestorsOf }); await listings.start(); */
export async function createListingService({
  store,
  search,
  terms,
  clock,
  ancestorsOf,
  countCacheTtlMs = 30_000,
  pollMs,
  onError,
}: ListingServiceOptions): Promise<ListingService> {
  const sql = sqlListingEngine({ db: store.db, searchDb: store.searchDb, search, ancestorsOf });
  const cache: CountCache | undefined = countCacheTtlMs > 0 ? createCountCache({ ttlMs: countCacheTtlMs }) : undefined;
  // Counts follow the log from now on: any change clears them (other processes' too).
  const countsFollower = new ChangeFollower(store, { pollMs, onError });
  await countsFollower.startFromLatest();
  countsFollower.subscribe(() => cache?.clear());
  if (cache) countsFollower.start();

  let index: { engine: DocumentBitmapIndex; follower: ChangeFollower } | null = null;
  // Candidates from the index's vocabulary in memory once it is loaded (walking the headings'
  // index for the terms of one initial takes over 100 ms at 1,000,000 documents).
  const suggest =
    terms && ((query: SearchQuery) => suggestCorrection(store.db, withHeldTerms(terms, index?.engine ?? null), query));
  // Listed documents' rows and read documents' records, kept while the change log does not name them.
  const rows = await HeldRows.start(store, { pollMs, onError });
  const summariesInOrder = async (ids: readonly number[]) => {
    const byId = new Map((await rows.of(ids)).map((row) => [row.id, row]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  };
  return {
    async run(filter, options = {}) {
      await countsFollower.catchUpWithLocalWrites();
      const current = index;
      if (current) await current.follower.catchUpWithLocalWrites();
      const engine = current?.engine ?? sql;
      return runListing(
        { db: store.db, searchDb: store.searchDb, engine, search, cache, suggest, rows: (ids) => rows.of(ids) },
        filter,
        clock(),
        options,
      );
    },
    async newest(choice, limit) {
      const current = index;
      const now = clock();
      if (!current || ('fieldIds' in choice && choice.fieldIds.length === 0)) {
        const at = now.toISOString();
        return 'kinds' in choice
          ? latestDocuments(store.db, at, { kinds: choice.kinds, limit })
          : relatedDocuments(
              store.db,
              { id: choice.besides, sourceIds: [...choice.sourceIds] },
              choice.fieldIds,
              at,
              limit,
            );
      }
      await current.follower.catchUpWithLocalWrites();
      const besides = 'besides' in choice ? choice.besides : null;
      const filter = newestFilter(
        'kinds' in choice ? { kinds: choice.kinds } : { fieldIds: choice.fieldIds },
        limit + 1,
      );
      const { ids } = await current.engine.run(filter, now, { total: false, facets: false });
      return summariesInOrder(ids.filter((id) => id !== besides).slice(0, limit));
    },
    async upcomingEvents(limit) {
      const current = index;
      const now = clock();
      if (!current) return upcomingEvents(store.db, now.toISOString(), limit);
      await current.follower.catchUpWithLocalWrites();
      return summariesInOrder(current.engine.upcomingEvents(now, limit));
    },
    document: (path) => rows.document(path, clock().toISOString()),
    engine: () => index?.engine ?? sql,
    useIndex(engine, afterSeq) {
      index?.follower.stop();
      const follower = new ChangeFollower(store, { pollMs, onError });
      follower.startAfter(afterSeq);
      follower.subscribe(async (changes) => {
        await engine.applyChanges(changes);
        // Counts computed from the index before it applied these changes must not outlive them.
        cache?.clear();
      });
      follower.start();
      index = { engine, follower };
      cache?.clear();
    },
    async indexAtRest(look) {
      const current = index;
      return current ? current.follower.atRest((seq) => look(current.engine, seq)) : null;
    },
    close() {
      countsFollower.stop();
      rows.close();
      index?.follower.stop();
    },
  };
}
