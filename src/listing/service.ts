// The listing service the renderers call: it runs a Filter on the best engine available (the
// bitmap index once loaded, SQL until then), with the count cache, at the clock's "now", after
// catching up with this process's own writes so that a reader sees what was just saved.

import type { Clock } from '../clock.ts';
import { ChangeFollower } from '../documents/change-log.ts';
import type { IndexTermSource, SearchProvider } from '../search/provider.ts';
import type { SearchQuery } from '../search/query.ts';
import { suggestCorrection } from '../search/suggest.ts';
import type { Store } from '../store/store.ts';
import type { DocumentBitmapIndex } from './bitmap-index.ts';
import { type CountCache, createCountCache } from './count-cache.ts';
import type { ListingEngine } from './engine.ts';
import type { Filter } from './filter.ts';
import { type Listing, type ListingOptions, runListing } from './listing.ts';
import { sqlListingEngine } from './sql-engine.ts';

export interface ListingService {
  run(filter: Filter, options?: ListingOptions): Promise<Listing>;
  /** The engine listings run on now. */
  engine(): ListingEngine;
  /** Hands over a loaded index, following the change log from `afterSeq` (read before it loaded). */
  useIndex(index: DocumentBitmapIndex, afterSeq: number): void;
  /** Stops following the change log. */
  close(): void;
}

export interface ListingServiceOptions {
  store: Pick<Store, 'db' | 'localCommits'>;
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
  const sql = sqlListingEngine({ db: store.db, search, ancestorsOf });
  const cache: CountCache | undefined = countCacheTtlMs > 0 ? createCountCache({ ttlMs: countCacheTtlMs }) : undefined;
  // Counts follow the log from now on: any change clears them (other processes' too).
  const countsFollower = new ChangeFollower(store, { pollMs, onError });
  await countsFollower.startFromLatest();
  countsFollower.subscribe(() => cache?.clear());
  if (cache) countsFollower.start();

  const suggest = terms && ((query: SearchQuery) => suggestCorrection(store.db, terms, query));
  let index: { engine: DocumentBitmapIndex; follower: ChangeFollower } | null = null;
  return {
    async run(filter, options = {}) {
      await countsFollower.catchUpWithLocalWrites();
      const current = index;
      if (current) await current.follower.catchUpWithLocalWrites();
      const engine = current?.engine ?? sql;
      return runListing({ db: store.db, engine, search, cache, suggest }, filter, clock(), options);
    },
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
    close() {
      countsFollower.stop();
      index?.follower.stop();
    },
  };
}
