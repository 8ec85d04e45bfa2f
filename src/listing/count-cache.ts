// Totals and facet counts, kept briefly per filter: they cost five GROUP BY statements and change
// only when documents do. Pages of the same listing share one entry.

import type { FacetCounts } from './engine.ts';
import { constraintKey, type Filter } from './filter.ts';

export interface CachedCounts {
  total: number;
  facets: FacetCounts | null;
}

export interface CountCacheOptions {
  /** How long counts may be reused; also bounds staleness after writes by another process. */
  ttlMs?: number;
  maxEntries?: number;
  now?: () => number;
}

export interface CountCache {
  get(filter: Filter, withFacets: boolean): CachedCounts | undefined;
  /**
   * Keeps counts computed from the documents as they were at `epoch` (read before counting):
   * counts whose computation a change overtook are dropped, not kept for the cache's lifetime.
   */
  set(filter: Filter, counts: CachedCounts, epoch: number): void;
  /** How many times the cache was cleared: read it before counting, hand it to `set`. */
  epoch(): number;
  /** Forget everything (after a change). */
  clear(): void;
  /** Entries held now (expired ones are swept as the cache is used). */
  size(): number;
}

/**
 * @example const cache = createCountCache({ ttlMs: 30_000 }); runListing(db, filter, now, { facets: true, cache })
 */
export function createCountCache({
  ttlMs = 30_000,
  maxEntries = 2_000,
  now = Date.now,
}: CountCacheOptions = {}): CountCache {
  const entries = new Map<string, CachedCounts & { expires: number }>();
  let clears = 0;
  // Every entry lives as long, so the Map's insertion order is also expiry order: the expired ones
  // are at the front, and sweeping them costs one step each, without a timer.
  const sweep = (at: number) => {
    for (const [key, entry] of entries) {
      if (entry.expires > at) break;
      entries.delete(key);
    }
  };
  return {
    get(filter, withFacets) {
      sweep(now());
      // The part of a filter that decides the counts: not the page, the order or the cursor.
      const key = constraintKey(filter);
      const entry = entries.get(key);
      if (!entry) return undefined;
      if (entry.expires <= now()) {
        entries.delete(key);
        return undefined;
      }
      if (withFacets && !entry.facets) return undefined;
      return entry;
    },
    set(filter, counts, epoch) {
      if (epoch !== clears) return;
      const at = now();
      sweep(at);
      const key = constraintKey(filter);
      entries.delete(key);
      entries.set(key, { ...counts, expires: at + ttlMs });
      // Map keeps insertion order: the first key is the oldest.
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value as string);
    },
    epoch: () => clears,
    clear() {
      clears += 1;
      entries.clear();
    },
    size: () => entries.size,
  };
}
