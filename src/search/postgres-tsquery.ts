// Our query grammar compiled to PostgreSQL's tsquery text, which `to_tsquery('dateline', ...)`
// then stems and folds as the index did. Only words of letters and digits (query.ts guarantees
// them) reach the text, so nothing a reader types is ever read as an operator: phrases become
// `<->`, prefixes `:*`, OR `|`, exclusions a second query, and a column a weight (A title,
// B summary, C body).
import { NEAR_DISTANCE } from './proximity.ts';
import type { SearchQuery, SearchTerm } from './query.ts';

export type Weight = 'A' | 'B' | 'C';

/** The weight each indexed column was written with (migration 2026-12-02-text-search-vectors). */
export const COLUMN_WEIGHT = { title: 'A', summary: 'B', body: 'C' } as const satisfies Record<string, Weight>;

/** One term: its words side by side, the last one a prefix if asked, each in the weight's column. */
export function termText(term: SearchTerm, weight: Weight | null = null): string {
  // "o'brien" is two words to PostgreSQL's parser, as in the index.
  const parts = term.words.flatMap((word) => word.split(/['’]/)).filter((part) => part.length > 0);
  const text = parts
    .map((part, index) => {
      const prefix = term.prefix && index === parts.length - 1 ? '*' : '';
      const flags = `${prefix}${weight ?? ''}`;
      return flags ? `${part}:${flags}` : part;
    })
    .join(' <-> ');
  return parts.length > 1 ? `(${text})` : text;
}

const anyOf = (terms: readonly SearchTerm[], weight: Weight | null) =>
  terms.length === 1
    ? termText(terms[0] as SearchTerm, weight)
    : `(${terms.map((t) => termText(t, weight)).join(' | ')})`;

/** @example toTsquery(parseSearchQuery('a OR b c*')) // { required: '(a | b) & c:*', excluded: null } */
export function toTsquery(
  search: SearchQuery,
  weight: Weight | null = null,
): { required: string | null; excluded: string | null } {
  return {
    required: search.required.length > 0 ? search.required.map((group) => anyOf(group, weight)).join(' & ') : null,
    excluded: search.excluded.length > 0 ? anyOf(search.excluded, null) : null,
  };
}

/**
 * The terms near each other: each term within NEAR_DISTANCE words of the next, in either order.
 * (FTS5's NEAR asks for all of them in one window; pairwise is PostgreSQL's nearest equivalent.)
 */
export function nearText(terms: readonly SearchTerm[], weight: Weight): string {
  const pairs: string[] = [];
  for (let i = 0; i + 1 < terms.length; i++) {
    const a = termText(terms[i] as SearchTerm, weight);
    const b = termText(terms[i + 1] as SearchTerm, weight);
    const distances: string[] = [];
    for (let distance = 1; distance <= NEAR_DISTANCE + 1; distance++) {
      distances.push(`${a} <${distance}> ${b}`, `${b} <${distance}> ${a}`);
    }
    pairs.push(`(${distances.join(' | ')})`);
  }
  return pairs.join(' & ');
}
