// Postings of the most frequent index terms as bitmaps, per column. Reading the hundreds of
// thousands of ids of a very common word from FTS5 costs tens of milliseconds on every new query
// (39 ms for a word in 400,000 of 1,000,000 documents, 30 ms more for its title and summary
// lists); held here, a query on such words is bitmap algebra. Rarer words stay with FTS5, which
// reads them in a millisecond or two.
import roaring from 'roaring';
import type { IndexColumn, IndexTermSource, TermsByColumn } from '../search/provider.ts';
import type { SearchTerm } from '../search/query.ts';
import type { Db } from '../store/store.ts';

const { RoaringBitmap32 } = roaring;
type Bitmap = InstanceType<typeof RoaringBitmap32>;

export type PostingColumn = 'all' | IndexColumn;
export type Postings = Record<PostingColumn, Bitmap>;

export interface PostingsState {
  minDocuments: number;
  terms: [string, Postings][];
}

/** Terms held by fewer documents are read from FTS5 when asked: a few milliseconds at most. */
export const FREQUENT_TERM_MIN_DOCUMENTS = 50_000;
/** Words a reader typed, remembered with the index term they become (or null: none held here). */
const MAX_REMEMBERED_WORDS = 10_000;
/** Past this many changed documents, reading the postings again is cheaper than patching them. */
const MAX_PATCHED_DOCUMENTS = 5_000;

export class TermPostings {
  private postings = new Map<string, Postings>();
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
    return this.complete ? { minDocuments: this.minDocuments, terms: [...this.postings] } : null;
  }

  /** Postings as a snapshot kept them; `refresh` follows writes from there. */
  static fromState(db: Db, provider: IndexTermSource, state: PostingsState): TermPostings {
    const postings = new TermPostings(db, provider, state.minDocuments);
    postings.postings = new Map(state.terms);
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
      for (const term of await this.provider.frequentTerms(this.db, this.minDocuments)) {
        const read = async (column: IndexColumn | null) => {
          const bitmap = new RoaringBitmap32(await this.provider.termIds(this.db, term, column));
          bitmap.runOptimize();
          return bitmap;
        };
        loaded.set(term, { all: await read(null), title: await read('title'), summary: await read('summary') });
        // Requests get their turn between terms: the statements are synchronous.
        await new Promise((resolve) => setImmediate(resolve));
      }
      this.postings = loaded;
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
      }
    };
  }

  /** The index term a search term stands for, when its postings are held here. */
  private async heldTerm(term: SearchTerm): Promise<string | null> {
    if (term.prefix || term.words.length !== 1 || this.postings.size === 0) return null;
    const word = term.words[0] as string;
    let indexTerm = this.words.get(word);
    if (indexTerm === undefined) {
      const terms = await this.provider.termsOf(this.db, word);
      indexTerm = terms.length === 1 ? (terms[0] as string) : null;
      if (this.words.size >= MAX_REMEMBERED_WORDS) this.words.clear();
      this.words.set(word, indexTerm);
    }
    return indexTerm !== null && this.postings.has(indexTerm) ? indexTerm : null;
  }

  /** Whether every term of these groups has its postings here. */
  async holds(groups: ReadonlyArray<readonly SearchTerm[]>): Promise<boolean> {
    for (const group of groups) for (const term of group) if ((await this.heldTerm(term)) === null) return false;
    return true;
  }

  /**
   * Documents matching every group (any term of each), in one column if asked; null when a term's
   * postings are not held here.
   */
  async match(groups: ReadonlyArray<readonly SearchTerm[]>, column: PostingColumn): Promise<Bitmap | null> {
    let result: Bitmap | null = null;
    for (const group of groups) {
      const bitmaps: Bitmap[] = [];
      for (const term of group) {
        const held = await this.heldTerm(term);
        if (held === null) return null;
        bitmaps.push((this.postings.get(held) as Postings)[column]);
      }
      const any = RoaringBitmap32.orMany(bitmaps);
      result = result ? RoaringBitmap32.and(result, any) : any;
    }
    return result;
  }
}

function setBit(bitmap: Bitmap, id: number, on: boolean): void {
  if (on) bitmap.add(id);
  else bitmap.delete(id);
}
