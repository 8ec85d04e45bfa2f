// What ranks a search of several words: whether they stand together, and where. A document
// holding them as a phrase in its title comes first, then near each other in the title, in the
// summary, in the body, and only then documents where they are scattered (as Solr's phrase
// fields and Elasticsearch's match_phrase boost do). Every engine and provider ranks by these
// tiers; within one, by the engine's relevance score, then newest first.
import type { SearchQuery, SearchTerm } from './query.ts';

export const PROXIMITY_TIERS = ['title-phrase', 'title-near', 'summary-near', 'body-near'] as const;
export type ProximityTier = (typeof PROXIMITY_TIERS)[number];

/** Words with at most this many other words between them stand "near" each other. */
export const NEAR_DISTANCE = 4;

/**
 * The terms whose closeness ranks the search: two or more required terms, none of them a choice
 * (`a OR b`). Null for one term or phrase, where every match already has its words together.
 */
export function proximityTerms(search: SearchQuery): readonly SearchTerm[] | null {
  if (search.required.length < 2) return null;
  const terms: SearchTerm[] = [];
  for (const group of search.required) {
    if (group.length !== 1) return null;
    terms.push(group[0] as SearchTerm);
  }
  return terms;
}

/**
 * The terms as one phrase, in the order typed, when they can form one: only the last may be a
 * prefix (`human traffick*`). Null otherwise.
 */
export function asPhrase(terms: readonly SearchTerm[]): SearchTerm | null {
  if (terms.slice(0, -1).some((term) => term.prefix)) return null;
  return { words: terms.flatMap((term) => term.words), prefix: terms.at(-1)?.prefix ?? false };
}
