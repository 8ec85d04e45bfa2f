// Every term of the full-text index, sorted, in memory: a prefix (`sec*`) becomes the list of
// terms it starts, as a term dictionary does in Lucene, so that the frequent ones among them are
// answered from their held postings instead of FTS5 re-reading their long position lists
// (187 ms for `sec* OR bor* OR man* OR omb*` at 1,000,000 documents). Terms are added as
// writes bring them and never removed: a term no document holds any longer matches nothing.

export class Vocabulary {
  private readonly terms: string[];

  /** `terms` in any order; they are sorted (by UTF-16 code units, as `<` compares). */
  constructor(terms: Iterable<string>) {
    this.terms = [...new Set(terms)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get size(): number {
    return this.terms.length;
  }

  /** The terms, sorted: shared, not copied. */
  all(): readonly string[] {
    return this.terms;
  }

  add(term: string): void {
    const at = this.firstFrom(term);
    if (this.terms[at] !== term) this.terms.splice(at, 0, term);
  }

  /** The terms that start with `prefix` (itself included), sorted; null when there are more than `limit`. */
  withPrefix(prefix: string, limit: number): string[] | null {
    const found: string[] = [];
    for (let at = this.firstFrom(prefix); at < this.terms.length; at += 1) {
      const term = this.terms[at] as string;
      if (!term.startsWith(prefix)) break;
      if (found.length === limit) return null;
      found.push(term);
    }
    return found;
  }

  /** The place of the first term not before `term`. */
  private firstFrom(term: string): number {
    let low = 0;
    let high = this.terms.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.terms[middle] as string) < term) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
