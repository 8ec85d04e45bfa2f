// Postings of the most frequent index terms as bitmaps, per column. Reading the hundreds of
// thousands of ids of a very common word from FTS5 costs tens of milliseconds on every new query
// (39 ms for a word in 400,000 of 1,000,000 documents, 30 ms more for its title and summary
// lists); held here, a query on such words is bitmap algebra. Rarer words stay with FTS5, which
// reads them in a millisecond or two. A prefix is answered here too, from the index's vocabulary
// (decision 0020).
import roaring from 'roaring';
import type { IndexColumn, IndexTermSource, TermCount, TermsByColumn } from '../search/provider.ts';
import { MIN_PREFIX_LENGTH, type SearchTerm } from '../search/query.ts';
import type { Db } from '../store/store.ts';
import { Vocabulary } from './vocabulary.ts';

const { RoaringBitmap32 } = roaring;
type Bitmap = InstanceType<typeof RoaringBitmap32>;

export type PostingColumn = 'all' | IndexColumn;
export type Postings = Record<PostingColumn, Bitmap>;

export interface PostingsState {
  minDocuments: number;
  terms: [string, Postings][];
  /** Per shortest prefix, the documents of the terms it starts that are not held (see prefixRests). */
  prefixes: [string, Postings][];
  /** Every index term, sorted, and how many documents held each when it was read. */
  vocabulary: { readonly terms: readonly string[]; readonly documents: readonly number[] };
}

/** Terms held by fewer documents are read from FTS5 when asked: a few milliseconds at most. */
export const FREQUENT_TERM_MIN_DOCUMENTS = 50_000;
/** Words a reader typed, remembered with the index term they become (or null: none held here). */
const MAX_REMEMBERED_WORDS = 10_000;
/** Past this many changed documents, reading the postings again is cheaper than patching them. */
const MAX_PATCHED_DOCUMENTS = 5_000;
/** A prefix that starts more terms than this is left to the full-text index's own prefix index. */
const MAX_PREFIX_TERMS = 2_000;
/** The shortest prefix a search takes (`sec*`): the rest of its terms is held when it is large. */
const REST_PREFIX_LENGTH = MIN_PREFIX_LENGTH;

export class TermPostings {
  private postings = new Map<string, Postings>();
  private vocabulary = new Vocabulary([]);
  /**
   * Per prefix of REST_PREFIX_LENGTH letters, the documents holding a term it starts whose
   * postings are not held, where those are at least half as many as a held term's. Without them
   * `sec*` reads the ids of the tens of rarer terms it starts at every first query (60,000 to
   * 160,000 ids at 1,000,000 documents, 35 to 100 ms); held, it is bitmap algebra, as
   * Elasticsearch's `index_prefixes` makes it an index lookup. In each column, for the relevance
   * tiers (titles' and summaries' are a small part of the memory).
   */
  private prefixRests = new Map<string, Postings>();
  /** Whether a load has completed (a snapshot of postings still loading would hold none). */
  private complete = false;
  private readonly words = new Map<string, string | null>();
  /** While loading: documents written meanwhile. */
  private pending: Set<number> | null = null;
  constructor(
    private readonly db: Db,
    private readonly provider: IndexTermSource,
    readonly minDocuments = FREQUENT_TERM_MIN_DOCUMENTS,
  ) {}

  get termCount(): number {
    return this.postings.size;
  }

  /** What a snapshot keeps: the threshold and every held term's postings (shared, not copied); null while loading. */
  state(): PostingsState | null {
    return this.complete
      ? {
          minDocuments: this.minDocuments,
          terms: [...this.postings],
          prefixes: [...this.prefixRests],
          vocabulary: this.vocabulary.all(),
        }
      : null;
  }

  /** Postings as a snapshot kept them; `refresh` follows writes from there. */
  static fromState(db: Db, provider: IndexTermSource, state: PostingsState): TermPostings {
    const postings = new TermPostings(db, provider, state.minDocuments);
    postings.postings = new Map(state.terms);
    postings.prefixRests = new Map(state.prefixes);
    postings.vocabulary = new Vocabulary(
      state.vocabulary.terms.map((term, index) => ({ term, documents: state.vocabulary.documents[index] ?? 0 })),
    );
    postings.complete = true;
    return postings;
  }

