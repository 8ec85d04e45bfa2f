// The tsvector index's own terms on PostgreSQL (lexemes), for the postings of very common words
// and for "Did you mean": which lexemes are frequent (ts_stat), which documents hold one, and how
// a text becomes lexemes (to_tsvector with the index's own configuration).
import { sql } from 'kysely';
import { type Db, selectIntegers } from '../store/store.ts';
import { COLUMN_WEIGHT } from './postgres-tsquery.ts';
import type { IndexColumn, IndexTermSource, TermCount, TermsByColumn } from './provider.ts';

/** A lexeme as a tsquery literal: quoted, so never an operator, and never stemmed again. */
const lexeme = (term: string, weight = '') => `'${term.replace(/'/g, "''")}'${weight ? `:${weight}` : ''}`;

/** Side-by-side terms ("a b") as a phrase of lexemes. */
const lexemePhrase = (terms: string, weight = '') =>
  terms
    .split(' ')
    .map((term) => lexeme(term, weight))
    .join(' <-> ');

const COLUMN_OF_WEIGHT: Record<string, keyof TermsByColumn> = { A: 'title', B: 'summary', C: 'body', D: 'body' };

const MARK_START = '\u0002';
const MARK_END = '\u0003';

export const postgresIndexTerms: IndexTermSource = {
  async termsOf(db, text) {
    const { rows } = await sql<{ term: string }>`
      SELECT u.lexeme AS term
      FROM unnest(to_tsvector('dateline', ${text})) AS u(lexeme, positions, weights), unnest(u.positions) AS p(position)
      ORDER BY p.position`.execute(db);
    return rows.map((row) => row.term);
  },

  async vocabulary(db, minDocuments) {
    const { rows } = await sql<TermCount>`
      SELECT word AS term, ndoc AS documents FROM ts_stat('SELECT search FROM document_texts')`.execute(db);
    const frequent = rows
      .filter((row) => row.documents >= minDocuments)
      .sort((a, b) => b.documents - a.documents || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
      .map((row) => row.term);
    return { terms: rows, frequent };
  },

  termIds(db: Db, term: string, column: IndexColumn | null) {
    const text = lexeme(term, column ? COLUMN_WEIGHT[column] : '');
    return selectIntegers(db, sql`SELECT document_id FROM document_texts WHERE search @@ ${text}::tsquery`);
  },

  async anyTermIds(db, terms, column) {
    if (terms.length === 0) return new Uint32Array();
    // A tsquery literal's lexemes are taken as they are, never normalised again.
    const text = terms.map((term) => lexeme(term, column ? COLUMN_WEIGHT[column] : '')).join(' | ');
    return selectIntegers(db, sql`SELECT document_id FROM document_texts WHERE search @@ ${text}::tsquery`);
  },

  async indexTermsOf(db, documentIds) {
    const terms = new Map<number, TermsByColumn>();
    for (const id of documentIds) terms.set(id, { title: new Set(), summary: new Set(), body: new Set() });
    if (documentIds.length === 0) return terms;
    const { rows } = await sql<{ doc: number; term: string; weights: string[] | string }>`
      SELECT t.document_id AS doc, u.lexeme AS term, u.weights
      FROM document_texts t, unnest(t.search) AS u(lexeme, positions, weights)
      WHERE t.document_id IN (${sql.join(documentIds)})`.execute(db);
    for (const row of rows) {
      // node-postgres leaves a "char"[] as its text form, "{A,C}".
      const weights = Array.isArray(row.weights) ? row.weights : row.weights.replace(/[{}]/g, '').split(',');
      for (const weight of weights) terms.get(row.doc)?.[COLUMN_OF_WEIGHT[weight] ?? 'body'].add(row.term);
    }
    return terms;
  },

  async holds(db, term) {
    const { rows } = await sql`SELECT 1 FROM document_texts WHERE search @@ ${lexeme(term)}::tsquery LIMIT 1`.execute(
      db,
    );
    return rows.length > 0;
  },

  async correctionTerms(db, initial, minLength, maxLength) {
    const { rows } = await sql<{ term: string; documents: number }>`
      SELECT word AS term, ndoc AS documents FROM ts_stat('SELECT search FROM document_texts', 'AB')
      WHERE word >= ${initial} AND word < ${`${initial}\u{10ffff}`}
        AND length(word) BETWEEN ${minLength} AND ${maxLength}`.execute(db);
    return rows;
  },

  async writtenForms(db, term, limit) {
    const headings = lexemePhrase(term, 'AB');
    const options = sql.lit(`StartSel=${MARK_START}, StopSel=${MARK_END}, HighlightAll=true`);
    const { rows } = await sql<{ title: string; summary: string }>`
      SELECT ts_headline('dateline', title, ${lexemePhrase(term)}::tsquery, ${options}) AS title,
        ts_headline('dateline', summary, ${lexemePhrase(term)}::tsquery, ${options}) AS summary
      FROM document_texts WHERE search @@ ${headings}::tsquery LIMIT ${limit}`.execute(db);
    const forms: string[] = [];
    // Words marked side by side, a hyphen or a space apart, are one written form ("co-operation").
    const joined = new RegExp(`${MARK_END}([-\\s]?)${MARK_START}`, 'g');
    const marked = new RegExp(`${MARK_START}([^${MARK_END}]*)${MARK_END}`, 'g');
    for (const row of rows) {
      for (const text of [row.title, row.summary])
        for (const match of text.replace(joined, '$1').matchAll(marked)) forms.push(match[1] as string);
    }
    return forms;
  },
};
