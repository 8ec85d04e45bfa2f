// The search interface: one per database engine, behind the one listing query.
import type { DocumentsQuery } from '../store/documents-query.ts';
import type { Db, Tx } from '../store/store.ts';
import type { ProximityTier } from './proximity.ts';
import type { SearchQuery } from './query.ts';
import type { SearchText } from './text.ts';

export type IndexColumn = 'title' | 'summary';

export interface TermCount {
  readonly term: string;
  readonly documents: number;
}

/** A document's distinct index terms in each of its searched columns. */
export interface TermsByColumn {
  readonly title: Set<string>;
  readonly summary: Set<string>;
  readonly body: Set<string>;
}

export interface SearchProvider {
  /** Keeps only the documents that match (and none that match an exclusion). */
  restrict<O>(query: DocumentsQuery<O>, search: SearchQuery): DocumentsQuery<O>;
  /**
   * The matching documents (alias `d`), excluded ones left out, ordered by relevance (the
   * proximity tiers of proximity.ts, then title above summary above body), then newest; callers
   * add visibility and filters.
   */
  rankedDocuments(db: Db, search: SearchQuery): DocumentsQuery<object>;
  /** An excerpt of each document around the matched words: escaped HTML, matches in <mark>. */
  snippets(db: Db, documentIds: readonly number[], search: SearchQuery): Promise<Map<number, string>>;
  /** Writes (or rewrites) one document's text into the index, inside the caller's transaction. */
  index(tx: Tx, documentId: number, text: SearchText): Promise<void>;
  /** Removes one document's text from the index, inside the caller's transaction. */
  remove(tx: Tx, documentId: number): Promise<void>;
  /** Rebuilds the whole index from the documents; returns how many were indexed. */
  reindex(db: Db): Promise<number>;
  /**
   * Ids of the documents matching the required part (null: no required part), in one column if
   * asked, and the excluded part.
   */
  matchingIds(
    db: Db,
    search: SearchQuery,
    column?: IndexColumn | null,
  ): Promise<{ required: Uint32Array | null; excluded: Uint32Array | null }>;
  /** Ids matching the required part, best first as `rankedDocuments` orders them, at most `limit`. */
  rankedIds(db: Db, search: SearchQuery, limit: number): Promise<Uint32Array>;
  /**
   * Ids of the documents in one proximity tier (the search's words together there), whether or
   * not they match the rest of the search; null when the search has no such tier.
   */
  tierIds(db: Db, search: SearchQuery, tier: ProximityTier): Promise<Uint32Array | null>;
}

/**
 * The index's own terms, for the postings of very common words held in memory: which terms are
 * frequent, which documents hold one, how a reader's word becomes the index's term.
 */
export interface IndexTermSource {
  /** A text's terms, in order, as the index stores them (lower case, stemmed, ...). */
  termsOf(db: Db, text: string): Promise<string[]>;
  /**
   * Every index term with how many documents hold it, and the terms held by at least
   * `minDocuments` documents, most frequent first (those `termIds` finds exactly): one pass over
   * the index's vocabulary.
   */
  vocabulary(db: Db, minDocuments: number): Promise<{ terms: TermCount[]; frequent: string[] }>;
  /** Ids of the documents holding one of the `frequent` terms of `vocabulary`, in one column if asked. */
  termIds(db: Db, term: string, column: IndexColumn | null): Promise<Uint32Array>;
  /** Ids of the documents holding any of these index terms, exactly as they are, in one column if asked. */
  anyTermIds(db: Db, terms: readonly string[], column: IndexColumn | null): Promise<Uint32Array>;
  /** Each document's distinct index terms per column, from its stored search text. */
  indexTermsOf(db: Db, documentIds: readonly number[]): Promise<Map<number, TermsByColumn>>;
  /** Whether any document holds the term (as `termsOf` returns it). */
  holds(db: Db, term: string): Promise<boolean>;
  /**
   * Terms that start with `initial` and are `minLength` to `maxLength` characters long, with how
   * many documents hold each: the vocabulary a misspelled word is corrected from. Those of the
   * titles and summaries; the bitmap index gives those of the whole index from memory instead
   * (see withHeldTerms), of which a correction keeps only what headings write.
   */
  correctionTerms(
    db: Db,
    initial: string,
    minLength: number,
    maxLength: number,
  ): Promise<{ term: string; documents: number }[]>;
  /** The words of a few titles and summaries that became `term` (or the terms `a b`, side by side), as written. */
  writtenForms(db: Db, term: string, limit: number): Promise<string[]>;
}