  /**
   * Reads the postings of every frequent term, each at one moment; documents passed to `refresh`
   * meanwhile are patched once they are in place.
   */
  async load(): Promise<void> {
    const pending = new Set<number>();
    this.pending = pending;
    try {
      const loaded = new Map<string, Postings>();
      const { terms, frequent } = await this.provider.vocabulary(this.db, this.minDocuments);
      for (const term of frequent) {
        const read = async (column: IndexColumn | null) =>
          optimized(await this.provider.termIds(this.db, term, column));
        loaded.set(term, { all: await read(null), title: await read('title'), summary: await read('summary') });
        // Requests get their turn between terms: the statements are synchronous.
        await new Promise((resolve) => setImmediate(resolve));
      }
      const rests = await this.readPrefixRests(terms, loaded);
      this.postings = loaded;
      this.prefixRests = rests;
      this.vocabulary = new Vocabulary(terms);
      this.complete = true;
      this.words.clear();
      while (pending.size > 0) {
        const ids = [...pending];
        pending.clear();
        await this.patch(ids);
      }
    } finally {
      if (this.pending === pending) this.pending = null;
    }
  }

  /** The prefixRests of a vocabulary, with these terms' postings held. */
  private async readPrefixRests(terms: readonly TermCount[], held: ReadonlyMap<string, Postings>) {
    const rests = new Map<string, { terms: string[]; documents: number }>();
    for (const { term, documents } of terms) {
      if (term.length < REST_PREFIX_LENGTH || held.has(term)) continue;
      const prefix = term.slice(0, REST_PREFIX_LENGTH);
      const rest = rests.get(prefix) ?? { terms: [], documents: 0 };
      rest.terms.push(term);
      rest.documents += documents;
      rests.set(prefix, rest);
    }
    const read = new Map<string, Postings>();
    for (const [prefix, rest] of rests) {
      if (rest.documents < this.minDocuments / 2) continue;
      const column = async (name: IndexColumn | null) =>
        optimized(await this.provider.anyTermIds(this.db, rest.terms, name));
      read.set(prefix, { all: await column(null), title: await column('title'), summary: await column('summary') });
      await new Promise((resolve) => setImmediate(resolve));
    }
    return read;
  }

  /**
   * The index's terms of one initial and range of lengths, with their counts, once loaded (null
   * before): the candidates of "Did you mean", from memory.
   */
  termsByLength(initial: string, minLength: number, maxLength: number): TermCount[] | null {
    return this.complete ? this.vocabulary.byLength(initial, minLength, maxLength) : null;
  }

  forgetWords(): void {
    this.words.clear();
  }

  /** Follows writes to these documents. */
  async refresh(ids: readonly number[]): Promise<void> {
    (await this.prepareRefresh(ids))();
  }

  /**
   * Reads what writes to these documents changed, and returns the synchronous step that applies
   * it, for a caller that changes other state in the same step.
   */
  async prepareRefresh(ids: readonly number[]): Promise<() => void> {
    for (const id of ids) this.pending?.add(id);
    if (ids.length === 0 || this.postings.size === 0) return () => {};
    if (ids.length > MAX_PATCHED_DOCUMENTS) {
      await this.load();
      return () => {};
    }
    return this.readPatch(ids);
  }

  private async patch(ids: readonly number[]): Promise<void> {
    (await this.readPatch(ids))();
  }

