// Reader's search text → a safe query. Any text is accepted: FTS operators, column filters and
// stray quotes typed by a user become plain words; only "phrases", -exclusions, OR and prefix*
// keep a meaning.

/** One thing to look for: a word, a word prefix, or a phrase of several words. */
export interface SearchTerm {
  readonly words: readonly string[];
  readonly prefix: boolean;
}

export interface SearchQuery {
  /** The text as typed (trimmed), for display. */
  readonly text: string;
  /** All groups must match; within a group, any term (OR). */
  readonly required: ReadonlyArray<readonly SearchTerm[]>;
  /** No document may match any of these. */
  readonly excluded: readonly SearchTerm[];
}

export const MAX_QUERY_LENGTH = 1000;
const MAX_TERMS = 32;
/**
 * A prefix reads the postings of every word it starts: "a*" those of a quarter of the vocabulary,
 * seconds at a million documents, during which one process answers nobody. Shorter prefixes are
 * searched as words, and only so many prefixes count in one search.
 */
export const MIN_PREFIX_LENGTH = 3;
export const MAX_PREFIXES = 4;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

interface Token {
  kind: 'term' | 'or';
  negated: boolean;
  term?: SearchTerm;
}

function termOf(text: string, prefix: boolean): SearchTerm | null {
  const words = (text.normalize('NFKC').match(WORD) ?? []).map((word) => word.toLowerCase().replace(/’/g, "'"));
  if (words.length === 0) return null;
  return { words, prefix: prefix && (words.at(-1) as string).length >= MIN_PREFIX_LENGTH };
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // "phrase" | -"phrase" | a word with its punctuation; an unbalanced quote is just a character.
  const pattern = /(-?)"([^"]*)"|(\S+)/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (match[2] !== undefined) {
      const term = termOf(match[2], false);
      if (term) tokens.push({ kind: 'term', negated: match[1] === '-', term });
      continue;
    }
    const raw = match[3] ?? '';
    if (raw === 'OR') {
      tokens.push({ kind: 'or', negated: false });
      continue;
    }
    const negated = raw.length > 1 && raw.startsWith('-');
    const body = negated ? raw.slice(1) : raw;
    const prefix = /[\p{L}\p{N}]\*+$/u.test(body);
    const term = termOf(body, prefix);
    if (term) tokens.push({ kind: 'term', negated, term });
  }
  return tokens;
}

/**
 * @returns null when the text holds nothing to search for.
 * @example parseSearchQuery('"human trafficking" OR migration -Vienna traffick*')
 */
export function parseSearchQuery(text: string): SearchQuery | null {
  let prefixes = 0;
  const tokens = tokenize(text)
    .slice(0, MAX_TERMS * 2)
    .map((token) => {
      if (!token.term?.prefix) return token;
      prefixes += 1;
      return prefixes <= MAX_PREFIXES ? token : { ...token, term: { ...token.term, prefix: false } };
    });
  const required: SearchTerm[][] = [];
  const excluded: SearchTerm[] = [];
  let joinNext = false;
  for (const token of tokens) {
    if (token.kind === 'or') {
      joinNext = required.length > 0;
      continue;
    }
    const term = token.term as SearchTerm;
    if (token.negated) {
      excluded.push(term);
    } else if (joinNext) {
      required.at(-1)?.push(term);
    } else {
      required.push([term]);
    }
    joinNext = false;
  }
  if (required.length === 0 && excluded.length === 0) return null;
  return { text: text.trim(), required: required.slice(0, MAX_TERMS), excluded: excluded.slice(0, MAX_TERMS) };
}
