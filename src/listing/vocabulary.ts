// Every term of the full-text index, sorted, in memory, with how many documents held it when it
// was read: a prefix (`sec*`) becomes the list of terms it starts, as a term dictionary does in
// Lucene, so that the frequent ones among them are answered from their held postings instead of
// FTS5 re-reading their long position lists (187 ms for `sec* OR bor* OR man* OR omb*` at
// 1,000,000 documents); and "Did you mean" finds its candidates here instead of walking the
// headings' index (over 100 ms for the terms of one initial). Terms are added as writes bring
// them (counted 0) and never removed: a term no document holds any longer matches nothing.
import type { TermCount } from '../search/provider.ts';

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export class Vocabulary {
  private readonly terms: string[];
  private readonly documents: number[];

  /** Terms in any order, each with its document count; they are sorted (by UTF-16 code units). */
  constructor(entries: Iterable<TermCount>) {
    const sorted = [...entries].sort((a, b) => byCodeUnits(a.term, b.term));
    this.terms = [];
    this.documents = [];
    for (const { term, documents } of sorted) {
      if (this.terms.at(-1) === term) continue;
      this.terms.push(term);
      this.documents.push(documents);
    }
  }

  get size(): number {
    return this.terms.length;
  }

  /** The terms, sorted, and their counts: shared, not copied. */
  all(): { readonly terms: readonly string[]; readonly documents: readonly number[] } {
    return { terms: this.terms, documents: this.documents };
  }

  add(term: string): void {
    const at = this.firstFrom(term);
    if (this.terms[at] === term) return;
    this.terms.splice(at, 0, term);
    this.documents.splice(at, 0, 0);
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

  /** The terms that start with `initial` and are `minLength` to `maxLength` long, with their counts. */
  byLength(initial: string, minLength: number, maxLength: number): TermCount[] {
    const found: TermCount[] = [];
    for (let at = this.firstFrom(initial); at < this.terms.length; at += 1) {
      const term = this.terms[at] as string;
      if (!term.startsWith(initial)) break;
      if (term.length >= minLength && term.length <= maxLength)
        found.push({ term, documents: this.documents[at] as number });
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