  private async readPatch(ids: readonly number[]): Promise<() => void> {
    const read: [number[], Map<number, TermsByColumn>][] = [];
    for (let start = 0; start < ids.length; start += 100) {
      const chunk = ids.slice(start, start + 100);
      read.push([chunk, await this.provider.indexTermsOf(this.db, chunk)]);
    }
    return () => {
      for (const [, terms] of read)
        for (const held of terms.values())
          for (const column of [held.title, held.summary, held.body])
            for (const term of column) this.vocabulary.add(term);
      for (const [chunk, terms] of read) {
        for (const [term, postings] of this.postings) {
          for (const id of chunk) {
            const held: TermsByColumn | undefined = terms.get(id);
            const inTitle = held?.title.has(term) ?? false;
            const inSummary = held?.summary.has(term) ?? false;
            setBit(postings.title, id, inTitle);
            setBit(postings.summary, id, inSummary);
            setBit(postings.all, id, inTitle || inSummary || (held?.body.has(term) ?? false));
          }
        }
        if (this.prefixRests.size === 0) continue;
        for (const id of chunk) {
          // Per column, the prefixes of the document's terms that are not held.
          const held = terms.get(id);
          const [title, summary, body] = [held?.title, held?.summary, held?.body].map((column) => {
            const prefixes = new Set<string>();
            for (const term of column ?? [])
              if (term.length >= REST_PREFIX_LENGTH && !this.postings.has(term))
                prefixes.add(term.slice(0, REST_PREFIX_LENGTH));
            return prefixes;
          }) as [Set<string>, Set<string>, Set<string>];
          for (const [prefix, rest] of this.prefixRests) {
            setBit(rest.title, id, title.has(prefix));
            setBit(rest.summary, id, summary.has(prefix));
            setBit(rest.all, id, title.has(prefix) || summary.has(prefix) || body.has(prefix));
          }
        }
      }
    };
  }

  /** The one index term a reader's word becomes (null: none, or several). */
  private async indexTermOf(word: string): Promise<string | null> {
    let indexTerm = this.words.get(word);
    if (indexTerm === undefined) {
      const terms = await this.provider.termsOf(this.db, word);
      indexTerm = terms.length === 1 ? (terms[0] as string) : null;
      if (this.words.size >= MAX_REMEMBERED_WORDS) this.words.clear();
      this.words.set(word, indexTerm);
    }
    return indexTerm;
  }

  /**
   * Bitmaps whose union is the documents a search term matches, in one column, and whether held
   * postings answered any of it; null when it cannot be answered here. A word: its postings if
   * held, else its ids read. A prefix (`sec*`): the postings of the held terms it starts, and the
   * ids of the others read in one statement.
   */
  private async termBitmaps(
    term: SearchTerm,
    column: PostingColumn,
  ): Promise<{ bitmaps: Bitmap[]; held: boolean } | null> {
    if (term.words.length !== 1) return null;
    const indexTerm = await this.indexTermOf(term.words[0] as string);
    if (indexTerm === null) return null;
    const terms = term.prefix ? this.vocabulary.withPrefix(indexTerm, MAX_PREFIX_TERMS) : [indexTerm];
    if (!terms) return null;
    const bitmaps: Bitmap[] = [];
    const others: string[] = [];
    const rest = term.prefix ? this.prefixRests.get(indexTerm) : undefined;
    if (rest) bitmaps.push(rest[column]);
    for (const each of terms) {
      const postings = this.postings.get(each);
      if (postings) bitmaps.push(postings[column]);
      else if (!rest) others.push(each);
    }
    const held = bitmaps.length > 0;
    if (others.length === 0) return { bitmaps, held };
    const ids = await this.provider.anyTermIds(this.db, others, column === 'all' ? null : column);
    return { bitmaps: [...bitmaps, new RoaringBitmap32(ids)], held };
  }

  /**
   * Documents matching every group (any term of each), in one column if asked; null when a term
   * cannot be answered here (see termBitmaps), or a group holds no term whose postings are held
   * (the full-text index reads rare words and prefixes as quickly).
   */
  async match(groups: ReadonlyArray<readonly SearchTerm[]>, column: PostingColumn): Promise<Bitmap | null> {
    if (!this.complete || this.postings.size === 0) return null;
    let result: Bitmap | null = null;
    for (const group of groups) {
      const bitmaps: Bitmap[] = [];
      let held = false;
      for (const term of group) {
        const found = await this.termBitmaps(term, column);
        if (found === null) return null;
        bitmaps.push(...found.bitmaps);
        held ||= found.held;
      }
      if (!held) return null;
      const any = RoaringBitmap32.orMany(bitmaps);
      result = result ? RoaringBitmap32.and(result, any) : any;
    }
    return result;
  }
}

/** A bitmap to hold: its containers made runs wherever that is smaller. */
function optimized(ids: Uint32Array): Bitmap {
  const bitmap = new RoaringBitmap32(ids);
  bitmap.runOptimize();
  return bitmap;
}

function setBit(bitmap: Bitmap, id: number, on: boolean): void {
  if (on) bitmap.add(id);
  else bitmap.delete(id);
}
