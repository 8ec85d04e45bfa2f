// The one interface behind every listing: an engine selects the page's documents, counts them
// and counts the facets, each with the same meaning (the filter's, the visibility rule, the facet
// semantics below). runListing does the rest once for every engine: the count cache, the page's
// rows, snippets, content. The contract suite (engine.contract.test.ts) holds each to it.
import type { DocumentKind } from '../store/schema.ts';
import type { DimensionValues, Filter } from './filter.ts';

export const FACET_DIMENSIONS = ['type', 'field', 'country', 'source', 'year'] as const;
export type FacetDimension = (typeof FACET_DIMENSIONS)[number];

/**
 * How many matching documents hold each value, every other constraint of the filter applied
 * (disjunctive facets). Meanings, the same in every engine and every rendering:
 * - type: per kind; field, country: per term a document carries;
 * - source: per structure, the documents issued by it *or any structure under it*, each document
 *   counted once however many of its sources are in that subtree (what filtering on it returns);
 * - year: per calendar year (UTC) of the document's own date.
 * Values with no document are left out.
 */
export type FacetCounts = {
  type: ReadonlyMap<DocumentKind, number>;
  field: ReadonlyMap<number, number>;
  country: ReadonlyMap<number, number>;
  source: ReadonlyMap<number, number>;
  year: ReadonlyMap<number, number>;
};

export interface EngineRequest {
  /** Count the matches (false: the caller has a cached total). */
  total: boolean;
  /** Count the facets. */
  facets: boolean;
}

export interface EngineResult {
  /** The page's document ids, in the filter's order. */
  ids: number[];
  total: number | null;
  facets: FacetCounts | null;
}

export interface ListingEngine {
  readonly name: string;
  run(filter: Filter, now: Date, request: EngineRequest): Promise<EngineResult>;
}

/**
 * Past this many documents matching the words, relevance is ranked in tiers (title, summary, the
 * rest; newest first within each) instead of by bm25 over every hit: measured at 1,000,000
 * documents, exact ranking costs about 5 µs a hit.
 */
export const EXACT_RANKING_LIMIT = 5_000;

/** Every structure with the ids of itself and all structures under it. */
export type StructureSubtrees = ReadonlyMap<number, readonly number[]>;

/**
 * Source facet counts from the distinct combinations of sources among the matches: each
 * combination's documents count once for every structure that is, or is above, one of its sources.
 */
export function sourceCountsFromCombinations(
  combinations: Iterable<{ sourceIds: readonly number[]; count: number }>,
  ancestorsOf: (structureId: number) => readonly number[],
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { sourceIds, count } of combinations) {
    const reached = new Set<number>();
    for (const id of sourceIds) for (const ancestor of ancestorsOf(id)) reached.add(ancestor);
    for (const id of reached) counts.set(id, (counts.get(id) ?? 0) + count);
  }
  return counts;
}

export type { DimensionValues };
