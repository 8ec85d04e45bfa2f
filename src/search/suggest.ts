// "Did you mean": when a search finds nothing, each of its words that no document holds is
// replaced by the closest term of the titles' and summaries' vocabulary (edit distance between
// index terms, so "trafficing" and "trafficking" compare as "traffic" and "traffick"), and shown
// as the headings write it ("trafficking"), never as the stem.
import { distance } from 'fastest-levenshtein';
import type { Db } from '../store/store.ts';
import type { IndexTermSource } from './provider.ts';
import type { SearchQuery } from './query.ts';

/** Only so many words are corrected: each costs a few statements. */
const MAX_WORDS = 6;
/** Titles and summaries read for the written forms of a term. */
const FORM_SAMPLES = 8;

/** Edits allowed between a term and its correction: short words would match too much. */
const maxEdits = (term: string) => (term.length <= 4 ? 1 : 2);

/** Lower case, without diacritics: how the index compares words ("Vălnești" is "valnesti"). */
const folded = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

/** Terms looked at more closely: their written forms are read and compared with the typed word. */
const CANDIDATES = 5;
/** Candidates read at most, for CANDIDATES that headings write (a term of bodies alone has no form). */
const MAX_CANDIDATES_READ = 15;

/** Edits between a stem and the typed word's start: "obsrvation" starts one edit from "observ". */
function prefixDistance(word: string, stem: string): number {
  let least = Number.POSITIVE_INFINITY;
  for (const length of [stem.length - 1, stem.length, stem.length + 1]) {
    least = Math.min(least, distance(word.slice(0, length), stem));
  }
  return least;
}

/**
 * Terms that could be what the reader meant: within a few edits of the typed word's
 * term, or a stem the typed word starts with, give or take an edit ("observaton" and
 * "obsrvation" start like "observ", the term of "observation"), best first.
 */
async function candidateTerms(db: Db, terms: IndexTermSource, word: string, term: string): Promise<string[]> {
  const edits = maxEdits(term);
  // Misspellings rarely change a word's first letter (Solr's DirectSpellChecker assumes as much).
  const vocabulary = await terms.correctionTerms(
    db,
    term.slice(0, 1),
    Math.min(4, term.length - edits),
    word.length + edits,
  );
  const scored: { term: string; edits: number; documents: number }[] = [];
  for (const candidate of vocabulary) {
    const found = distance(term, candidate.term);
    const stemOfWord = candidate.term.length >= 4 && prefixDistance(word, candidate.term) <= 1;
    if (found > 0 && found <= edits) scored.push({ ...candidate, edits: found });
    else if (stemOfWord && candidate.term !== term) scored.push({ ...candidate, edits: edits });
  }
  scored.sort((a, b) => a.edits - b.edits || b.documents - a.documents);
  return scored.slice(0, MAX_CANDIDATES_READ).map((candidate) => candidate.term);
}

/**
 * The correction of one word: of the candidates' written forms, the one closest to what was
 * typed (fewest edits, then the more common term), lower case unless the headings always
 * capitalise it (a name).
 */
async function correctionOf(db: Db, terms: IndexTermSource, word: string, term: string): Promise<string | null> {
  let best: { form: string; edits: number } | null = null;
  let withForms = 0;
  for (const candidate of await candidateTerms(db, terms, word, term)) {
    if (withForms === CANDIDATES) break;
    const forms = await terms.writtenForms(db, candidate, FORM_SAMPLES);
    if (forms.length > 0) withForms += 1;
    const alwaysCapitalised =
      forms.length > 0 && forms.every((form) => form.charAt(0) !== form.charAt(0).toLowerCase());
    for (const written of forms) {
      const edits = distance(folded(word), folded(written));
      if (!best || edits < best.edits) best = { form: alwaysCapitalised ? written : written.toLowerCase(), edits };
    }
  }
  // A "correction" further from the typed word than the word is long would be a different word.
  return best && best.edits <= Math.max(2, Math.floor(word.length / 3)) ? best.form : null;
}

/**
 * A word the headings write as two ("cooperation" for "co-operation", "peacebuilding" for "peace
 * building"): the split whose two halves the headings hold side by side, as written there.
 */
async function splitOf(db: Db, terms: IndexTermSource, word: string): Promise<string | null> {
  for (let at = 2; at <= word.length - 2; at += 1) {
    const halves = [word.slice(0, at), word.slice(at)];
    const halfTerms = await Promise.all(halves.map((half) => terms.termsOf(db, half)));
    if (halfTerms.some((found) => found.length !== 1)) continue;
    const [left, right] = halfTerms.map((found) => found[0] as string) as [string, string];
    if (!(await terms.holds(db, left)) || !(await terms.holds(db, right))) continue;
    const forms = await terms.writtenForms(db, `${left} ${right}`, FORM_SAMPLES);
    if (forms.length > 0) return (forms[0] as string).toLowerCase();
  }
  return null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The search's text with its unknown words corrected, or null when every word is known or none
 * has a close enough correction.
 * @example await suggestCorrection(db, terms, parseSearchQuery('trafficing') as SearchQuery) // 'trafficking'
 */
export async function suggestCorrection(db: Db, terms: IndexTermSource, search: SearchQuery): Promise<string | null> {
  const words = new Set(search.required.flat().flatMap((term) => (term.prefix ? term.words.slice(0, -1) : term.words)));
  let text = search.text;
  let corrected = false;
  for (const word of [...words].slice(0, MAX_WORDS)) {
    const wordTerms = await terms.termsOf(db, word);
    const term = wordTerms[0];
    if (wordTerms.length !== 1 || !term || (await terms.holds(db, term))) continue;
    const written = (await correctionOf(db, terms, word, term)) ?? (await splitOf(db, terms, word));
    if (!written) continue;
    text = text.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'giu'), written);
    corrected = true;
  }
  return corrected ? text : null;
}
